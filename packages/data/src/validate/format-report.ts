import type { ColumnProfile } from '../types.js';
import type { TableReport } from './analyze-options.js';

/** Options of `formatReport`. */
export interface FormatReportOptions {
  /** Colour severities with ANSI escapes. @defaultValue false */
  color?: boolean;
}

/**
 * Renders a report as compact aligned text: a header line, a table of columns (name, type,
 * missing, distinct, min, max or top values) and the anomalies, errors first.
 *
 * @example console.log(formatReport(await analyzeTable(readRows(src), { target: 'Species' })));
 */
export function formatReport(report: TableReport, opts: FormatReportOptions = {}): string {
  const paint = (code: string, s: string): string => (opts.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const lines: string[] = [];
  const task = report.task
    ? `, task ${report.task}${report.targetClasses ? ` (${report.targetClasses.length} classes)` : ''}`
    : '';
  lines.push(`${report.rows} rows, ${report.profile.columns.length} columns${task}`);
  const head = ['column', 'type', 'missing', 'distinct', 'min', 'max / top values'];
  const body = report.profile.columns.map((c) => [
    c.name,
    c.type,
    c.missing ? `${c.missing} (${((c.missing / Math.max(1, report.rows)) * 100).toFixed(1)}%)` : '0',
    `${c.distinctApproximate ? '~' : ''}${c.distinct}`,
    c.min !== undefined ? num(c.min) : '',
    maxOrTop(c),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] as string).length)));
  const row = (cells: string[]): string =>
    cells
      .map((s, i) => (i >= 2 && i <= 4 ? s.padStart(widths[i] as number) : s.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  lines.push('', paint('1', row(head)), ...body.map(row));
  const sorted = [...report.anomalies].sort((a, b) =>
    a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1,
  );
  const errors = sorted.filter((a) => a.severity === 'error').length;
  lines.push(
    '',
    sorted.length === 0
      ? paint('32', 'No anomalies.')
      : `Anomalies: ${errors} error(s), ${sorted.length - errors} warning(s)`,
  );
  for (const a of sorted) {
    const sev = a.severity === 'error' ? paint('31', 'error  ') : paint('33', 'warning');
    const where = a.column === '*' ? 'table' : `"${a.column}"`;
    const ex = a.exampleRows.length
      ? ` (rows ${a.exampleRows.join(', ')}${a.count > a.exampleRows.length ? ', …' : ''})`
      : '';
    lines.push(`  ${sev} ${where} ${a.rule}: ${a.message}${ex}`);
  }
  return lines.join('\n');
}

function maxOrTop(c: ColumnProfile): string {
  if (c.max !== undefined) return num(c.max);
  if (!c.topValues?.length) return '';
  const shown = c.topValues.slice(0, 3).map((t) => `${truncate(t.value, 20)} ${t.count}`);
  return shown.join(', ') + (c.topValues.length > 3 ? ', …' : '');
}

function num(x: number): string {
  if (Number.isInteger(x)) return String(x);
  const s = x.toPrecision(6);
  return String(Number(s));
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
