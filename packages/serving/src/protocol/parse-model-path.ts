import type { VersionSelector } from '../core/predict-types.js';

/** A parsed `/v1/models/...` or `/v2/models/...` path (after the `models/` prefix). */
export interface ModelPath {
  model: string;
  selector: VersionSelector;
  /**
   * What follows. TF Serving: '' (status), 'metadata', 'features' (Myelin's input description),
   * 'predict', 'classify', 'regress', 'feedback'. KServe V2: '' (metadata), 'infer', 'ready'.
   */
  action: string;
}

/** A path TF Serving refuses with 400, and why (its own words where it has them). */
export interface MalformedPath {
  malformed: string;
}

// TF Serving's own patterns (http_rest_api_util.cc), case-insensitive: a model name is anything
// but '/' and ':', a version is digits, a label anything but '/' and ':'.
const TF_POST = /^([^/:]+)(?:\/versions\/([^/:]+)|\/labels\/([^/:]+))?:(classify|regress|predict)$/i;
const TF_GET = /^([^/:]+)(?:\/versions\/([^/:]+)|\/labels\/([^/:]+))?(?:\/(metadata|features))?$/i;
const TF_FEEDBACK = /^([^/:]+)\/feedback$/i;
const V2 = /^([^/]+)(?:\/versions\/([^/]+))?(?:\/(infer|ready))?$/i;

function decode(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}

function selectorOf(version: string | undefined, label: string | undefined): VersionSelector | MalformedPath {
  if (version !== undefined) {
    if (!/^\d+$/.test(version))
      return { malformed: `Malformed request: version "${version}" is not a number` };
    const v = Number(version);
    if (!Number.isSafeInteger(v)) return { malformed: `Failed to convert version: ${version} to numeric.` };
    return { version: v };
  }
  if (label !== undefined) {
    const l = decode(label);
    if (l === null) return { malformed: `Failed to decode model version label: ${label}` };
    return { label: l };
  }
  return {};
}

/**
 * Parses the TF Serving REST path tail after `/v1/models/`, as TF Serving does: case-insensitive
 * fixed parts, `{name}[/versions/{v}|/labels/{label}]:(predict|classify|regress)` for POST and
 * `{name}[/versions/{v}|/labels/{label}][/metadata]` for GET, plus Myelin's POST `{name}/feedback`
 * and GET `…/features`. Anything else is `{ malformed }` (TF Serving answers those with 400);
 * a non-numeric or too large version too.
 *
 * @example
 * parseTfServingPath('POST', 'penguins/labels/canary:predict'); // { model: 'penguins', selector: { label: 'canary' }, action: 'predict' }
 * parseTfServingPath('POST', 'penguins/versions/x:predict'); // { malformed: 'Malformed request: …' }
 */
export function parseTfServingPath(method: 'GET' | 'POST', tail: string): ModelPath | MalformedPath {
  const bad = { malformed: `Malformed request: ${method} /v1/models/${tail}` };
  if (method === 'POST') {
    const fb = TF_FEEDBACK.exec(tail);
    if (fb) {
      const model = decode(fb[1] as string);
      return model === null ? bad : { model, selector: {}, action: 'feedback' };
    }
  }
  const m = (method === 'POST' ? TF_POST : TF_GET).exec(tail.replace(/\/+$/, ''));
  if (!m) return bad;
  const model = decode(m[1] as string);
  if (model === null) return { malformed: `Failed to decode model name: ${m[1] as string}` };
  const selector = selectorOf(m[2], m[3]);
  if ('malformed' in selector) return selector;
  return { model, selector, action: (m[4] ?? '').toLowerCase() };
}

/**
 * Parses the KServe V2 path tail after `/v2/models/`: `{name}[/versions/{v}][/infer|/ready]`
 * (fixed parts case-insensitive); null for anything else. Versions are registry numbers.
 *
 * @example
 * parseKserveV2Path('penguins/versions/2/infer'); // { model: 'penguins', selector: { version: 2 }, action: 'infer' }
 */
export function parseKserveV2Path(tail: string): ModelPath | MalformedPath | null {
  const m = V2.exec(tail.replace(/\/+$/, ''));
  if (!m) return null;
  const model = decode(m[1] as string);
  if (model === null) return null;
  const selector = selectorOf(m[2], undefined);
  if ('malformed' in selector) return { malformed: selector.malformed.replace('Malformed request: ', '') };
  return { model, selector, action: (m[3] ?? '').toLowerCase() };
}

/** True when a parse result is a path TF Serving (or V2) refuses. */
export function isMalformed(p: ModelPath | MalformedPath): p is MalformedPath {
  return 'malformed' in p;
}
