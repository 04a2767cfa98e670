import type { Client, InStatement, InValue, ResultSet } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import type { Db } from "../db/client";
import * as schema from "../db/schema";
import { AppError } from "../errors";
import { writeXlsx } from "../export/xlsx-writer";
import { openWorkbookTable } from "../import/xlsx/read-workbook";
import { type ReadCalls, readCallsOver } from "../services/read-calls";
import { statementParts } from "./read-pool";
import { resultSet } from "./result-set";

/** The reads of src/services/read-calls.ts as a read thread runs them (src/node-http/read-pool.ts). */
export type { ReadCallName, ReadCalls } from "../services/read-calls";

/** A statement run synchronously on the thread's own read-only connection. */
export type RunStatement = (sql: string, args: readonly InValue[]) => { columns: string[]; rows: unknown[][] };

/** An error as it crosses from the thread: an AppError keeps its answer (status, code, headers). */
export type CallError = {
  appError?: { status: AppError["status"]; code: AppError["code"]; message: string; details?: unknown; headers?: Record<string, string> };
  message: string;
  code?: string;
};

export function readCalls(run: RunStatement): ReadCalls {
  const execute = async (stmt: InStatement | string, args?: InValue[]): Promise<ResultSet> => {
    const parts = statementParts(typeof stmt === "string" && args !== undefined ? { sql: stmt, args } : stmt);
    if (!parts) throw new Error("a read thread takes positional arguments only");
    const { columns, rows } = run(parts.sql, parts.args);
    return resultSet(columns, rows);
  };
  // Only execute: writes, batches and transactions stay on the server's connection.
  // as unknown as (twice): the thread's client has only the read call of @libsql/client's Client, and
  // drizzle's libSQL database type declares its own batch() signature, narrower than Db's common one.
  const db = drizzle({ execute } as unknown as Client, { schema }) as unknown as Db;
  return readCallsOver(db, { readWorkbook: openWorkbookTable, spreadsheets: writeXlsx });
}

export function toCallError(err: unknown): CallError {
  if (err instanceof AppError)
    return {
      appError: { status: err.status, code: err.code, message: err.message, details: err.details, headers: err.headers ? { ...err.headers } : undefined },
      message: err.message,
    };
  const e = err as { message?: unknown; code?: unknown } | null;
  return { message: String(e?.message ?? err), code: typeof e?.code === "string" ? e.code : undefined };
}

export function fromCallError(e: CallError): Error {
  if (e.appError) return new AppError(e.appError.status, e.appError.code, e.appError.message, e.appError.details, e.appError.headers);
  return Object.assign(new Error(e.message), { code: e.code });
}
