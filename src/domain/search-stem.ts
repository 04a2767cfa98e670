/**
 * What a pharmacist types beyond the generic name a price table publishes. The national tables name
 * a drug without its salt and form (阿托伐他汀, dosage form 口服常释剂型), while a pharmacist types
 * the name on the box (阿托伐他汀钙片) or its 拼音码 (atfttgp). A query ending in a dosage-form word
 * (片, 胶囊, 注射液 …, or their 拼音码 p, jn, zsy …), then perhaps a salt (钙, 钠 …; g, n …), is
 * also read as the name without them, in the same script; the form word then keeps only the
 * dosage forms it belongs to (片 is one of the 口服常释剂型).
 */

/**
 * A dosage-form word as typed, and the stretches of a published dosage form it fits: 片 fits 片剂,
 * 分散片 and the national class 口服常释剂型 (ordinary-release oral forms: tablets and capsules, as
 * the NHSA drug classification groups them), a 缓释片 only the 缓释控释剂型.
 */
type FormWord = { han: string; initials: string; pinyin: string; fits: readonly string[] };

const ORAL = "口服常释";
const MODIFIED = ["缓释", "控释"] as const;

export const FORM_WORDS: readonly FormWord[] = [
  { han: "片", initials: "p", pinyin: "pian", fits: ["片", ORAL] },
  { han: "片剂", initials: "pj", pinyin: "pianji", fits: ["片", ORAL] },
  { han: "分散片", initials: "fsp", pinyin: "fensanpian", fits: ["分散片", ORAL] },
  { han: "肠溶片", initials: "crp", pinyin: "changrongpian", fits: ["肠溶", ORAL] },
  { han: "咀嚼片", initials: "jjp", pinyin: "jujuepian", fits: ["咀嚼", ORAL] },
  { han: "口崩片", initials: "kbp", pinyin: "koubengpian", fits: ["崩解", ORAL] },
  { han: "口腔崩解片", initials: "kqbjp", pinyin: "kouqiangbengjiepian", fits: ["崩解", ORAL] },
  { han: "缓释片", initials: "hsp", pinyin: "huanshipian", fits: MODIFIED },
  { han: "控释片", initials: "ksp", pinyin: "kongshipian", fits: MODIFIED },
  { han: "胶囊", initials: "jn", pinyin: "jiaonang", fits: ["胶囊", ORAL] },
  { han: "软胶囊", initials: "rjn", pinyin: "ruanjiaonang", fits: ["胶囊", ORAL] },
  { han: "肠溶胶囊", initials: "crjn", pinyin: "changrongjiaonang", fits: ["胶囊", ORAL] },
  { han: "缓释胶囊", initials: "hsjn", pinyin: "huanshijiaonang", fits: MODIFIED },
  { han: "注射液", initials: "zsy", pinyin: "zhusheye", fits: ["注射"] },
  { han: "注射剂", initials: "zsj", pinyin: "zhusheji", fits: ["注射"] },
  { han: "颗粒", initials: "kl", pinyin: "keli", fits: ["颗粒"] },
  { han: "颗粒剂", initials: "klj", pinyin: "keliji", fits: ["颗粒"] },
  { han: "散", initials: "s", pinyin: "san", fits: ["散"] },
  { han: "滴眼液", initials: "dyy", pinyin: "diyanye", fits: ["滴眼"] },
  { han: "口服溶液", initials: "kfry", pinyin: "koufurongye", fits: ["口服液体", "溶液"] },
];

/** Salts a box names after the base (阿托伐他汀钙, 氯沙坦钾, 培美曲塞二钠) that the tables may drop. */
export const SALT_WORDS: ReadonlyArray<{ han: string; initials: string; pinyin: string }> = [
  { han: "钙", initials: "g", pinyin: "gai" },
  { han: "钠", initials: "n", pinyin: "na" },
  { han: "二钠", initials: "en", pinyin: "erna" },
  { han: "钾", initials: "j", pinyin: "jia" },
  { han: "镁", initials: "m", pinyin: "mei" },
];

/**
 * A reading of a query as a shorter name: `stem` is compared whole (never as a fragment) with a
 * name (Chinese) or its 拼音码 and pinyin (Latin); `fits` are the dosage forms its prices may have
 * (null: any, when only a salt was dropped).
 */
export type QueryStem = { stem: string; script: "han" | "latin"; fits: readonly string[] | null };

const HAN_ONLY = /^\p{Script=Han}+$/u;
const LATIN_ONLY = /^[a-z]+$/;

/**
 * The shorter names a query may stand for: without a trailing form word, then also without a
 * trailing salt, or without a salt alone; longest words first. What is left must be at least two
 * Chinese characters or three letters (a 拼音码 shorter than that names nothing in particular), and
 * a query in mixed scripts, with spaces or digits is no name on a box: none.
 */
export function queryStems(text: string): QueryStem[] {
  const script = HAN_ONLY.test(text) ? "han" : LATIN_ONLY.test(text) ? "latin" : null;
  if (!script) return [];
  const min = script === "han" ? 2 : 3;
  const spellings = (w: { han: string; initials: string; pinyin: string }) => (script === "han" ? [w.han] : [w.initials, w.pinyin]);
  const out: QueryStem[] = [];
  const add = (stem: string, fits: readonly string[] | null) => {
    if ([...stem].length >= min && !out.some((s) => s.stem === stem)) out.push({ stem, script, fits });
  };
  const withoutSalt = (rest: string, fits: readonly string[] | null) => {
    for (const salt of SALT_WORDS) for (const s of spellings(salt)) if (rest.endsWith(s)) add(rest.slice(0, -s.length), fits);
  };
  const byLength = [...FORM_WORDS].sort((a, b) => b.han.length - a.han.length);
  for (const form of byLength) {
    for (const s of spellings(form)) {
      if (!text.endsWith(s)) continue;
      const rest = text.slice(0, -s.length);
      add(rest, form.fits);
      withoutSalt(rest, form.fits);
    }
  }
  withoutSalt(text, null);
  return out;
}

/** True when a name is what a stem stands for: the whole name, or the whole 拼音码 or pinyin. */
export function nameIsStem(s: QueryStem, name: { term: string; initials: string | null; pinyin: string | null }): boolean {
  return s.script === "han" ? name.term === s.stem : name.initials === s.stem || name.pinyin === s.stem;
}
