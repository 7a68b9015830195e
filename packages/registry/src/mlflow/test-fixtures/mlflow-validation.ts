/**
 * MLflow 2.x's input rules, transcribed for the fake server from `mlflow/utils/validation.py`
 * (written apart from the mirror's own mapping, so a test of one checks the other). Each check
 * returns MLflow's message for a refused value (an `INVALID_PARAMETER_VALUE`), or null.
 */

/** `_VALID_PARAM_AND_METRIC_NAMES = re.compile(r"^[/\w.\- ]*$")`; Python's `\w` on str is Unicode. */
const VALID_NAME = /^[/\p{L}\p{N}_.\- ]*$/u;
const BAD_CHARACTERS =
  'Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), and slashes (/).';
const BAD_ALIAS_CHARACTERS = 'Names may only contain alphanumerics, underscores (_), and dashes (-).';

export const LIMITS = {
  MAX_PARAMS_TAGS_PER_BATCH: 100,
  MAX_METRICS_PER_BATCH: 1000,
  MAX_ENTITIES_PER_BATCH: 1000,
  MAX_BATCH_LOG_REQUEST_SIZE: 1_000_000,
  MAX_PARAM_VAL_LENGTH: 6000,
  MAX_TAG_VAL_LENGTH: 5000,
  MAX_ENTITY_KEY_LENGTH: 250,
  MAX_EXPERIMENT_NAME_LENGTH: 500,
  MAX_MODEL_REGISTRY_TAG_KEY_LENGTH: 250,
  MAX_MODEL_REGISTRY_TAG_VALUE_LENGTH: 5000,
  MAX_REGISTERED_MODEL_ALIAS_LENGTH: 255,
} as const;

/** Python's `len` of a str: code points. */
function len(s: string): number {
  return Array.from(s).length;
}

/** Python's `posixpath.normpath`. */
export function normpath(path: string): string {
  if (path === '') return '.';
  const initial = path.startsWith('/') ? (path.startsWith('//') && !path.startsWith('///') ? 2 : 1) : 0;
  const out: string[] = [];
  for (const comp of path.split('/')) {
    if (comp === '' || comp === '.') continue;
    if (comp !== '..' || (!initial && out.length === 0) || (out.length > 0 && out[out.length - 1] === '..'))
      out.push(comp);
    else if (out.length > 0) out.pop();
  }
  const joined = '/'.repeat(initial) + out.join('/');
  return joined || '.';
}

/** `path_not_unique(name)`. */
function pathNotUnique(name: string): boolean {
  const norm = normpath(name);
  return norm !== name || norm === '.' || norm.startsWith('..') || norm.startsWith('/');
}

/** `_validate_param_name` / `_validate_metric_name` / `_validate_tag_name` (what = parameter, metric, tag). */
export function nameProblem(what: 'parameter' | 'metric' | 'tag', name: unknown): string | null {
  if (typeof name !== 'string') {
    const label = what === 'parameter' ? 'Parameter' : what === 'metric' ? 'Metric' : 'Tag';
    return `${label} name cannot be None. A key name must be provided.`;
  }
  if (!VALID_NAME.test(name)) return `Invalid ${what} name: '${name}'. ${BAD_CHARACTERS}`;
  if (pathNotUnique(name))
    return `Invalid ${what} name: '${name}'. Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to '${normpath(name)}'`;
  return null;
}

/** `_validate_length_limit` (MLflow 2.10 refuses; it does not cut). */
export function lengthProblem(entity: string, limit: number, value: string | undefined): string | null {
  if (value === undefined || len(value) <= limit) return null;
  return `${entity} '${Array.from(value).slice(0, 250).join('')}' had length ${len(value)}, which exceeded length limit of ${limit}`;
}

/** `_validate_param`. */
export function paramProblem(key: unknown, value: unknown): string | null {
  return (
    nameProblem('parameter', key) ??
    lengthProblem('Param key', LIMITS.MAX_ENTITY_KEY_LENGTH, key as string) ??
    lengthProblem('Param value', LIMITS.MAX_PARAM_VAL_LENGTH, String(value ?? ''))
  );
}

/** `_validate_tag` (runs). */
export function tagProblem(key: unknown, value: unknown): string | null {
  return (
    nameProblem('tag', key) ??
    lengthProblem('Tag key', LIMITS.MAX_ENTITY_KEY_LENGTH, key as string) ??
    lengthProblem('Tag value', LIMITS.MAX_TAG_VAL_LENGTH, String(value ?? ''))
  );
}

/** `_validate_model_version_tag` / `_validate_registered_model_tag`. */
export function registryTagProblem(
  what: 'Model version' | 'Registered model',
  key: unknown,
  value: unknown,
): string | null {
  return (
    nameProblem('tag', key) ??
    lengthProblem(`${what} key`, LIMITS.MAX_MODEL_REGISTRY_TAG_KEY_LENGTH, key as string) ??
    lengthProblem(`${what} value`, LIMITS.MAX_MODEL_REGISTRY_TAG_VALUE_LENGTH, String(value ?? ''))
  );
}

/** `_validate_metric`. */
export function metricProblem(m: {
  key?: unknown;
  value?: unknown;
  timestamp?: unknown;
  step?: unknown;
}): string | null {
  const name = nameProblem('metric', m.key);
  if (name) return name;
  const v = m.value;
  const numeric = typeof v === 'number' || v === 'NaN' || v === 'Infinity' || v === '-Infinity';
  if (!numeric)
    return `Got invalid value ${String(v)} for metric '${String(m.key)}' (timestamp=${String(m.timestamp)}). Please specify value as a valid double (64-bit floating point)`;
  if (typeof m.timestamp !== 'number' || m.timestamp < 0)
    return `Got invalid timestamp ${String(m.timestamp)} for metric '${String(m.key)}' (value=${String(v)}). Timestamp must be a nonnegative long (64-bit integer) `;
  if (m.step !== undefined && typeof m.step !== 'number')
    return `Got invalid step ${String(m.step)} for metric '${String(m.key)}' (value=${String(v)}). Step must be a valid long (64-bit integer).`;
  return lengthProblem('Metric name', LIMITS.MAX_ENTITY_KEY_LENGTH, m.key as string);
}

/** `_validate_batch_limit`. */
export function batchLimitProblem(entity: string, limit: number, length: number): string | null {
  if (length <= limit) return null;
  return `A batch logging request can contain at most ${limit} ${entity}. Got ${length} ${entity}. Please split up ${entity} across multiple requests and try again.`;
}

/** `_validate_param_keys_unique`. */
export function duplicateParamsProblem(params: { key: string }[]): string | null {
  const seen = new Set<string>();
  const dupes: string[] = [];
  for (const p of params) {
    if (seen.has(p.key)) dupes.push(p.key);
    seen.add(p.key);
  }
  if (!dupes.length) return null;
  return `Duplicate parameter keys have been submitted: [${dupes.map((d) => `'${d}'`).join(', ')}]. Please ensure the request contains only one param value per param key.`;
}

/** `_validate_experiment_name`. */
export function experimentNameProblem(name: unknown): string | null {
  if (name === '' || name === undefined || name === null)
    return `Invalid experiment name: '${String(name ?? '')}'`;
  if (typeof name !== 'string') return `Invalid experiment name: ${String(name)}. Expects a string.`;
  if (name.length > LIMITS.MAX_EXPERIMENT_NAME_LENGTH)
    return `Experiment name exceeds the maximum length of ${LIMITS.MAX_EXPERIMENT_NAME_LENGTH} characters`;
  return null;
}

/** `_validate_model_alias_name`. */
export function aliasProblem(alias: unknown): string | null {
  if (alias === '' || typeof alias !== 'string') return 'Registered model alias name cannot be empty.';
  if (!/^[\p{L}\p{N}_-]*$/u.test(alias)) return `Invalid alias name: '${alias}'. ${BAD_ALIAS_CHARACTERS}`;
  const tooLong = lengthProblem(
    'Registered model alias name',
    LIMITS.MAX_REGISTERED_MODEL_ALIAS_LENGTH,
    alias,
  );
  if (tooLong) return tooLong;
  if (alias.toLowerCase() === 'latest') return "'latest' alias name (case insensitive) is reserved.";
  if (/^[vV]\d+$/.test(alias)) return `Version alias name '${alias}' is reserved.`;
  return null;
}

/**
 * `_validate_source` of `model-versions/create` (2.9+): a local source (no scheme, or `file:`)
 * must lie inside the artifact folder of the run given as `run_id`.
 */
export function sourceProblem(source: string, runArtifactRoot: string | null): string | null {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(source)?.[1]?.toLowerCase();
  const local = scheme === undefined || scheme === 'file';
  if (!local) return null;
  if (runArtifactRoot && runArtifactRoot.startsWith('file:') && source.startsWith(runArtifactRoot))
    return null;
  return `Invalid model version source: '${source}'. To use a local path as a model version source, the run_id request parameter has to be specified and the local path has to be contained within the artifact directory of the run specified by the run_id.`;
}
