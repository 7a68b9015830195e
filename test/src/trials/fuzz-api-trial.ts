import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { startApi } from '@myelin/api-server';
import { openEmbeddedStack } from '@myelin/pipeline';
import { scratch } from '../myelin-cli.js';
import { trialPipelineText } from './trial-stack.js';

/** What the HTTP body fuzzer measured. */
export interface FuzzApiFigures {
  /** Requests sent. */
  tried: number;
  /** Answered 4xx with the one error shape and a location (`details[].path`). */
  located: number;
  /** Answered 2xx (a body that happened to be a valid request). */
  accepted: number;
  /** Answered 5xx, or 4xx without a located error, or no answer: a failure. */
  failures: number;
  /** True when the server still answered /healthz after the last request. */
  alive: boolean;
  examples: string[];
}

const BASE = trialPipelineText({ name: 'fuzz', epochs: 1 }).replace(
  'source: npm:vega-datasets/data/penguins.json',
  'source: missing.csv',
);

/** A request to send: method, path, content type and raw body. */
interface FuzzRequest {
  method: 'GET' | 'POST';
  path: string;
  contentType?: string;
  body?: string;
}

const runBody = fc.record(
  {
    spec: fc.oneof(
      fc.string({ maxLength: 80 }),
      fc
        .tuple(fc.nat(BASE.length), fc.string({ maxLength: 12 }))
        .map(([at, s]) => BASE.slice(0, at) + s + BASE.slice(at + 1)),
      fc.constant(BASE),
      fc.jsonValue({ maxDepth: 2 }),
    ),
    pipeline: fc.oneof(fc.string({ maxLength: 40 }), fc.jsonValue({ maxDepth: 1 })),
    file: fc.oneof(fc.string({ maxLength: 40 }), fc.constant('../../etc/passwd'), fc.integer()),
    overrides: fc.oneof(
      fc.dictionary(
        fc.oneof(
          fc.string({ maxLength: 20 }),
          fc.constantFrom('data.source', '__proto__.x', 'model.layers[0]', 'a..b', '['),
        ),
        fc.jsonValue({ maxDepth: 2 }),
        { maxKeys: 4 },
      ),
      fc.jsonValue({ maxDepth: 1 }),
    ),
    baseDir: fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('/', '/etc', '..', '')),
    noCache: fc.oneof(fc.boolean(), fc.jsonValue({ maxDepth: 1 })),
  },
  { requiredKeys: [] },
);

const request: fc.Arbitrary<FuzzRequest> = fc.oneof(
  {
    weight: 6,
    arbitrary: runBody.map((b) => ({
      method: 'POST' as const,
      path: '/api/runs',
      contentType: 'application/json',
      body: JSON.stringify(b),
    })),
  },
  {
    weight: 2,
    arbitrary: fc
      .jsonValue()
      .map((v) => ({
        method: 'POST' as const,
        path: '/api/runs',
        contentType: 'application/json',
        body: JSON.stringify(v),
      })),
  },
  {
    weight: 2,
    arbitrary: fc
      .string({ maxLength: 60 })
      .map((s) => ({ method: 'POST' as const, path: '/api/runs', contentType: 'application/json', body: s })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom(
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/yaml',
          'multipart/form-data',
        ),
        fc.string({ maxLength: 40 }),
      )
      .map(([ct, s]) => ({ method: 'POST' as const, path: '/api/runs', contentType: ct, body: s })),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom('limit', 'status', 'pipeline', 'cursor', 'x'), fc.string({ maxLength: 20 }))
      .map(([k, v]) => ({ method: 'GET' as const, path: `/api/runs?${k}=${encodeURIComponent(v)}` })),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom('/api/runs/', '/api/models/', '/api/runs/r-0000000/reports/'),
        fc.string({ maxLength: 20 }),
      )
      .map(([p, s]) => ({ method: 'GET' as const, path: p + encodeURIComponent(s) })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }))
      .map(([m, v, b]) => ({
        method: 'POST' as const,
        path: `/api/models/${encodeURIComponent(m)}/${['aliases', `versions/${encodeURIComponent(v)}/verify`][b === null ? 1 : 0]}`,
        contentType: 'application/json',
        body: JSON.stringify(b),
      })),
  },
);

/** True for the one error shape with a code and at least one located detail. */
function isLocatedError(text: string): boolean {
  try {
    const body = JSON.parse(text) as {
      error?: { code?: string; message?: string; details?: { path?: string; line?: number }[] };
    };
    const e = body.error;
    return (
      typeof e?.code === 'string' &&
      e.code.startsWith('MYELIN_ERR_') &&
      typeof e.message === 'string' &&
      e.message.length > 0 &&
      (e.details ?? []).length > 0 &&
      (e.details ?? []).every((d) => typeof d.path === 'string' || typeof d.line === 'number')
    );
  } catch {
    return false;
  }
}

/**
 * Sends fast-check-generated requests (run submissions with mutated pipelines, any JSON, broken
 * JSON, other content types, odd query strings and route parameters) over loopback HTTP to the
 * API server `myelin api` starts (in this process, its rate limit off so every request reaches the
 * routes). Every answer must be a 2xx or a 4xx with the one error shape and a location; a 5xx, an
 * unlocated error or a dead server is a failure.
 */
export async function fuzzApiTrial(opts: {
  bodies: number;
  seed?: number;
  log?: (line: string) => void;
}): Promise<FuzzApiFigures> {
  const root = scratch('fuzzapi');
  const pipelines = join(root, 'pipelines');
  mkdirSync(pipelines, { recursive: true });
  writeFileSync(join(pipelines, 'rows.csv'), 'a,b\n1,x\n');
  const figures: FuzzApiFigures = {
    tried: 0,
    located: 0,
    accepted: 0,
    failures: 0,
    alive: false,
    examples: [],
  };
  const stack = await openEmbeddedStack(join(root, 'home'));
  const api = await startApi({ stack, port: 0, pipelinesDir: pipelines, rateLimit: false, tokens: [] });
  try {
    const url = api.url;
    const requests = fc.sample(request, { numRuns: opts.bodies, seed: opts.seed ?? 12 });
    for (const r of requests) {
      figures.tried++;
      let status = 0;
      let text = '';
      try {
        const res = await fetch(url + r.path, {
          method: r.method,
          ...(r.contentType ? { headers: { 'content-type': r.contentType } } : {}),
          ...(r.body !== undefined ? { body: r.body } : {}),
          signal: AbortSignal.timeout(10_000),
        });
        status = res.status;
        text = await res.text();
      } catch (e) {
        text = String(e);
      }
      if (status >= 200 && status < 300) figures.accepted++;
      else if (status >= 400 && status < 500 && isLocatedError(text)) figures.located++;
      else {
        figures.failures++;
        if (figures.examples.length < 12)
          figures.examples.push(
            `${r.method} ${r.path} ${JSON.stringify((r.body ?? '').slice(0, 160))} -> ${status} ${text.slice(0, 200)}`,
          );
      }
      if (figures.tried % 500 === 0) opts.log?.(`fuzz-api: ${figures.tried}/${opts.bodies}`);
    }
    figures.alive = (await fetch(`${url}/healthz`).catch(() => null))?.status === 200;
    return figures;
  } finally {
    await api.close();
    await stack.close();
    rmSync(root, { recursive: true, force: true });
  }
}
