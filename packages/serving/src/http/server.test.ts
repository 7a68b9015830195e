import fc from 'fast-check';
import { transformRecord } from '@myelin/data';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { METRIC_NAMES } from '../monitoring/serving-metrics.js';
import { startServer, type RunningServer } from '../start-server.js';
import { openTestStack, penguinsSpec, PENGUIN, type TestStack } from '../test-support/register-test-model.js';

let t: TestStack;
let server: RunningServer;
let runId: string;

async function call(path: string, body?: unknown, headers: Record<string, string> = {}, base = server.url) {
  const init: RequestInit = { method: body === undefined ? 'GET' : 'POST', headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
  }
  const res = await fetch(base + path, init);
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    /* /metrics is text */
  }
  return { status: res.status, json, text, headers: res.headers };
}

beforeAll(async () => {
  t = await openTestStack();
  await t.register(penguinsSpec({ seed: 3, aliases: ['production'] }));
  runId = (await t.stack.meta.getVersion('penguins', 1))!.runId;
  server = await startServer({
    store: t.stack.store,
    meta: t.stack.meta,
    models: [{ name: 'penguins', drift: { window: 40, every: 40, minSamples: 40, threshold: 0.3 } }],
    port: 0,
    maxInstances: 50,
    maxBodyBytes: 64 * 1024,
  });
});

afterAll(async () => {
  await server?.close();
  await t?.dispose();
});

describe('TF Serving REST', () => {
  it('predicts raw records (row format) with version, labels, probabilities and ids', async () => {
    const r = await call('/v1/models/penguins:predict', {
      instances: [
        PENGUIN,
        { ...PENGUIN, Island: 'Torgersen', 'Flipper Length (mm)': 181, 'Body Mass (g)': 3500 },
      ],
    });
    expect(r.status).toBe(200);
    expect(r.json.model_version).toBe('1');
    expect(r.json.classes).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    const preds = r.json.predictions as { label: string; probabilities: number[]; prediction_id: string }[];
    expect(preds).toHaveLength(2);
    expect(Object.keys(preds[0]!)).toEqual(['label', 'probabilities', 'prediction_id']);
    expect(preds[0]!.label).toBe('Gentoo');
    // a tensor in class order: the largest is the label's
    expect(preds[0]!.probabilities).toHaveLength(3);
    expect(preds[0]!.probabilities.reduce((a, b) => a + b)).toBeCloseTo(1, 4);
    expect(preds[0]!.probabilities.indexOf(Math.max(...preds[0]!.probabilities))).toBe(2);
    expect(new Set(preds.map((p) => p.prediction_id)).size).toBe(2);
  });

  it('accepts columnar inputs and answers with outputs', async () => {
    const inputs = Object.fromEntries(Object.entries(PENGUIN).map(([k, v]) => [k, [v, v]]));
    const r = await call('/v1/models/penguins:predict', { inputs });
    expect(r.status).toBe(200);
    expect((r.json.outputs as { label: string[] }).label).toEqual(['Gentoo', 'Gentoo']);
  });

  it('gives the same answer for an encoded row as for the raw record', async () => {
    const features = await call('/v1/models/penguins/features');
    expect((features.json.encoded_input as { columns: string[] }).columns).toHaveLength(10);
    const raw = await call('/v1/models/penguins:predict', { instances: [PENGUIN] });
    const k = server.service.model('penguins').stable!.loaded;
    const encoded = Array.from(transformRecord(k.preprocessor, PENGUIN));
    const enc = await call('/v1/models/penguins:predict', {
      signature_name: 'encoded',
      instances: [encoded],
    });
    const scores = (x: typeof raw) => (x.json.predictions as { probabilities: number[] }[])[0]!.probabilities;
    expect(scores(enc)).toEqual(scores(raw));
    // columnar: the "input" tensor of the encoded signature
    const col = await call('/v1/models/penguins:predict', {
      signature_name: 'encoded',
      inputs: { input: [encoded] },
    });
    expect((col.json.outputs as { probabilities: number[][] }).probabilities[0]).toEqual(scores(raw));
  });

  it('routes versions and labels, and says which are not served', async () => {
    expect((await call('/v1/models/penguins/versions/1:predict', { instances: [PENGUIN] })).status).toBe(200);
    expect(
      (await call('/v1/models/penguins/labels/production:predict', { instances: [PENGUIN] })).status,
    ).toBe(200);
    const v9 = await call('/v1/models/penguins/versions/9:predict', { instances: [PENGUIN] });
    expect(v9).toMatchObject({
      status: 404,
      json: { error: expect.stringMatching(/version 9 of "penguins" is not loaded/) },
    });
    // TF Serving: an unknown label is INVALID_ARGUMENT (400), an unknown model NOT_FOUND, a bad verb malformed
    const label = await call('/v1/models/penguins/labels/nope:predict', { instances: [PENGUIN] });
    expect(label).toMatchObject({
      status: 400,
      json: { error: expect.stringMatching(/Unrecognized servable version label/) },
    });
    expect((await call('/v1/models/zebras:predict', { instances: [PENGUIN] })).status).toBe(404);
    expect((await call('/v1/models/penguins:explode', { instances: [PENGUIN] })).status).toBe(400);
  });

  it('reports status and metadata', async () => {
    const s = await call('/v1/models/penguins');
    expect(s.json).toEqual({
      model_version_status: [
        { version: '1', state: 'AVAILABLE', status: { error_code: 'OK', error_message: '' } },
      ],
    });
    expect((await call('/v1/models/penguins/versions/1')).status).toBe(200);
    const m = await call('/v1/models/penguins/metadata');
    expect(m.json.model_spec).toEqual({ name: 'penguins', signature_name: '', version: '1' });
  });

  it('refuses bad requests with 400 { error } naming the instance and field, never a stack', async () => {
    const both = await call('/v1/models/penguins:predict', { instances: [PENGUIN], inputs: {} });
    expect(both).toMatchObject({ status: 400, json: { error: expect.stringMatching(/not both/) } });
    const bad = await call('/v1/models/penguins:predict', {
      instances: [PENGUIN, { ...PENGUIN, 'Body Mass (g)': 'heavy' }],
    });
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({ error: 'instance 1, field "Body Mass (g)": expected a number, got "heavy"' });
    const missing = await call('/v1/models/penguins:predict', { instances: [{ 'Body Mass (g)': 4000 }] });
    expect(missing.json.error).toMatch(/instance 0, field "Island": is required/);
    const notJson = await call('/v1/models/penguins:predict', '{"instances": [');
    expect(notJson.status).toBe(400);
    expect(Object.keys(notJson.json)).toEqual(['error']);
    expect(notJson.text).not.toMatch(/at .*\.(ts|js):\d+/);
    expect((await call('/v1/models/penguins:predict', { instances: [] })).status).toBe(400);
  });

  it('flags out-of-range numbers and unseen categories without refusing them', async () => {
    const r = await call('/v1/models/penguins:predict', {
      instances: [{ ...PENGUIN, Island: 'Mars', 'Body Mass (g)': 9000 }],
    });
    expect(r.status).toBe(200);
    expect((r.json.warnings as { kind: string }[]).map((w) => w.kind).sort()).toEqual([
      'out-of-range',
      'unseen-category',
    ]);
  });

  it('answers 413 for too many instances and too large a body', async () => {
    const many = await call('/v1/models/penguins:predict', { instances: new Array(51).fill(PENGUIN) });
    expect(many).toMatchObject({ status: 413, json: { error: expect.stringMatching(/51 instances/) } });
    const big = await call('/v1/models/penguins:predict', {
      instances: [{ ...PENGUIN, pad: 'x'.repeat(70_000) }],
    });
    expect(big.status).toBe(413);
    expect(Object.keys(big.json)).toEqual(['error']);
  });
});

describe('KServe V2', () => {
  it('answers health, server and model metadata and readiness', async () => {
    expect((await call('/v2/health/live')).json).toEqual({ live: true });
    expect((await call('/v2/health/ready')).status).toBe(200);
    expect((await call('/v2')).json.name).toBe('myelin');
    const m = await call('/v2/models/penguins');
    expect(m.json).toMatchObject({ name: 'penguins', versions: ['1'], platform: 'tensorflowjs' });
    expect((m.json.inputs as { name: string; datatype: string }[]).find((i) => i.name === 'Island')).toEqual({
      name: 'Island',
      datatype: 'BYTES',
      shape: [-1],
    });
    expect((m.json.outputs as { name: string }[]).map((o) => o.name)).toEqual([
      'label',
      'probabilities',
      'prediction_id',
    ]);
    expect((await call('/v2/models/penguins/ready')).json).toEqual({ name: 'penguins', ready: true });
    expect((await call('/v2/models/penguins/versions/1/ready')).status).toBe(200);
    expect((await call('/v2/models/penguins/versions/4/ready')).status).toBe(503);
    expect((await call('/v2/models/penguins/versions/1')).status).toBe(200);
  });

  it('infers from one tensor per feature', async () => {
    const inputs = Object.entries(PENGUIN).map(([name, v]) => ({
      name,
      shape: [2, 1],
      datatype: typeof v === 'string' ? 'BYTES' : 'FP32',
      data: [v, v],
    }));
    const r = await call('/v2/models/penguins/infer', { id: 'req-1', inputs });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ model_name: 'penguins', model_version: '1', id: 'req-1' });
    const outputs = r.json.outputs as { name: string; shape: number[]; data: unknown[] }[];
    expect(outputs.map((o) => o.name)).toEqual(['label', 'probabilities', 'prediction_id']);
    expect(outputs[0]!.data).toEqual(['Gentoo', 'Gentoo']);
    expect(outputs[1]!.shape).toEqual([2, 3]);
  });

  it('infers from one encoded "input" tensor, at a pinned version', async () => {
    const fp = server.service.model('penguins').stable!.loaded.preprocessor;
    const row = Array.from(transformRecord(fp, PENGUIN));
    const r = await call('/v2/models/penguins/versions/1/infer', {
      inputs: [{ name: 'input', shape: [1, 10], datatype: 'FP32', data: row }],
    });
    expect(r.status).toBe(200);
    expect((r.json.outputs as { data: unknown[] }[])[0]!.data).toEqual(['Gentoo']);
  });

  it('refuses malformed tensors with 400', async () => {
    const bad = [
      { inputs: [{ name: 'Island', shape: [2], datatype: 'BYTES', data: ['Dream'] }] },
      { inputs: [{ name: 'Wings', shape: [1], datatype: 'FP32', data: [1] }] },
      { inputs: [{ name: 'Island', shape: [1], datatype: 'STRING', data: ['x'] }] },
      { inputs: [{ name: 'Body Mass (g)', shape: [1], datatype: 'FP32', data: ['heavy'] }] },
      { inputs: [] },
      { id: 3, inputs: [{ name: 'Island', shape: [1], datatype: 'BYTES', data: ['Dream'] }] },
    ];
    for (const body of bad) {
      const r = await call('/v2/models/penguins/infer', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(typeof r.json.error).toBe('string');
    }
  });
});

describe('feedback, drift and metrics', () => {
  it('joins ground truth to predictions and exposes live accuracy', async () => {
    const r = await call('/v1/models/penguins:predict', { instances: [PENGUIN, PENGUIN] });
    const [a, b] = r.json.predictions as { prediction_id: string }[];
    const ok = await call('/v1/models/penguins/feedback', {
      prediction_id: a!.prediction_id,
      label: 'Gentoo',
    });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ model: 'penguins', version: 1, correct: true, accuracy: 1 });
    // the older spelling predictionId is read too
    const wrong = await call('/v1/models/penguins/feedback', {
      predictionId: b!.prediction_id,
      label: 'Adelie',
    });
    expect(wrong.json).toMatchObject({ correct: false, accuracy: 0.5, count: 2 });
    expect(
      (await call('/v1/models/penguins/feedback', { prediction_id: b!.prediction_id, label: 'Adelie' }))
        .status,
    ).toBe(404);
    expect((await call('/v1/models/penguins/feedback', { label: 'Adelie' })).status).toBe(400);
    expect((await call('/metrics')).text).toMatch(
      /myelin_serving_live_accuracy\{model="penguins",version="1"\} 0.5/,
    );
  });

  it('raises a drift event in the metadata store when live traffic moves away from training', async () => {
    const shifted = { ...PENGUIN, Island: 'Torgersen', 'Body Mass (g)': 6900, 'Flipper Length (mm)': 230 };
    for (let i = 0; i < 4; i++)
      await call('/v1/models/penguins:predict', { instances: new Array(10).fill(shifted) });
    await vi.waitFor(async () => {
      const events = await t.stack.meta.listEvents({ runId });
      const drift = events.filter((e) => e.type === 'serving.drift');
      expect(drift.length).toBeGreaterThan(0);
      expect(drift[0]!.payload).toMatchObject({ model: 'penguins', version: 1, threshold: 0.3 });
    });
    expect((await call('/metrics')).text).toMatch(
      /myelin_serving_feature_drift_score\{model="penguins",version="1",feature="Island"/,
    );
  });

  it('exports every documented metric name, with request counts by model/version/protocol/status', async () => {
    const text = (await call('/metrics')).text;
    for (const name of Object.values(METRIC_NAMES)) expect(text, name).toContain(`# TYPE ${name} `);
    expect(text).toMatch(
      /myelin_serving_requests_total\{model="penguins",version="1",protocol="tfserving",status="200"\} \d+/,
    );
    expect(text).toMatch(
      /myelin_serving_requests_total\{model="penguins",version="none",protocol="tfserving",status="400"\}/,
    );
    expect(text).toMatch(/myelin_serving_predictions_total\{model="penguins",version="1",class="Gentoo"\}/);
    expect(text).toMatch(/myelin_serving_batch_size_bucket/);
  });

  it('sends no CORS headers by default', async () => {
    const r = await call('/v2/health/live', undefined, { origin: 'https://evil.example' });
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('property: random JSON at the predict routes', () => {
  it('only ever gets 2xx or 4xx back, and the server keeps serving', async () => {
    const routes = [
      '/v1/models/penguins:predict',
      '/v2/models/penguins/infer',
      '/v1/models/penguins/versions/1:predict',
    ];
    const feature = fc.constantFrom(...Object.keys(PENGUIN), 'input', 'x', '__proto__', 'constructor');
    const body = fc.oneof(
      fc.jsonValue(),
      fc.record({
        instances: fc.array(fc.oneof(fc.jsonValue(), fc.dictionary(feature, fc.jsonValue())), {
          maxLength: 5,
        }),
      }),
      fc.record({
        inputs: fc.oneof(
          fc.dictionary(feature, fc.array(fc.jsonValue(), { maxLength: 3 })),
          fc.array(fc.jsonValue(), { maxLength: 3 }),
        ),
      }),
      fc.record({
        inputs: fc.array(
          fc.record({
            name: feature,
            shape: fc.array(fc.integer({ min: -1, max: 12 }), { maxLength: 3 }),
            datatype: fc.constantFrom('FP32', 'BYTES', 'BOOL', 'INT64', 'X'),
            data: fc.array(fc.oneof(fc.jsonValue(), fc.double()), { maxLength: 12 }),
          }),
          { maxLength: 3 },
        ),
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), body, async (route, b) => {
        const r = await call(route, JSON.stringify(b));
        expect(r.status, `${route} ${JSON.stringify(b)} → ${r.text}`).toBeLessThan(500);
        if (r.status >= 400) expect(typeof r.json.error).toBe('string');
      }),
      { numRuns: 150 },
    );
    expect((await call('/v1/models/penguins:predict', { instances: [PENGUIN] })).status).toBe(200);
  });
});

describe('auth, overload, timeout and sampled logging (a second server)', () => {
  let other: RunningServer;
  beforeAll(async () => {
    other = await startServer({
      store: t.stack.store,
      meta: t.stack.meta,
      models: [
        {
          name: 'penguins',
          tokens: ['s3cret'],
          batching: { maxQueuedRows: 2, batchTimeoutMs: 400, maxBatchSize: 64 },
          logSampleRate: 1,
          logBatchSize: 2,
        },
      ],
      port: 0,
      requestTimeoutMs: 150,
      cors: { origins: ['https://app.example'] },
    });
  });
  afterAll(async () => other?.close());

  it('needs the bearer token', async () => {
    const none = await call('/v1/models/penguins:predict', { instances: [PENGUIN] }, {}, other.url);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect(
      (await call('/v1/models/penguins', undefined, { authorization: 'Bearer wrong' }, other.url)).status,
    ).toBe(401);
    expect(
      (await call('/v2/models/penguins', undefined, { authorization: 'Bearer s3cret' }, other.url)).status,
    ).toBe(200);
  });

  it('answers 503 with Retry-After when the queue is full, and 504 when a request waits past its timeout', async () => {
    const auth = { authorization: 'Bearer s3cret' };
    const results = await Promise.all(
      [1, 2, 3].map(() => call('/v1/models/penguins:predict', { instances: [PENGUIN] }, auth, other.url)),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([503, 504, 504]);
    const full = results.find((r) => r.status === 503)!;
    expect(full.headers.get('retry-after')).toBe('1');
    expect(full.json.error).toMatch(/queue of this model version is full/);
  });

  it('sends CORS headers to configured origins only', async () => {
    const ok = await call('/v2/health/live', undefined, { origin: 'https://app.example' }, other.url);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example');
    const no = await call('/v2/health/live', undefined, { origin: 'https://evil.example' }, other.url);
    expect(no.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('logs sampled inputs and outputs to the artifact store', async () => {
    const fast = await startServer({
      store: t.stack.store,
      meta: t.stack.meta,
      models: [{ name: 'penguins', logSampleRate: 1, logBatchSize: 2 }],
      port: 0,
    });
    await call('/v1/models/penguins:predict', { instances: [PENGUIN, PENGUIN, PENGUIN] }, {}, fast.url);
    await fast.close();
    const refs: string[] = [];
    for await (const r of t.stack.store.listRefs('serving-logs/penguins/')) refs.push(r);
    expect(refs.length).toBe(2);
    const lines: string[] = [];
    for (const ref of refs) {
      const key = (await t.stack.store.getRef(ref))!;
      lines.push(
        ...new TextDecoder()
          .decode(await t.stack.store.getBytes(key))
          .trim()
          .split('\n'),
      );
    }
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      model: 'penguins',
      version: 1,
      input: PENGUIN,
      output: { label: 'Gentoo', probabilities: expect.any(Array) },
    });
  });
});
