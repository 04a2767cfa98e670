import type { Context } from "hono";
import type { Child } from "hono/jsx";
import type { AppDeps, AppEnv } from "../../context";
import { IMPORT_KINDS, type ImportKind } from "../../db/schema";
import { KINDS } from "../../import/kinds";
import type { UploadRefusals } from "../../import/spool";
import { adminTokensOf } from "../../middleware/admin-tokens";
import { FormFile, PAGE_FORM_MESSAGES, readForm } from "../../middleware/upload-body";
import { ImportRunningError, takeImportLock } from "../../services/import-lock";
import { type ImportPreview, PREVIEW_SAMPLES, type PreviewRow, previewImport } from "../../services/import-preview";
import { type ImportReport, type ImportRequest, runImport } from "../../services/imports";
import { SESSION_MINUTES, sessionAdmin, signIn, signOut } from "../admin-session";
import { CarriedFileTooLarge, carryFile, fileFromForm } from "../carried-file";
import { ChangedColumns, changeText } from "../components/preview-changes";
import { RowErrorsTable } from "../components/row-errors-table";
import { count, priceColumn } from "../format";
import { zhImportMessage } from "../import-messages-zh";
import { Layout } from "../layout";
import { zhMessage } from "../messages-zh";

const KIND_LABELS: Record<ImportKind, string> = {
  prices: "中选价格",
  batches: "集采批次",
  volumes: "采购量",
  regions: "地区",
  agreedVolumes: "地区约定采购量",
};

/**
 * The checked file rides along in the confirm form (gzip-compressed, src/ui/carried-file.ts), so
 * committing needs no second upload, when the carried text stays under this size: a few megabytes of
 * page, which a CSV of ~12 MB compresses to (the real workbook's tables as CSV compress 5.4 to 1; a
 * workbook, compressed already, carries up to ~2 MB). Files larger than CARRY_TRY_BYTES are not
 * compressed to find out.
 */
const CARRY_LIMIT_CHARS = 3 * 1024 * 1024;
const CARRY_TRY_BYTES = 25 * 1024 * 1024;

type FormState = {
  kind: ImportKind;
  batch: string;
  dryRun: boolean;
  sheet: string;
  map: string;
  profile: string;
  saveProfile: string;
  sourceNote: string;
  strict: boolean;
};

/** As the API's `sourceNote` allows: a citation, not a document. */
const SOURCE_NOTE_MAX = 200;

/** An import message in Chinese: the import's own wording first, the pages' general one otherwise. */
const zh = (m: string) => {
  const t = zhImportMessage(m);
  return t.startsWith("导入提示：") ? zhMessage(m) : t;
};

/** A text field of the form with its hint, which screen readers read with it (aria-describedby). */
function TextField(props: { name: keyof FormState; label: string; value: string; hint: string; hintId?: string; maxLength?: number }) {
  const hintId = props.hintId ?? `${props.name}-hint`;
  return (
    <div class="field">
      <label for={props.name}>{props.label}</label>
      <input id={props.name} name={props.name} type="text" value={props.value} aria-describedby={hintId} maxlength={props.maxLength} />
      <span id={hintId} class="hint">
        {props.hint}
      </span>
    </div>
  );
}

function ImportForm(props: { state: FormState; enabled: boolean }) {
  const s = props.state;
  return (
    <form class="panel" method="post" action="/import" enctype="multipart/form-data">
      <div class="form-grid">
        <div class="field">
          <label for="kind">文件类型</label>
          <select id="kind" name="kind">
            {IMPORT_KINDS.map((k) => (
              <option value={k} selected={k === s.kind}>
                {KIND_LABELS[k]}（{k}）
              </option>
            ))}
          </select>
        </div>
        <TextField name="batch" label="批次编号（可选）" value={s.batch} hint="文件没有“批次”列时，整个文件都属于这个批次，如 national-drug-4" />
        <div class="field">
          <label for="file">CSV 或 Excel 文件</label>
          <input
            id="file"
            name="file"
            type="file"
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            required
            aria-describedby="file-hint"
          />
          <span id="file-hint" class="hint">
            Excel 工作簿（.xlsx）、UTF-8 或 GB18030 的 CSV 均可，不用另存
          </span>
        </div>
        <TextField
          name="sheet"
          label="工作表（可选）"
          value={s.sheet}
          hint=".xlsx 有多个工作表时填名称或序号（1 为第一个）；不填则读取第一个认得表头的工作表"
        />
        <div class="field">
          <label for="map">列对应（可选）</label>
          <textarea id="map" name="map" rows={2} aria-describedby="map-hint">
            {s.map}
          </textarea>
          <span id="map-hint" class="hint">
            每行一个“字段=表头”，如 chosenUnitPrice=竞标价格（最小规格）（元）；试运行后也可在报告里逐列选择
          </span>
        </div>
        <TextField name="profile" label="导入方案（可选）" value={s.profile} hint="使用以前保存的列对应和工作表" />
        <TextField
          name="saveProfile"
          label="保存为方案（可选）"
          value={s.saveProfile}
          hintId="save-hint"
          hint="导入成功后，把这次的列对应和工作表存成这个名字，下次直接选用"
        />
        <TextField
          name="sourceNote"
          label="来源说明（可选）"
          value={s.sourceNote}
          maxLength={SOURCE_NOTE_MAX}
          hint="中选价格文件没有“来源”列时，每行的来源记为“这段文字, row 行号”（工作簿另加 sheet 工作表名），如：国家医保局 第三批集采中选结果 2020-08-20"
        />
      </div>
      <div class="actions">
        <label class="check" for="dryRun">
          <input id="dryRun" name="dryRun" type="checkbox" value="1" checked={s.dryRun} />
          只检查，不写入（试运行）
        </label>
        <label class="check" for="strict">
          <input id="strict" name="strict" type="checkbox" value="1" checked={s.strict} />
          降幅对不上时拒绝（严格）
        </label>
        <button type="submit" disabled={!props.enabled}>
          上传
        </button>
      </div>
    </form>
  );
}

function Report(props: { report: ImportReport; fileName: string | null }) {
  const r = props.report;
  const rejected = r.errors.length > 0;
  return (
    <section aria-labelledby="report-heading" id="report">
      <h2 id="report-heading">导入报告{props.fileName ? `：${props.fileName}` : ""}</h2>
      <div class={rejected ? "alert" : "ok"} role={rejected ? "alert" : "status"}>
        {rejected && r.rowsTotal === 0 && r.errors.every((e) => e.row === 0)
          ? "文件被拒绝，没有写入任何数据：问题在整个文件，不在某一行，原因见下表。请改正后重新上传。"
          : rejected
            ? `文件被拒绝，没有写入任何数据：${count(r.rowsRejected)} 行有错误（共 ${count(r.rowsTotal)} 行）。请改正后重新上传。`
            : r.dryRun
              ? `检查通过：${count(r.rowsValid)} 行都可以导入（试运行，尚未写入）。`
              : r.rowsUnchanged !== null && r.rowsImported === 0
                ? `文件与已有数据相同：${count(r.rowsUnchanged)} 行没有变化，没有写入。`
                : `已导入 ${count(r.rowsImported)} 行${r.rowsUnchanged ? `，另有 ${count(r.rowsUnchanged)} 行与已有数据相同` : ""}。`}
      </div>
      <dl class="facts">
        <dt>类型</dt>
        <dd>{KIND_LABELS[r.kind]}</dd>
        <dt>格式</dt>
        <dd>
          {r.format === "xlsx"
            ? r.sheet === null
              ? "Excel 工作簿（没有读到工作表）"
              : `Excel 工作簿，工作表“${r.sheet}”`
            : r.format === "csv"
              ? `CSV（${r.encoding ?? "—"}）`
              : "—"}
        </dd>
        {!rejected && !r.dryRun && r.rowsUnchanged !== null ? (
          <>
            <dt>新增或更改</dt>
            <dd>{count(r.rowsImported)}</dd>
            <dt>未变（已有相同数据）</dt>
            <dd>{count(r.rowsUnchanged)}</dd>
          </>
        ) : null}
        {r.rowsSkipped ? (
          <>
            <dt>跳过的行</dt>
            <dd>{count(r.rowsSkipped)}</dd>
          </>
        ) : null}
        <dt>总行数</dt>
        <dd>{count(r.rowsTotal)}</dd>
        <dt>审计编号</dt>
        <dd>{r.importId}</dd>
      </dl>
      {r.errors.length ? <RowErrorsTable id="import-errors" issues={r.errors.map((e) => ({ ...e, message: zh(e.message) }))} /> : null}
      {r.warnings.length ? (
        <>
          <h3>提醒</h3>
          <ul>
            {r.warnings.map((w) => (
              <li>{zh(w)}</li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

function PreviewRows(props: { id: string; title: string; rows: PreviewRow[]; total: number }) {
  if (!props.rows.length) return null;
  const col = priceColumn(props.rows.map((r) => r.chosenPrice));
  const withPrice = props.rows.some((r) => r.chosenPrice !== null);
  const withChanges = props.rows.some((r) => r.changes?.length);
  return (
    <div class="table-wrap">
      <table class="cards" id={props.id}>
        <caption>
          {props.title}（示例 {props.rows.length} 行{props.total > props.rows.length ? `，共 ${count(props.total)} 行` : ""}）
        </caption>
        <thead>
          <tr>
            <th scope="col">{withPrice ? "批次" : "编号"}</th>
            <th scope="col">{withPrice ? "产品" : "名称"}</th>
            {withPrice ? (
              <th scope="col" class="num">
                中选价（元）
              </th>
            ) : null}
            {withChanges ? <th scope="col">改变</th> : null}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr>
              <td class="lead-cell" data-label={withPrice ? "批次" : "编号"}>
                {r.label}
              </td>
              <td data-label={withPrice ? "产品" : "名称"}>{r.detail}</td>
              {withPrice ? (
                <td class="num" data-label="中选价">
                  {col(r.chosenPrice)}
                </td>
              ) : null}
              {withChanges ? (
                <td data-label="改变" class="changes">
                  {(r.changes ?? []).map((c) => (
                    <div>{changeText(c)}</div>
                  ))}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** What a clean dry run would do: rows added, updated and left unchanged, with samples of the first two. */
function Preview(props: { preview: ImportPreview }) {
  const p = props.preview;
  return (
    <section aria-labelledby="preview-heading" id="preview">
      <h2 id="preview-heading">导入后会怎样</h2>
      <div class="keyfigures">
        <div class="keyfigure">
          <div class="k">新增</div>
          <div class="v" id="preview-added">
            {count(p.added)} 行
          </div>
          <div class="s">库里还没有的</div>
        </div>
        <div class="keyfigure">
          <div class="k">更新</div>
          <div class="v" id="preview-updated">
            {count(p.updated)} 行
          </div>
          <div class="s">已有、内容会改变的</div>
        </div>
        <div class="keyfigure">
          <div class="k">不变</div>
          <div class="v" id="preview-unchanged">
            {count(p.unchanged)} 行
          </div>
          <div class="s">与库里完全相同的（不列出）</div>
        </div>
      </div>
      <PreviewRows id="preview-added-rows" title="将新增" rows={p.samples.added} total={p.added} />
      <ChangedColumns preview={p} />
      <PreviewRows id="preview-updated-rows" title="将更新（中选价为导入后的值）" rows={p.samples.updated} total={p.updated} />
      <p class="note">试运行在一个随即撤销的事务里执行了整份文件，数据没有改变；每类最多列出 {PREVIEW_SAMPLES} 行。</p>
    </section>
  );
}

/** Asks for the token once per browser session (see admin-session.ts); the token never comes back in a page. */
function SignInForm(props: { enabled: boolean }) {
  return (
    <form class="panel" method="post" action="/import/sign-in" id="sign-in">
      <div class="field">
        <label for="token">管理令牌</label>
        <input id="token" name="token" type="password" required autocomplete="current-password" aria-describedby="token-hint" />
        <span id="token-hint" class="hint">
          即服务器上的 ADMIN_TOKEN（或 ADMIN_TOKENS 中的一个）。登录一次，在关闭浏览器或 {SESSION_MINUTES} 分钟不操作之前都有效。
        </span>
      </div>
      <div class="actions">
        <button type="submit" disabled={!props.enabled}>
          登录
        </button>
      </div>
    </form>
  );
}

function SignedIn(props: { name: string }) {
  return (
    <form method="post" action="/import/sign-out" class="actions signed-in">
      <span>已用管理令牌登录（{props.name}）</span>
      <button type="submit" class="secondary">
        退出
      </button>
    </form>
  );
}

/**
 * 列对应 by hand, without JavaScript: every column of the file with the field it was read as, and a
 * select to read it as another (or to ignore it). Offered when a column was not recognised or a
 * required one is missing; submitting re-checks the same file with the choice.
 */
function ColumnPicker(props: { state: FormState; fileName: string | null; carried: string; report: ImportReport }) {
  const columns = props.report.columns ?? [];
  if (!pickerHelps(props.report)) return null;
  const fields = KINDS[props.report.kind].fields.map((f) => f.field);
  return (
    <form method="post" action="/import" enctype="multipart/form-data" class="panel" id="column-picker">
      <h3>列对应</h3>
      <p class="hint">每一列按哪个字段读取；改好后重新检查。</p>
      <input type="hidden" name="kind" value={props.state.kind} />
      <input type="hidden" name="batch" value={props.state.batch} />
      <input type="hidden" name="sheet" value={props.state.sheet} />
      <input type="hidden" name="saveProfile" value={props.state.saveProfile} />
      <input type="hidden" name="sourceNote" value={props.state.sourceNote} />
      <input type="hidden" name="dryRun" value="1" />
      <input type="hidden" name="fileName" value={props.fileName ?? ""} />
      <input type="hidden" name="fileGzip" value={props.carried} />
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">文件中的列</th>
              <th scope="col">读作</th>
            </tr>
          </thead>
          <tbody>
            {columns.map((c, i) => (
              <tr>
                <td>
                  <label for={`pick-${i}`}>{c.header}</label>
                  <input type="hidden" name={`pickHeader${i}`} value={c.header} />
                </td>
                <td>
                  <select id={`pick-${i}`} name={`pickField${i}`}>
                    <option value="" selected={c.field === null}>
                      （忽略）
                    </option>
                    {fields.map((f) => (
                      <option value={f} selected={c.field === f}>
                        {f}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <button type="submit">按这些列重新检查</button>
    </form>
  );
}

/** After a clean dry run: one button that imports the very same bytes (carried in the form). */
/** True when a column was not recognised or a required one is missing: choosing columns by hand may help. */
function pickerHelps(report: ImportReport): boolean {
  const columns = report.columns ?? [];
  return columns.length > 0 && (columns.some((c) => c.field === null) || report.errors.some((e) => e.message.startsWith("required column is missing")));
}

function ConfirmForm(props: { state: FormState; fileName: string | null; carried: string }) {
  return (
    <form method="post" action="/import" enctype="multipart/form-data" class="actions">
      <input type="hidden" name="kind" value={props.state.kind} />
      <input type="hidden" name="batch" value={props.state.batch} />
      <input type="hidden" name="sheet" value={props.state.sheet} />
      <input type="hidden" name="map" value={props.state.map} />
      <input type="hidden" name="profile" value={props.state.profile} />
      <input type="hidden" name="saveProfile" value={props.state.saveProfile} />
      <input type="hidden" name="sourceNote" value={props.state.sourceNote} />
      {props.state.strict ? <input type="hidden" name="strict" value="1" /> : null}
      <input type="hidden" name="fileName" value={props.fileName ?? ""} />
      <input type="hidden" name="fileGzip" value={props.carried} />
      <button type="submit">确认导入这个文件</button>
      <a href="/import">取消</a>
    </form>
  );
}

function page(
  c: Context<AppEnv>,
  body: {
    state: FormState;
    signedIn: string | null;
    message?: string;
    report?: ImportReport;
    preview?: ImportPreview | null;
    fileName?: string | null;
    confirm?: Child;
  },
  status: 200 | 400 | 401 | 403 | 409 | 413 = 200,
) {
  const enabled = adminTokensOf(c.get("deps")).length > 0;
  c.header("Cache-Control", "no-store");
  return c.html(
    <Layout title="导入数据" nav="import">
      <h1>导入数据</h1>
      <p class="lead">上传 Excel 工作簿（.xlsx）或 CSV 文件，原样上传即可。整份文件要么全部导入，要么一行也不写入；先试运行查看报告，再确认导入。</p>
      {!enabled ? (
        <p class="alert" role="alert">
          这台服务器没有设置 ADMIN_TOKEN，网页导入已关闭。请在服务器上设置 ADMIN_TOKEN（至少 16 个字符）后重启，或在服务器上运行 npm run import。
        </p>
      ) : null}
      {body.message ? (
        <p class="alert" role="alert">
          {body.message}
        </p>
      ) : null}
      {body.report ? <Report report={body.report} fileName={body.fileName ?? null} /> : null}
      {body.preview ? <Preview preview={body.preview} /> : null}
      {body.confirm ?? null}
      {body.signedIn === null ? (
        <>
          <h2>登录</h2>
          <SignInForm enabled={enabled} />
        </>
      ) : (
        <>
          <SignedIn name={body.signedIn} />
          <h2>{body.report ? "上传另一个文件" : "上传文件"}</h2>
          <ImportForm state={body.state} enabled={enabled} />
        </>
      )}
    </Layout>,
    status,
  );
}

const DEFAULT_STATE: FormState = { kind: "prices", batch: "", dryRun: true, sheet: "", map: "", profile: "", saveProfile: "", sourceNote: "", strict: false };

/** The column picker's choices as `field=header` lines: a chosen field for each listed header. */
function pickedMap(form: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (let i = 0; typeof form[`pickHeader${i}`] === "string"; i++) {
    const header = String(form[`pickHeader${i}`]);
    const field = typeof form[`pickField${i}`] === "string" ? String(form[`pickField${i}`]) : "";
    if (field) out.push(`${field}=${header}`);
  }
  return out;
}

/** 导入, the form (or the sign-in form first). */
export async function importPage(c: Context<AppEnv>) {
  return page(c, { state: DEFAULT_STATE, signedIn: await sessionAdmin(c) });
}

/** POST /import/sign-in: on success back to the form (303), else the sign-in form with the reason. */
export async function importSignIn(c: Context<AppEnv>) {
  const result = await signIn(c);
  if (result.ok) return c.redirect("/import", 303);
  return page(c, { state: DEFAULT_STATE, signedIn: null, message: result.message }, result.status);
}

/** POST /import/sign-out. */
export function importSignOut(c: Context<AppEnv>) {
  signOut(c);
  return c.redirect("/import", 303);
}

/**
 * The preview holds every statement of the file until it rolls them back: 20,000 prices (5 MB) fit
 * in a 48 MB heap on the thread, whose default is 192 MB. A larger file gets the plain dry run, which
 * streams (its report, without the samples).
 */
const PREVIEW_LIMIT_BYTES = 10 * 1024 * 1024;

/** The spooler's refusals, which a file already read (and bounded by the form's limit) never meets. */
const NEVER_REFUSED: UploadRefusals = {
  tooLarge: () => new Error("the spooled file outgrew the form"),
  malformed: () => new Error("the spooled file is not a form"),
  missingFile: () => new Error("the spooled file has no file"),
};

/**
 * Where the server imports uploads on a thread of their own (Node, from the build), the page's file
 * goes there as the API's does: spooled to a temporary file and imported on the thread, with its own
 * connection and bounded heap, so a 50 MB file neither stalls every other request while it is read
 * and checked nor grows the server's heap. Null where the runtime has no such thread.
 */
async function importOnThread(
  deps: AppDeps,
  { file, readWorkbook: _, ...request }: Omit<ImportRequest, "dryRun" | "bytes"> & { file: FormFile },
  dryRun: boolean,
): Promise<{ report: ImportReport; preview: ImportPreview | null } | null> {
  if (!deps.importSpooled || !deps.spoolUpload) return null;
  // The parts as they arrived, a chunk at a time to the spooler: not joined into one array, nor
  // copied into a request body (0.2–0.5 s each of the event loop for 57 MB).
  const parts = await file.parts();
  let next = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const part = parts[next++];
      if (part) controller.enqueue(part);
      else controller.close();
    },
  });
  // as RequestInit: `duplex`, which a streamed request body needs, is missing from the DOM typings.
  const spooled = await deps.spoolUpload(new Request("http://import.page/", { method: "POST", body, duplex: "half" } as RequestInit), {
    maxBytes: file.size,
    fileField: "file",
    refusals: NEVER_REFUSED,
  });
  try {
    const settings = { ...request, fileName: request.fileName ?? null, actor: request.actor ?? "", sha256: spooled.sha256 };
    const previewSamples = dryRun && file.size <= PREVIEW_LIMIT_BYTES;
    const { heapLimitMb: _limit, preview = null, ...report } = await deps.importSpooled(spooled.path!, { ...settings, dryRun, previewSamples });
    return { report, preview };
  } finally {
    await spooled.dispose();
  }
}

/** 导入, the form posted without JavaScript: check the token, run the import, show its report. */
export async function importSubmit(c: Context<AppEnv>) {
  const deps = c.get("deps");
  const form = await readForm(c, PAGE_FORM_MESSAGES);
  const text = (name: string) => (typeof form[name] === "string" ? (form[name] as string).trim() : "");
  const kind = IMPORT_KINDS.find((k) => k === text("kind"));
  const picked = pickedMap(form);
  const state: FormState = {
    kind: kind ?? "prices",
    batch: text("batch"),
    dryRun: text("dryRun") === "1",
    sheet: text("sheet"),
    map: picked.length ? picked.join("\n") : text("map"),
    profile: text("profile"),
    saveProfile: text("saveProfile"),
    sourceNote: text("sourceNote"),
    strict: text("strict") === "1",
  };
  // requireAdminSession checked the session (or the token) before the body was read.
  const signedIn = c.get("adminName") ?? null;
  if (adminTokensOf(deps).length === 0) return page(c, { state, signedIn: null }, 403);
  if (signedIn === null) return page(c, { state, signedIn, message: "请先用管理令牌登录，没有导入任何数据。" }, 401);
  if (!kind) return page(c, { state, signedIn, message: `请选择文件类型（${IMPORT_KINDS.join("、")}）。` }, 400);
  if ([...state.sourceNote].length > SOURCE_NOTE_MAX)
    return page(c, { state, signedIn, message: `来源说明最多 ${SOURCE_NOTE_MAX} 个字符，请缩短后再试；没有导入任何数据。` }, 400);

  let file: FormFile;
  let fileName: string | null;
  const posted = form.file;
  if (posted instanceof FormFile && posted.size > 0) {
    file = posted;
    fileName = posted.name || null;
  } else if (text("fileGzip") || text("fileBase64")) {
    const limit = deps.pageUploadLimitBytes ?? deps.importBodyLimitBytes;
    try {
      file = FormFile.of((await fileFromForm(form.fileGzip, form.fileBase64, limit)) ?? new Uint8Array(0));
    } catch (e) {
      if (e instanceof CarriedFileTooLarge) return page(c, { state, signedIn, message: `文件超过了 ${Math.round(limit / 1048576)} MB 的上限` }, 413);
      return page(c, { state, signedIn, message: "确认表单里的文件内容已损坏，请重新选择文件上传。" }, 400);
    }
    fileName = text("fileName") || null;
  } else {
    return page(c, { state, signedIn, message: "请选择要上传的 CSV 或 Excel 文件。" }, 400);
  }

  // The same lock as the API: one import at a time, whichever way it comes in.
  let release: () => void;
  try {
    release = takeImportLock();
  } catch (err) {
    if (err instanceof ImportRunningError) return page(c, { state, signedIn, message: "另一个导入正在进行，请等它完成后再试。" }, 409);
    throw err;
  }
  let report: ImportReport;
  let preview: ImportPreview | null = null;
  try {
    const request = {
      kind,
      batch: state.batch || undefined,
      sheet: state.sheet || undefined,
      map: state.map ? state.map.split(/\r?\n/) : undefined,
      profile: state.profile || undefined,
      saveProfile: state.saveProfile || undefined,
      sourceNote: state.sourceNote || undefined,
      strict: state.strict,
      fileName,
      actor: `token:${c.get("adminName") ?? "admin"} (web page)`,
      readWorkbook: deps.readWorkbook,
    };
    const onThread = await importOnThread(deps, { ...request, file }, state.dryRun);
    if (onThread) ({ report, preview } = onThread);
    // A dry run previews what the import would add, update and leave unchanged (nothing is written).
    else if (state.dryRun) ({ report, preview } = await previewImport(deps.db, { ...request, bytes: await file.bytes() }));
    else report = await runImport(deps.db, { ...request, bytes: await file.bytes(), dryRun: false });
  } finally {
    release();
  }
  // Carried only where a form of the page takes it back: the confirm button, or the column picker.
  const clean = report.dryRun && report.errors.length === 0;
  const packed = report.dryRun && (clean || pickerHelps(report)) && file.size <= CARRY_TRY_BYTES ? await carryFile(await file.bytes()) : null;
  const carried = packed !== null && packed.length <= CARRY_LIMIT_CHARS ? packed : null;
  const confirm =
    clean && carried !== null ? (
      <ConfirmForm state={state} fileName={fileName} carried={carried} />
    ) : clean ? (
      <p>文件较大：请取消勾选“只检查”后重新选择同一文件上传，完成导入。</p>
    ) : null;
  // A rejected file is still a page that worked: the report is the answer, so it is a 200.
  const picker = carried !== null ? <ColumnPicker state={state} fileName={fileName} carried={carried} report={report} /> : null;
  return page(c, {
    state: { ...state, dryRun: true },
    signedIn,
    report,
    preview,
    fileName,
    confirm: (
      <>
        {confirm}
        {picker}
      </>
    ),
  });
}
