import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../context";
import { AppError } from "../errors";
import { Layout } from "./layout";
import { zhMessage } from "./messages-zh";

const TITLES: Record<number, string> = {
  400: "请求有误",
  401: "需要管理令牌",
  403: "没有权限",
  404: "没有找到",
  413: "文件太大",
  415: "文件类型不对",
  422: "内容有误",
  429: "请求太频繁",
  503: "服务繁忙",
};

/**
 * Errors on a page answer a page in Chinese with the same status the API would give, never a
 * stack trace. Unexpected errors are logged with the request id, which the page shows.
 */
export function pageError(err: Error, c: Context<AppEnv>) {
  let status: ContentfulStatusCode = 500;
  let detail = "服务器出了一个意外的错误，已经记录。请稍后再试。";
  if (err instanceof AppError) {
    status = err.status;
    detail = err.message;
  } else if (err instanceof HTTPException) {
    status = err.status as ContentfulStatusCode;
    detail = err.message || detail;
  } else {
    console.error(JSON.stringify({ level: "error", requestId: c.get("requestId"), message: err.message, stack: err.stack }));
  }
  if (status === 429 || status === 503) c.header("Retry-After", "1");
  return c.html(
    <Layout title={TITLES[status] ?? "出错了"}>
      <h1>{TITLES[status] ?? "出错了"}</h1>
      <p class="alert" role="alert">
        {status === 404 ? "要找的页面或数据不存在。" : ""}
        <span class="note">{zhMessage(detail)}</span>
      </p>
      <p>
        <a href="/">回到查询</a>
        {c.get("requestId") ? <span class="note">　请求编号：{c.get("requestId")}</span> : null}
      </p>
    </Layout>,
    status,
  );
}
