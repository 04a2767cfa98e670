/**
 * The API reference rendered on the server from the OpenAPI document itself: every operation with
 * its parameters, request body and answers. It is what /docs shows before (or without) the
 * interactive reference, whose script comes from a CDN that a hospital intranet may not reach.
 */

type Schema = {
  type?: string | string[];
  enum?: unknown[];
  format?: string;
  items?: Schema;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  example?: unknown;
};
type Parameter = { name: string; in: string; required?: boolean; description?: string; schema?: Schema };
type Operation = {
  tags?: string[];
  summary?: string;
  description?: string;
  parameters?: Parameter[];
  requestBody?: { description?: string; content?: Record<string, unknown> };
  responses?: Record<string, { description?: string; content?: Record<string, unknown> }>;
  security?: unknown[];
};
export type OpenApiDocument = { info?: { title?: string; version?: string; description?: string }; paths?: Record<string, Record<string, Operation>> };

const METHODS = ["get", "post", "put", "patch", "delete"] as const;

const TAG_LABELS: Record<string, string> = {
  health: "运行状态 health",
  prices: "中选价格 prices",
  batches: "批次 batches",
  products: "产品 products",
  search: "搜索建议 search",
  imports: "导入 imports（需管理员令牌）",
  savings: "节约、进度与比价 savings",
};

const IN_LABELS: Record<string, string> = { query: "查询参数", path: "路径参数", header: "请求头" };

function typeOf(schema: Schema | undefined): string {
  if (!schema) return "";
  if (schema.enum) return schema.enum.map(String).join(" | ");
  const type = Array.isArray(schema.type) ? schema.type.join(" | ") : (schema.type ?? "");
  if (type === "array" && schema.items) return `${typeOf(schema.items)}[]`;
  const limits = [
    schema.format,
    schema.minimum !== undefined ? `≥ ${schema.minimum}` : "",
    schema.maximum !== undefined ? `≤ ${schema.maximum}` : "",
    schema.maxLength !== undefined ? `≤ ${schema.maxLength} 字符` : "",
  ].filter(Boolean);
  return limits.length ? `${type}（${limits.join("，")}）` : type;
}

/** A path's operations in document order, grouped by their first tag. */
function operationsByTag(doc: OpenApiDocument) {
  const groups = new Map<string, Array<{ method: string; path: string; op: Operation }>>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const tag = op.tags?.[0] ?? "other";
      groups.set(tag, [...(groups.get(tag) ?? []), { method, path, op }]);
    }
  }
  return [...groups];
}

const anchorOf = (method: string, path: string) => `${method}-${path.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "")}`;

function OperationSection(props: { method: string; path: string; op: Operation; origin: string }) {
  const { method, path, op, origin } = props;
  const params = op.parameters ?? [];
  const example = params.find((p) => p.in === "query" && p.schema?.example !== undefined);
  const curlPath = example ? `${path}?${example.name}=${encodeURIComponent(String(example.schema?.example))}` : path;
  return (
    <section class="api-op" id={anchorOf(method, path)}>
      <h3>
        <code>
          {method.toUpperCase()} {path}
        </code>
      </h3>
      {op.summary ? <p>{op.summary}</p> : null}
      {op.description ? <p class="note">{op.description}</p> : null}
      {op.security?.length ? (
        <p>
          需要管理员令牌：<code>Authorization: Bearer &lt;ADMIN_TOKEN&gt;</code>
        </p>
      ) : null}
      {params.length ? (
        <div class="scroll">
          <table>
            <caption>参数</caption>
            <thead>
              <tr>
                <th scope="col">名称</th>
                <th scope="col">位置</th>
                <th scope="col">必填</th>
                <th scope="col">类型</th>
                <th scope="col">说明</th>
              </tr>
            </thead>
            <tbody>
              {params.map((p) => (
                <tr>
                  <td>
                    <code>{p.name}</code>
                  </td>
                  <td>{IN_LABELS[p.in] ?? p.in}</td>
                  <td>{p.required ? "是" : "否"}</td>
                  <td>{typeOf(p.schema)}</td>
                  <td>{p.description ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {op.requestBody ? (
        <p>
          请求体：{Object.keys(op.requestBody.content ?? {}).join("、")}
          {op.requestBody.description ? `。${op.requestBody.description}` : ""}
        </p>
      ) : null}
      <dl class="api-responses">
        {Object.entries(op.responses ?? {}).map(([status, r]) => (
          <>
            <dt>
              <code>{status}</code>
            </dt>
            <dd>
              {r.description ?? ""}
              {r.content ? ` (${Object.keys(r.content).join(", ")})` : ""}
            </dd>
          </>
        ))}
      </dl>
      {method === "get" ? (
        <pre>
          <code>
            curl '{origin}
            {curlPath}'
          </code>
        </pre>
      ) : null}
    </section>
  );
}

/** `origin`: this server's own address, so that the curl lines can be copied as they are. */
export function ApiReference(props: { doc: OpenApiDocument; origin: string }) {
  const groups = operationsByTag(props.doc);
  return (
    <main id="main" class="api-reference">
      <h1>{props.doc.info?.title ?? "API"}</h1>
      <p>
        版本 {props.doc.info?.version ?? ""} · 机器可读定义：<a href="/openapi.json">/openapi.json</a>（OpenAPI 3.1）· <a href="/">返回查询</a>
      </p>
      {props.doc.info?.description ? <p class="note">{props.doc.info.description}</p> : null}
      <p class="note">错误一律为 JSON：{`{"error": {"code", "message", "details", "requestId"}}`}，code 稳定，可供程序判断。</p>
      <nav aria-label="接口目录">
        <ul>
          {groups.map(([tag, ops]) => (
            <li>
              {TAG_LABELS[tag] ?? tag}：
              {ops.map(({ method, path }, i) => (
                <>
                  {i ? "，" : ""}
                  <a href={`#${anchorOf(method, path)}`}>
                    {method.toUpperCase()} {path}
                  </a>
                </>
              ))}
            </li>
          ))}
        </ul>
      </nav>
      {groups.map(([tag, ops]) => (
        <section>
          <h2>{TAG_LABELS[tag] ?? tag}</h2>
          {ops.map((o) => (
            <OperationSection {...o} origin={props.origin} />
          ))}
        </section>
      ))}
    </main>
  );
}
