import { timingSafeEqual } from "hono/utils/buffer";
import type { AppDeps } from "../context";

/** One admin token and the name imports made with it are recorded under. */
export type AdminToken = { name: string; token: string };

export const MIN_TOKEN_LENGTH = 16;
const NAME = /^[\w.@-]{1,64}$/;

/**
 * Parses `name:token` pairs, separated by commas or line breaks (the ADMIN_TOKENS variable or the
 * lines of ADMIN_TOKENS_FILE; `#` starts a comment line). Throws a message naming the bad entry
 * by position, never echoing a token.
 */
export function parseAdminTokens(text: string): AdminToken[] {
  const tokens: AdminToken[] = [];
  const entries = text
    .split(/[\n,]/)
    .map((e) => e.trim())
    .filter((e) => e !== "" && !e.startsWith("#"));
  entries.forEach((entry, i) => {
    const colon = entry.indexOf(":");
    const name = colon < 0 ? "" : entry.slice(0, colon).trim();
    const token = colon < 0 ? "" : entry.slice(colon + 1).trim();
    if (!NAME.test(name)) throw new Error(`entry ${i + 1}: write it as name:token, the name of letters, digits, . _ @ or - (at most 64)`);
    if (token.length < MIN_TOKEN_LENGTH)
      throw new Error(`entry ${i + 1} (${name}): the token must be at least ${MIN_TOKEN_LENGTH} characters; generate one with \`openssl rand -hex 32\``);
    if (tokens.some((t) => t.name === name)) throw new Error(`entry ${i + 1}: the name ${name} is given twice`);
    tokens.push({ name, token });
  });
  return tokens;
}

/** Every token this server accepts: the named ones, and ADMIN_TOKEN under the name "admin". */
export function adminTokensOf(deps: Pick<AppDeps, "adminToken" | "adminTokens">): AdminToken[] {
  const named = deps.adminTokens ?? [];
  return deps.adminToken ? [...named, { name: "admin", token: deps.adminToken }] : named;
}

/** The name of the token presented, or null. Every configured token is compared, in constant time. */
export async function adminNameFor(deps: Pick<AppDeps, "adminToken" | "adminTokens">, presented: string): Promise<string | null> {
  let found: string | null = null;
  for (const { name, token } of adminTokensOf(deps)) {
    if ((await timingSafeEqual(presented, token)) && found === null) found = name;
  }
  return found;
}
