#!/usr/bin/env node
// Counts the casts that bridge types (`as unknown as T`, `as never`, `as any`) in the TypeScript
// sources of packages/, apps/ and tools/, tests apart, and lists where they are.
//
//   node tools/casts/count-casts.mjs            # the working tree
//   node tools/casts/count-casts.mjs --rev HEAD~3   # a commit, to compare before and after
//   node tools/casts/count-casts.mjs --list     # every site, file:line
//   node tools/casts/count-casts.mjs --plain    # also the plain `as T` casts (not `as const`)
//   node tools/casts/count-casts.mjs --plain --by-package   # the counts per package (source only)
import { execFileSync } from 'node:child_process';

process.stdout.on('error', (e) => {
  if (e.code !== 'EPIPE') throw e; // the reader (head) has what it wanted
});

const args = process.argv.slice(2);
const revAt = args.indexOf('--rev');
const rev = revAt >= 0 ? args[revAt + 1] : undefined;
if (revAt >= 0 && !rev) {
  process.stderr.write('usage: count-casts.mjs [--rev REV] [--list]\n');
  process.exit(2);
}
const list = args.includes('--list');
const plain = args.includes('--plain');
const byPackage = args.includes('--by-package');
/** `packages/data/src/x.ts` → `packages/data` (the Nx project a file belongs to) */
const packageOf = (file) => file.split('/').slice(0, 2).join('/');
const perPackage = new Map(); // package → { bridging, plain } in source files
const tally = (file, key, n) => {
  const row = perPackage.get(packageOf(file)) ?? { bridging: 0, plain: 0 };
  row[key] += n;
  perPackage.set(packageOf(file), row);
};
const KINDS = [
  ['as unknown as', /\bas unknown as\b/g],
  ['as never', /\bas never\b/g],
  ['as any', /\bas any\b/g],
];
// `x as T` after a value (a name, `)`, `]`, `}`, a literal); not `as const`, not the bridging kinds
// above, not `import { a as b }` / `* as ns` (lines that import or re-export are skipped)
const PLAIN = /[\w)\]}'"`]\s+as\s+(?!const\b|unknown\s+as\b|never\b|any\b)[A-Za-z_{[(]/g;
const RENAMES = /^\s*(import|export)\b|^\s*\w+ as \w+,?\s*$|\* as \w/;
let out = '';
try {
  out = execFileSync(
    'git',
    [
      'grep',
      '-n',
      '-E',
      plain ? '\\bas [A-Za-z_{[(]' : '\\bas (unknown as|never|any)\\b',
      ...(rev ? [rev] : []),
      '--',
      'packages/*.ts',
      'packages/*.tsx',
      'apps/*.ts',
      'apps/*.tsx',
      'tools/*.ts',
      ':!*.d.ts',
      ':!*/dist-types/*',
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
} catch (e) {
  if (e.status !== 1) throw e; // 1: no match
}
const counts = { source: new Map(), test: new Map() };
const sites = [];
for (const line of out.split('\n')) {
  if (!line) continue;
  const rest = rev ? line.slice(rev.length + 1) : line;
  const m = /^([^:]+):(\d+):(.*)$/.exec(rest);
  if (!m) continue;
  const [, file, lineNo, text] = m;
  const code = text.replace(/\/\/.*$/, '');
  const where = /\.test\.tsx?$|\/testing\//.test(file) ? 'test' : 'source';
  if (plain && !RENAMES.test(code) && !/^\s*(\*|\/\*)/.test(code)) {
    // words inside strings are not casts: blank the literals first
    const bare = code.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`/g, "''");
    const n = (bare.match(PLAIN) ?? []).length;
    if (n > 0) {
      counts[where].set('as T', (counts[where].get('as T') ?? 0) + n);
      if (where === 'source') tally(file, 'plain', n);
      sites.push(`${where === 'test' ? 'test  ' : 'source'} ${'as T'.padEnd(13)} ${file}:${lineNo}`);
    }
  }
  for (const [kind, re] of KINDS) {
    const n = (code.match(re) ?? []).length;
    if (n === 0) continue;
    counts[where].set(kind, (counts[where].get(kind) ?? 0) + n);
    if (where === 'source') tally(file, 'bridging', n);
    sites.push(`${where === 'test' ? 'test  ' : 'source'} ${kind.padEnd(13)} ${file}:${lineNo}`);
  }
}
const total = (m) => [...m.entries()].filter(([k]) => k !== 'as T').reduce((a, [, b]) => a + b, 0);
process.stdout.write(
  `bridging casts${rev ? ` at ${rev}` : ''}: source ${total(counts.source)}, tests ${total(counts.test)}\n`,
);
for (const [kind] of KINDS)
  process.stdout.write(
    `  ${kind.padEnd(13)} source ${counts.source.get(kind) ?? 0}, tests ${counts.test.get(kind) ?? 0}\n`,
  );
if (plain)
  process.stdout.write(
    `plain casts (as T): source ${counts.source.get('as T') ?? 0}, tests ${counts.test.get('as T') ?? 0}\n`,
  );
if (byPackage)
  for (const [pkg, row] of [...perPackage.entries()].sort(([a], [b]) => a.localeCompare(b)))
    process.stdout.write(
      `  ${pkg.padEnd(28)} bridging ${String(row.bridging).padStart(3)}${plain ? `  as T ${String(row.plain).padStart(4)}` : ''}\n`,
    );
if (list) for (const s of sites.sort()) process.stdout.write(`${s}\n`);
