import { readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { MyelinError } from '@myelin/errors';

const PLACEHOLDER = /\{date(?::([^}]*))?\}/;
const TOKENS: Record<string, { re: string; part: 'y' | 'm' | 'd' }> = {
  YYYY: { re: '(\\d{4})', part: 'y' },
  MM: { re: '(\\d{2})', part: 'm' },
  DD: { re: '(\\d{2})', part: 'd' },
};

/** Whether a source names a dated file: `{date}` or `{date:FORMAT}` in its file name. */
export function isDatedSource(source: string): boolean {
  return PLACEHOLDER.test(source);
}

interface DatedPattern {
  dir: string;
  regex: RegExp;
  /** Which date part each capture group is. */
  parts: ('y' | 'm' | 'd')[];
}

function patternOf(source: string, field: string): DatedPattern {
  const name = basename(source);
  const m = PLACEHOLDER.exec(name);
  if (!m || PLACEHOLDER.test(dirname(source))) {
    throw new MyelinError(
      'MYELIN_ERR_DATA_READ',
      `${source}: a {date} placeholder may appear only in the file name, once (e.g. data/{date:YYYY-MM-DD}.csv)`,
      { path: field },
    );
  }
  const format = m[1] ?? 'YYYY-MM-DD';
  const parts: ('y' | 'm' | 'd')[] = [];
  let re = '';
  for (const piece of format.split(/(YYYY|MM|DD)/)) {
    const token = TOKENS[piece];
    if (token) {
      re += token.re;
      parts.push(token.part);
    } else if (/^[-_.]*$/.test(piece)) re += piece.replace(/\./g, '\\.');
    else {
      throw new MyelinError(
        'MYELIN_ERR_DATA_READ',
        `${source}: the date format "${format}" may hold only YYYY, MM, DD and the separators - _ .`,
        { path: field },
      );
    }
  }
  if (!parts.includes('y') || new Set(parts).size !== parts.length) {
    throw new MyelinError(
      'MYELIN_ERR_DATA_READ',
      `${source}: the date format "${format}" needs YYYY, and each of YYYY, MM, DD at most once`,
      { path: field },
    );
  }
  const escape = (s: string): string => s.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  const [before, after] = [name.slice(0, m.index), name.slice(m.index + m[0].length)];
  return { dir: dirname(source), regex: new RegExp(`^${escape(before)}${re}${escape(after)}$`), parts };
}

/** The date (UTC day, epoch ms) a file name carries under the pattern, or null. */
function dateOf(name: string, p: DatedPattern): number | null {
  const m = p.regex.exec(name);
  if (!m) return null;
  const value = { y: 0, m: 1, d: 1 };
  p.parts.forEach((part, i) => (value[part] = Number(m[i + 1])));
  const t = Date.UTC(value.y, value.m - 1, value.d);
  const back = new Date(t);
  // 2026-02-30 is not a date: such a name is not a match
  if (
    back.getUTCFullYear() !== value.y ||
    back.getUTCMonth() !== value.m - 1 ||
    back.getUTCDate() !== value.d
  )
    return null;
  return t;
}

/**
 * Picks the file a dated source means: among the file names in the template's folder that match
 * it, the one with the newest date not after `now` (the run's date, UTC). `{date}` is
 * `{date:YYYY-MM-DD}`; a format holds YYYY, MM, DD and `- _ .`. Pure: `names` is the folder listing.
 *
 * @example
 * pickDatedFile('data/{date:YYYY-MM-DD}.csv', ['2026-01-01.csv', '2026-01-03.csv', 'x.csv'], Date.UTC(2026, 0, 2));
 * // 'data/2026-01-01.csv'
 * @throws MyelinError MYELIN_ERR_DATA_READ when no file matches
 */
export function pickDatedFile(
  source: string,
  names: readonly string[],
  now: number,
  field = 'data.source',
): string {
  const p = patternOf(source, field);
  let best: { name: string; t: number } | undefined;
  for (const name of names) {
    const t = dateOf(name, p);
    if (t === null || t > now) continue;
    if (!best || t > best.t || (t === best.t && name > best.name)) best = { name, t };
  }
  if (!best) {
    throw new MyelinError(
      'MYELIN_ERR_DATA_READ',
      `${source}: no file in ${p.dir === '.' ? 'the folder' : p.dir} matches the dated template with a date up to ${new Date(now).toISOString().slice(0, 10)}`,
      { path: field },
    );
  }
  return p.dir === '.' ? best.name : join(p.dir, best.name);
}

/**
 * `pickDatedFile` over the template's folder on disk (resolved against `baseDir`). The folder is
 * listed, never read; the picked path goes through the usual folder rule afterwards.
 */
export function resolveDatedSource(
  source: string,
  baseDir: string,
  now: number,
  field = 'data.source',
): string {
  const dir = dirname(source.replace(/^file:\/\//i, ''));
  let names: string[];
  try {
    names = readdirSync(resolve(baseDir, dir)).filter((n) => !n.startsWith('.'));
  } catch {
    names = [];
  }
  const picked = pickDatedFile(basename(source), names, now, field);
  return dir === '.' ? picked : join(dir, picked);
}
