import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { Lexer, walkTokens, type Token } from 'marked';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './myelin-cli.js';

/** Every Markdown file the repository tracks (a clone has exactly these). */
const markdownFiles = execFileSync('git', ['ls-files', '-z', '*.md'], { cwd: repoRoot, encoding: 'utf8' })
  .split('\0')
  .filter((f) => f !== '' && existsSync(resolve(repoRoot, f)));

/** The link and image targets of a Markdown text, as its parser reads them (code blocks excluded). */
function targetsOf(text: string): string[] {
  const out: string[] = [];
  const tokens = new Lexer().lex(text);
  walkTokens(tokens, (t: Token) => {
    if ((t.type === 'link' || t.type === 'image') && typeof t.href === 'string') out.push(t.href);
  });
  for (const ref of Object.values(tokens.links)) out.push(ref.href);
  return out;
}

/** A target that names a file of this repository (not a URL, not an anchor of the same page). */
const isRelative = (href: string): boolean =>
  href !== '' && !href.startsWith('#') && !/^[a-z][a-z0-9+.-]*:/i.test(href);

/** What is wrong with one relative link of `file`, or undefined when it resolves inside the repo. */
function problemOf(file: string, href: string): string | undefined {
  const path = decodeURI(href.split('#')[0]!.split('?')[0]!);
  if (isAbsolute(path)) return `${file}: "${href}" is an absolute path; link relative to the file`;
  const target = resolve(repoRoot, dirname(file), path);
  const rel = relative(realpathSync(repoRoot), existsSync(target) ? realpathSync(target) : target);
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel))
    return `${file}: "${href}" points outside the repository (a clone does not have it)`;
  if (!existsSync(target)) return `${file}: "${href}" does not exist`;
  return undefined;
}

describe('documentation links', () => {
  it('finds the READMEs and docs it checks', () => {
    expect(markdownFiles).toContain('README.md');
    expect(markdownFiles).toContain('docs/architecture.md');
    expect(markdownFiles).toContain('docs/errors.md');
  });

  it('every relative link of every README and doc resolves to a file inside the repository', () => {
    const problems = markdownFiles.flatMap((file) =>
      targetsOf(readFileSync(resolve(repoRoot, file), 'utf8'))
        .filter(isRelative)
        .map((href) => problemOf(file, href))
        .filter((p): p is string => p !== undefined),
    );
    expect(problems).toEqual([]);
  });

  it('reports a link outside the repository and a missing file (the check itself)', () => {
    const links = targetsOf(
      'See [the map](../elsewhere/architecture.md), [gone](docs/nowhere.md) and [ok](docs/errors.md).\n\n```\n[not a link](../code-block.md)\n```\n',
    );
    expect(links).toEqual(['../elsewhere/architecture.md', 'docs/nowhere.md', 'docs/errors.md']);
    expect(problemOf('README.md', links[0]!)).toMatch(/outside the repository/);
    expect(problemOf('README.md', links[1]!)).toMatch(/does not exist/);
    expect(problemOf('README.md', links[2]!)).toBeUndefined();
  });
});
