import type { z } from "@hono/zod-openapi";
import { CATEGORY_LABELS, LEVEL_LABELS } from "./format";

/**
 * A page's query parameter that the API's schema refused, said in Chinese with the label the page's
 * form gives the field and the value as it was given. The schema's own messages are English (the
 * API's integrators read those); a pharmacist who pasted a long line into the search box should read
 * "药品或耗材：有 150 个字符，最多 100 个", not "q: Too big: expected string to have <=100 characters".
 */
const LABELS: Record<string, string> = {
  q: "药品或耗材",
  manufacturer: "企业",
  batch: "批次",
  level: "级别",
  category: "类别",
  region: "地区",
  minDiscount: "最小降幅（%）",
  maxUnitPrice: "最高单价（元）",
  sort: "排序",
  limit: "每页条数",
  cursor: "翻页位置",
};

/** The values a choice takes, with the page's Chinese names where it has them. */
const CHOICE_LABELS: Record<string, string> = { ...LEVEL_LABELS, ...CATEGORY_LABELS };

/** The value as given, in quotes; a long one cut at 20 characters. */
function quoted(value: string | undefined): string {
  const chars = [...(value ?? "")];
  return `“${chars.length > 20 ? `${chars.slice(0, 20).join("")}…` : chars.join("")}”`;
}

export function queryProblemZh(issue: z.core.$ZodIssue, raw: Record<string, string>): string {
  const key = String(issue.path[0] ?? "");
  const label = LABELS[key] ?? (key || "查询");
  const given = raw[key];
  return `${label}：${problemText(issue, given)}`;
}

function problemText(issue: z.core.$ZodIssue, given: string | undefined): string {
  switch (issue.code) {
    case "too_big":
      return issue.origin === "string"
        ? `有 ${[...(given ?? "").trim()].length} 个字符，最多 ${issue.maximum} 个，请缩短后再试`
        : `${quoted(given)}不能大于 ${issue.maximum}`;
    case "too_small":
      return issue.origin === "string" ? `至少要有 ${issue.minimum} 个字符` : `${quoted(given)}不能小于 ${issue.minimum}`;
    case "invalid_type":
      if (issue.expected === "int") return `${quoted(given)}不是整数`;
      return issue.expected === "number" ? `${quoted(given)}不是数字` : `${quoted(given)}不是可用的值`;
    case "invalid_value":
      return `${quoted(given)}不是可选的值（${issue.values.map((v) => (CHOICE_LABELS[String(v)] ? `${CHOICE_LABELS[String(v)]} ${String(v)}` : String(v))).join("、")}）`;
    default:
      // A rule of its own (a refine): its message is the best there is; shown as it is rather than hidden.
      return issue.message;
  }
}
