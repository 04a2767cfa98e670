import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { embeddedFilePath } from "../../../src/db/file-path";

describe("embeddedFilePath: the file behind DATABASE_URL, for backups, read threads and the file guard", () => {
  it("resolves a relative file against the working directory, as libSQL opens it, without the query string", () => {
    expect(embeddedFilePath("file:./data/vbp.db")).toBe(resolve("data/vbp.db"));
    expect(embeddedFilePath("file:/var/lib/vbp/vbp.db?mode=rwc")).toBe("/var/lib/vbp/vbp.db");
  });

  it("has none for an in-memory database or a server", () => {
    expect(embeddedFilePath("file::memory:")).toBeNull();
    expect(embeddedFilePath("libsql://vbp-org.turso.io")).toBeNull();
    expect(embeddedFilePath("http://127.0.0.1:8080")).toBeNull();
  });
});
