import { columnZh, zhMessage } from "../messages-zh";

/** A file problem as both the import and the price check report it. */
export type RowIssue = { row: number; column: string | null; message: string };

/** The table of a file's problems, rows numbered as a spreadsheet counts them (row 0 is the file). */
export function RowErrorsTable(props: { id: string; issues: RowIssue[] }) {
  return (
    <div class="table-wrap">
      <table id={props.id}>
        <caption>错误（行号按电子表格计）</caption>
        <thead>
          <tr>
            <th scope="col" class="num">
              行
            </th>
            <th scope="col">列</th>
            <th scope="col">原因</th>
          </tr>
        </thead>
        <tbody>
          {props.issues.map((e) => (
            <tr>
              <td class="num">{e.row === 0 ? "整个文件" : `第 ${e.row} 行`}</td>
              <td>{columnZh(e.column) ?? "—"}</td>
              <td>{zhMessage(e.message)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
