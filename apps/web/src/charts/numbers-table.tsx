import type { ComponentChildren } from 'preact';

export interface NumbersTableProps {
  /** What the numbers are: the summary line of the disclosure. */
  caption: string;
  columns: string[];
  rows: ComponentChildren[][];
  open?: boolean;
}

/** The numbers behind a chart, in a table that opens on demand (every chart has one). */
export function NumbersTable({ caption, columns, rows, open }: NumbersTableProps) {
  return (
    <details class="numbers" open={open}>
      <summary>{caption}</summary>
      <div class="table-wrap">
        <table class="table compact">
          <thead>
            <tr>
              {columns.map((c) => (
                <th scope="col" key={c}>
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>
                {r.map((c, j) => (
                  <td key={j} class="num">
                    {c}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
