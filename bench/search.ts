import type { InStatement } from "@libsql/client";
import { openLibsql } from "../src/db/client";
import { tuneEmbedded } from "../src/db/migrate";
import { type PriceQuery, searchPrices } from "../src/services/prices";
import { getProduct } from "../src/services/products";
import { suggestNames } from "../src/services/search-suggest";
import { buildSearchDb } from "./search-load";

/**
 * `npm run bench -- search [--prices=N]`: search at N (default 1,000,000) SYNTHETIC prices. Each
 * query of a fixed mix runs through the service layer, while the exact statements it issued are
 * recorded; the same statements then run directly on the database client. Both are timed in
 * alternation, and the report gives p50/p95 per query class and their ratio.
 */

type Probe =
  | { label: string; call: "prices"; query: PriceQuery }
  | { label: string; call: "suggest"; q: string }
  | { label: string; call: "product"; id: number };

const p = (q: string, extra: Partial<PriceQuery> = {}): Probe => ({ label: q, call: "prices", query: { q, limit: 50, ...extra } });
const s = (q: string): Probe => ({ label: q, call: "suggest", q });
const product = (id: number): Probe => ({ label: `product ${id}`, call: "product", id });

/** The fixed mix; product ids are spread over however many products a database of `count` prices has. */
const classes = (count: number): Array<{ name: string; probes: Probe[] }> => [
  { name: "chinese prefix", probes: [p("阿托伐"), p("瑞舒伐他汀"), p("氯沙坦钾片"), p("头孢呋辛")] },
  { name: "two characters", probes: [p("他汀"), p("沙坦"), p("普利"), p("冠状")] },
  { name: "one character", probes: [p("阿"), p("片")] },
  { name: "initials/pinyin", probes: [p("atfttgp"), p("atf"), p("rsf"), p("lstjp"), p("ebst")] },
  { name: "english", probes: [p("atorvastatin"), p("Atorva"), p("clopidogrel"), p("imatinib")] },
  { name: "codes", probes: [p("SYND0000012345"), p("国药准字H20990123SYN"), p("SYND000001234")] },
  { name: "manufacturer", probes: [p("演示星河制药有限公司甲"), p("星河制药"), p("青禾药业")] },
  { name: "mixed words", probes: [p("阿托伐 20mg"), p("atf 10mg"), p("氯沙坦 50mg"), p("他汀 星河")] },
  {
    name: "q + filters",
    probes: [
      p("他汀", { batch: "synthetic-drug-5" }),
      p("atf", { level: "national" }),
      p("阿托伐", { category: "drug", minDiscount: 80 }),
      p("沙坦", { maxUnitPrice: 0.2 }),
      p("氯沙坦", { region: "河北省" }),
      p("他汀", { region: "大同市", minDiscount: 50 }),
    ],
  },
  {
    // Issue 15: what a hospital in one province can buy on one day (a city means its province).
    name: "province + asOf",
    probes: [
      p("阿托伐", { province: "浙江", asOf: "2024-06-01" }),
      p("他汀", { province: "河北省", asOf: "2021-01-01" }),
      p("氯沙坦", { province: "大同市", asOf: "2026-03-01" }),
      p("atf", { province: "广东", asOf: "2023-01-01", include: "ended" }),
      p("沙坦", { province: "新疆", state: ["in_force"] }),
      p("阿托伐", { province: "浙江", asOf: "2024-06-01", cursor: "page2" }),
    ],
  },
  { name: "typo (did you mean)", probes: [p("阿托发他汀"), p("atorvastain"), p("氯吡各雷")] },
  { name: "page 2 (cursor)", probes: [p("阿托伐", { cursor: "page2" }), p("他汀", { cursor: "page2" })] },
  { name: "suggest", probes: [s("at"), s("阿"), s("他汀"), s("atorva"), s("氯沙坦")] },
  // The tails the HTTP load test found: a word in every firm name, a code start shared by 100,000
  // products, and the product page (history and 20 cheapest equivalents out of ~18,000 prices).
  { name: "broad firm fragment", probes: [p("演示"), p("制药"), p("药业"), p("演示", { cursor: "page2" })] },
  { name: "code prefix", probes: [p("SYND00001"), p("SYND0000"), p("国药准字H2099"), p("SYND00001", { cursor: "page2" })] },
  { name: "product page", probes: [product(15), product(4), product(Math.max(1, Math.floor(count * 0.2))), product(Math.max(1, Math.floor(count * 0.444)))] },
];

const TARGET_P95_MS = 10;
const WARM_UP_CALLS = 300;
const WARM_UP_MS = 400;
const TARGET_SUGGEST_P95_MS = 5;
const TARGET_RATIO = 1.3;
/** A first call slower than this ends its class: the bench reports it and goes on. */
const TOO_SLOW_MS = 1000;

function percentile(xs: number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

export async function run(args: string[]): Promise<void> {
  const countArg = args.find((a) => a.startsWith("--prices="));
  const count = countArg ? Number(countArg.slice("--prices=".length)) : 1_000_000;
  const rounds = Number(args.find((a) => a.startsWith("--rounds="))?.slice("--rounds=".length) ?? 30);
  if (!Number.isSafeInteger(count) || count < 1) throw new Error(`--prices must be a positive integer`);
  const CLASSES = classes(count);
  const path = await buildSearchDb(count);
  const url = `file:${path}`;
  const handle = openLibsql(url);
  await tuneEmbedded(handle, url);
  const { db, client } = handle;
  const direct = client.execute.bind(client);
  let recording: InStatement[] | null = null;
  client.execute = ((stmt: InStatement) => {
    recording?.push(stmt);
    return direct(stmt);
  }) as typeof client.execute;

  const serviceCall = async (probe: Probe) => {
    if (probe.call === "suggest") return { total: (await suggestNames(db, probe.q, 10)).length, cursor: null };
    if (probe.call === "product") return { total: (await getProduct(db, probe.id)).alternatives.length, cursor: null };
    const page = await searchPrices(db, probe.query);
    return { total: page.total, cursor: page.nextCursor };
  };
  // Page-2 probes carry the real cursor of their first page.
  for (const c of CLASSES) {
    for (const probe of c.probes) {
      if (probe.call === "prices" && probe.query.cursor === "page2") {
        const first = await serviceCall({ ...probe, query: { ...probe.query, cursor: undefined } });
        probe.query.cursor = first.cursor ?? undefined;
      }
    }
  }

  console.log(
    `  ${count.toLocaleString("en")} SYNTHETIC prices (${path}); each query warmed ${WARM_UP_CALLS} times or ${WARM_UP_MS} ms, then ${rounds} rounds, service and direct alternating`,
  );
  console.log(
    `  ${"class".padEnd(22)} ${"matched".padStart(9)} ${"svc p50".padStart(8)} ${"svc p95".padStart(8)} ${"sql p50".padStart(8)} ${"sql p95".padStart(8)} ${"ratio50".padStart(8)} ${"ratio95".padStart(8)}  target`,
  );
  const failures: string[] = [];
  for (const c of CLASSES) {
    const svc: number[] = [];
    const sqlTimes: number[] = [];
    const matched: number[] = [];
    let tooSlow: string | null = null;
    for (const probe of c.probes) {
      recording = [];
      const first = performance.now();
      const answer = await serviceCall(probe);
      const firstMs = performance.now() - first;
      const statements = recording;
      recording = null;
      matched.push(answer.total);
      // A call this slow is a bad plan, not noise: name it and move on, so that the bench ends in
      // bounded time (a statement cannot be interrupted, so each such probe costs one call).
      if (firstMs > TOO_SLOW_MS) {
        tooSlow = `${probe.label}: first call ${Math.round(firstMs)} ms`;
        break;
      }
      // Warm: a server has run each code path many times before it is measured (V8 optimizes a
      // function only after many calls; SQLite's pages are in cache), so both sides are run until
      // WARM_UP_CALLS or WARM_UP_MS, whichever comes first.
      const warmUntil = performance.now() + WARM_UP_MS;
      for (let i = 0; i < WARM_UP_CALLS && performance.now() < warmUntil; i++) {
        await serviceCall(probe);
        for (const stmt of statements) await direct(stmt);
      }
      for (let i = 0; i < rounds; i++) {
        let t = performance.now();
        await serviceCall(probe);
        svc.push(performance.now() - t);
        t = performance.now();
        for (const stmt of statements) await direct(stmt);
        sqlTimes.push(performance.now() - t);
      }
    }
    const target = c.name === "suggest" ? TARGET_SUGGEST_P95_MS : TARGET_P95_MS;
    if (tooSlow) {
      failures.push(c.name);
      console.log(`  ${c.name.padEnd(22)} not measured: ${tooSlow} (over ${TOO_SLOW_MS} ms)  p95≤${target}ms MISSED`);
      continue;
    }
    const [s50, s95, d50, d95] = [percentile(svc, 0.5), percentile(svc, 0.95), percentile(sqlTimes, 0.5), percentile(sqlTimes, 0.95)];
    const ok = s95 <= target && s50 / d50 <= TARGET_RATIO;
    if (!ok) failures.push(c.name);
    const f = (x: number) => x.toFixed(2).padStart(8);
    console.log(
      `  ${c.name.padEnd(22)} ${String(Math.round(matched.reduce((a, b) => a + b, 0) / matched.length)).padStart(9)} ${f(s50)} ${f(s95)} ${f(d50)} ${f(d95)} ${f(s50 / d50)} ${f(s95 / d95)}  p95≤${target}ms ratio≤${TARGET_RATIO} ${ok ? "ok" : "MISSED"}`,
    );
  }
  handle.close();
  console.log(failures.length ? `  targets missed: ${failures.join(", ")}` : "  all targets met");
}
