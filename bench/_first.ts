import { openLibsql } from "../src/db/client";
import { tuneEmbedded } from "../src/db/migrate";
import { searchPrices } from "../src/services/prices";
import { readFileThrough } from "./support";

const path = `data/bench/search-1000000-seed1-1ab16a54b8.db`;
const h = openLibsql(`file:${path}`);
await tuneEmbedded(h, `file:${path}`);
readFileThrough(path);
const c = h.client as any;
const orig = c.execute.bind(c);
let log: string[] = [];
c.execute = async (s: any, a?: any) => {
  const t = performance.now();
  const r = await orig(s, a);
  log.push(`${(performance.now() - t).toFixed(1)} ${(typeof s === "string" ? s : s.sql).slice(0, 60)}`);
  return r;
};
for (const q of (process.env.QS ?? "limit=100&sort=relevance|limit=100&sort=relevance|q=演示远山&limit=100|limit=20&sort=unitPrice").split("|")) {
  const query: any = Object.fromEntries(new URLSearchParams(q));
  if (query.limit) query.limit = Number(query.limit);
  log = [];
  const t = performance.now();
  await searchPrices(h.db, query);
  console.log(q, (performance.now() - t).toFixed(1));
  for (const l of log) console.log("   ", l);
}
