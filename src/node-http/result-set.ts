import type { ResultSet, Row } from "@libsql/client";

/**
 * Rows as @libsql/client builds them: values by index and by column name, only the names
 * enumerable. Names are plain properties and indexes are getters of the names on a prototype shared by
 * every result of the same columns, so a row costs one object; defining both on every row (Object.defineProperty per value)
 * was the largest cost of the server's event loop under a distinct-query load (a tenth of its busy
 * time). Results whose names an index cannot stand for (two columns of one name, a name that is a
 * number as in `SELECT 1, 0`, or one that could reach the prototype) take the slow, exact path.
 */
export function resultSet(columns: string[], raw: unknown[][]): ResultSet {
  const proto = prototypeOf(columns);
  const rows = proto ? fastRows(proto, columns, raw) : exactRows(columns, raw);
  return {
    columns,
    columnTypes: columns.map(() => ""),
    rows,
    rowsAffected: 0,
    lastInsertRowid: undefined,
    toJSON: () => ({ columns, rows: raw }),
  };
}

const plainNames = (columns: string[]) => new Set(columns).size === columns.length && columns.every((name) => !/^\d+$/.test(name) && name !== "__proto__");

/**
 * One prototype per column list, kept: statements repeat, and rows of one shape then share V8's
 * hidden class. Null for a list whose names an index cannot stand for, also kept.
 */
const prototypes = new Map<string, object | null>();
const MAX_PROTOTYPES = 1000;

function prototypeOf(columns: string[]): object | null {
  const key = columns.join("\u0000");
  let proto = prototypes.get(key);
  if (proto !== undefined) return proto;
  proto = plainNames(columns) ? namedPrototype(columns) : null;
  if (prototypes.size >= MAX_PROTOTYPES) prototypes.clear();
  prototypes.set(key, proto);
  return proto;
}

function namedPrototype(columns: string[]): object {
  const proto = {};
  Object.defineProperty(proto, "length", { value: columns.length });
  columns.forEach((name, i) =>
    Object.defineProperty(proto, i, {
      get(this: Record<string, unknown>) {
        return this[name];
      },
    }),
  );
  return proto;
}

function fastRows(proto: object, columns: string[], raw: unknown[][]): Row[] {
  return raw.map((values) => {
    const row = Object.create(proto) as Record<string, unknown>;
    for (let i = 0; i < columns.length; i++) row[columns[i]!] = values[i];
    // as unknown as: Row is @libsql/client's array-like row type, built here with the same properties.
    return row as unknown as Row;
  });
}

function exactRows(columns: string[], raw: unknown[][]): Row[] {
  return raw.map((values) => {
    const row = {} as Record<string | number, unknown>;
    Object.defineProperty(row, "length", { value: values.length });
    values.forEach((value, i) => {
      Object.defineProperty(row, i, { value });
      const name = columns[i]!;
      if (!Object.hasOwn(row, name)) Object.defineProperty(row, name, { value, enumerable: true, configurable: true, writable: true });
    });
    // as unknown as: as above.
    return row as unknown as Row;
  });
}
