import type { VersionSelector } from '../core/predict-types.js';

/** A parsed `/v1/models/...` or `/v2/models/...` path (after the `models/` prefix). */
export interface ModelPath {
  model: string;
  selector: VersionSelector;
  /** What follows: '' (status/metadata), 'predict', 'metadata', 'infer', 'ready', 'feedback'. */
  action: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const LABEL = /^[A-Za-z][\w.-]*$/;

function decode(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}

/**
 * Parses the TF Serving REST path tail `{name}[/versions/{v}|/labels/{label}][:predict|/metadata|/feedback]`
 * (Fastify cannot route on the `:predict` suffix, so a wildcard route hands the tail here).
 * Returns null for anything else.
 *
 * @example
 * parseTfServingPath('penguins/labels/canary:predict'); // { model: 'penguins', selector: { label: 'canary' }, action: 'predict' }
 */
export function parseTfServingPath(tail: string): ModelPath | null {
  let rest = tail.replace(/\/+$/, '');
  let action = '';
  const colon = rest.lastIndexOf(':');
  if (colon >= 0) {
    action = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (action !== 'predict' && action !== 'classify' && action !== 'regress') return null;
  }
  const parts = rest.split('/').map(decode);
  if (parts.some((p) => p === null)) return null;
  const p = parts as string[];
  if (!action && (p.at(-1) === 'metadata' || p.at(-1) === 'feedback')) {
    action = p.pop() as string;
  }
  return withSelector(p, action);
}

/**
 * Parses the KServe V2 path tail `{name}[/versions/{v}][/infer|/ready]`; null for anything else.
 *
 * @example
 * parseKserveV2Path('penguins/versions/2/infer'); // { model: 'penguins', selector: { version: 2 }, action: 'infer' }
 */
export function parseKserveV2Path(tail: string): ModelPath | null {
  const parts = tail.replace(/\/+$/, '').split('/').map(decode);
  if (parts.some((p) => p === null)) return null;
  const p = parts as string[];
  let action = '';
  if (p.at(-1) === 'infer' || p.at(-1) === 'ready') action = p.pop() as string;
  const r = withSelector(p, action);
  return r && r.selector.label === undefined ? r : null;
}

function withSelector(p: string[], action: string): ModelPath | null {
  const model = p[0];
  if (model === undefined || !NAME.test(model)) return null;
  if (p.length === 1) return { model, selector: {}, action };
  if (p.length !== 3) return null;
  const value = p[2] as string;
  if (p[1] === 'versions' && /^[1-9]\d{0,8}$/.test(value))
    return { model, selector: { version: Number(value) }, action };
  if (p[1] === 'labels' && LABEL.test(value)) return { model, selector: { label: value }, action };
  return null;
}
