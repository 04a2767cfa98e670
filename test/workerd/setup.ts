import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { openD1 } from "../../src/db/d1";
import { importFiles, isEmpty } from "../../src/services/seed";

// Every test file starts from the committed migrations and the seed CSVs, loaded through the same
// import code an upload uses, so the D1 path of imports is exercised before any test runs.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
const db = openD1(env.DB);
if (await isEmpty(db)) {
  const encoder = new TextEncoder();
  await importFiles(
    db,
    env.TEST_SEEDS.map((s) => ({ kind: s.kind, name: s.name, bytes: encoder.encode(s.text) })),
    "seed",
  );
}
