import sjson from 'secure-json-parse';
import { badRequest } from '../util/serving-error.js';

/** Deepest nesting of arrays and objects a request body may have (a V2 image tensor needs about 8). */
export const MAX_JSON_DEPTH = 64;

/**
 * The deepest nesting of `[`/`{` in JSON text, counted outside strings, stopping as soon as it
 * passes `limit`. One pass over the characters, no recursion, so a body nested 100,000 deep
 * costs a scan, not a stack overflow later.
 */
export function jsonDepth(text: string, limit = Infinity): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 93 /* ] */ || c === 125 /* } */) depth--;
  }
  return max;
}

/**
 * Whether `text` holds at most `limit` `[`/`{` characters in all (strings included), so that it
 * cannot nest deeper than `limit`: a few native `indexOf` scans instead of a walk over every
 * character, for the usual body (a 32-instance request has 34).
 */
function fewBrackets(text: string, limit: number): boolean {
  let count = 0;
  for (const bracket of ['{', '[']) {
    for (let at = text.indexOf(bracket); at >= 0; at = text.indexOf(bracket, at + 1)) {
      if (++count > limit) return false;
    }
  }
  return true;
}

/**
 * Whether `text` can hold no `__proto__` / `constructor` key however it is spelt (no backslash,
 * so no `\u` escape, and neither word) and no BOM: then `JSON.parse` alone reads it as
 * secure-json-parse would, without its two regular expressions over the whole body.
 */
function plainJson(text: string): boolean {
  return (
    text.charCodeAt(0) !== 0xfeff &&
    !text.includes('\\') &&
    !text.includes('__proto__') &&
    !text.includes('constructor')
  );
}

/**
 * Parses a request body as JSON whatever its Content-Type (TF Serving ignores it; Triton's and
 * KServe's clients send none or `application/octet-stream`, `curl -d` sends form-urlencoded).
 * Refused with 400: an empty body, text that is not JSON, nesting deeper than `MAX_JSON_DEPTH`,
 * and `__proto__` / `constructor.prototype` keys.
 */
export function parseJsonBody(text: string): unknown {
  if (!fewBrackets(text, MAX_JSON_DEPTH) && jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH)
    throw badRequest(`JSON Parse error: the body is nested deeper than ${MAX_JSON_DEPTH} levels`);
  try {
    return plainJson(text)
      ? JSON.parse(text)
      : sjson.parse(text, null, { protoAction: 'error', constructorAction: 'error' });
  } catch (e) {
    // only a failed parse pays for the blank check (a blank body nests 0 deep, so it gets here)
    if (text.trim() === '') throw badRequest('JSON Parse error: The document is empty');
    const msg = e instanceof Error ? e.message : String(e);
    throw badRequest(`JSON Parse error: ${msg.length > 200 ? `${msg.slice(0, 197)}...` : msg}`);
  }
}
