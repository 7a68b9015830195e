import { readFile } from 'node:fs/promises';
import type * as z from 'zod';
import { isMyelinError, MyelinError, MyelinErrorList } from '@myelin/errors';
import { locateNode, readYaml, type YamlSource } from '@myelin/spec';
import { stackFileSchema, type StackFile } from './stack-config-schema.js';
import { findFlavor } from './flavors/open-flavor.js';
import type { FlavorTable } from './flavors/flavor.js';
import { STACK_FLAVORS } from './flavors/stack-flavors.js';

/** A spec-reader error (bad YAML, a tag, an alias bomb) as a stack-file error, located the same. */
function asStackError(e: MyelinError): MyelinError {
  const one = (x: MyelinError) =>
    new MyelinError('MYELIN_ERR_STACK_CONFIG', `not a well-formed stack file: ${x.detail}`, x.location, {
      cause: x,
    });
  return e instanceof MyelinErrorList ? new MyelinErrorList(e.errors.map(one)) : one(e);
}

function located(source: YamlSource, file: string, path: readonly PropertyKey[], detail: string): MyelinError {
  return new MyelinError('MYELIN_ERR_STACK_CONFIG', detail, {
    file,
    ...locateNode(source.doc, source.lineCounter, path),
    path: path.map(String).join('.') || '(top level)',
  });
}

function issueErrors(source: YamlSource, file: string, base: readonly PropertyKey[], error: z.ZodError) {
  return error.issues.flatMap((issue) => {
    const paths =
      issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...issue.path, k]) : [issue.path];
    return paths.map((path) =>
      located(
        source,
        file,
        [...base, ...path],
        issue.code === 'unrecognized_keys' ? `unknown key "${String(path.at(-1))}"` : issue.message,
      ),
    );
  });
}

/** Checks one long-form section by its flavor: unknown kinds and bad fields are located errors. */
function checkSection<Config>(
  table: FlavorTable<unknown, never, Config>,
  section: string,
  value: { kind: string },
  source: YamlSource,
  file: string,
  problems: MyelinError[],
): Config | undefined {
  let flavor;
  try {
    flavor = findFlavor(table, value.kind, section);
  } catch (e) {
    if (!isMyelinError(e)) throw e;
    problems.push(located(source, file, [section, 'kind'], e.detail));
    return undefined;
  }
  const parsed = flavor.configSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  problems.push(...issueErrors(source, file, [section], parsed.error));
  return undefined;
}

/**
 * Parses the text of a stack file (`myelin.stack.yaml`) with the spec's YAML reader (size-limited,
 * no tags, duplicate keys refused) and checks each section by the flavor its `kind` names.
 * Throws `MYELIN_ERR_STACK_CONFIG` errors located as `file:line:col path`.
 *
 * @example parseStackFile('executor: { kind: bullmq, url: redis://localhost:6379 }\n', 'myelin.stack.yaml').executor
 */
export function parseStackFile(text: string, file: string): StackFile {
  if (/^\s*(#[^\n]*\s*)*$/.test(text)) return {};
  let source: YamlSource;
  try {
    source = readYaml(text, file);
  } catch (e) {
    throw isMyelinError(e) ? asStackError(e) : e;
  }
  const top = stackFileSchema.safeParse(source.value);
  if (!top.success) throw new MyelinErrorList(issueErrors(source, file, [], top.error));
  const raw = top.data;
  const problems: MyelinError[] = [];
  const out: StackFile = {};
  if (raw.executor && raw.redis)
    problems.push(
      located(source, file, ['redis'], 'give the queues once: executor: { kind: bullmq, url } or redis: { url }, not both'),
    );
  const executor = raw.executor
    ? checkSection(STACK_FLAVORS.executor, 'executor', raw.executor, source, file, problems)
    : raw.redis
      ? { kind: 'bullmq' as const, url: raw.redis.url, prefix: 'myelin' }
      : undefined;
  if (executor) out.executor = executor;
  if (typeof raw.artifacts === 'string') out.artifacts = raw.artifacts;
  else if (raw.artifacts) {
    const a = checkSection(STACK_FLAVORS.artifacts, 'artifacts', raw.artifacts, source, file, problems);
    if (a) out.artifacts = a;
  }
  if (typeof raw.database === 'string') out.database = raw.database;
  else if (raw.database) {
    const d = checkSection(STACK_FLAVORS.database, 'database', raw.database, source, file, problems);
    if (d) out.database = d;
  }
  if (raw.mlflow) {
    const m = checkSection(STACK_FLAVORS.mlflow, 'mlflow', raw.mlflow, source, file, problems);
    if (m) out.mlflow = m;
  }
  if (problems.length > 0) throw new MyelinErrorList(problems);
  return out;
}

/** Reads and checks a stack file; a missing file is an error here (callers decide when it is optional). */
export async function readStackFile(file: string): Promise<StackFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new MyelinError(
      'MYELIN_ERR_STACK_CONFIG',
      `cannot read the stack file (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
      { file },
      { cause: e },
    );
  }
  return parseStackFile(text, file);
}
