/**
 * Conformance with the TF Serving REST API (g3doc/api_rest.md and the cases of
 * model_servers/http_rest_api_handler_test.cc) and the Open Inference Protocol
 * (specification/protocol/inference_rest.md and open_inference_rest.yaml), and the exact requests
 * the field's clients send, byte for byte over a socket: Triton's Python HTTP client
 * (tritonclient.http over geventhttpclient: no Content-Type; binary tensor data by default),
 * KServe's InferenceRESTClient (httpx + orjson: no Content-Type, or application/octet-stream with
 * binary data) and TF Serving's documented `curl -d` (form-urlencoded).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../start-server.js';
import { protoJsonProblems } from '../test-support/proto-json.js';
import { rawHttp } from '../test-support/raw-http.js';
import {
  CAR,
  carsSpec,
  openTestStack,
  penguinsSpec,
  PENGUIN,
  type TestStack,
} from '../test-support/register-test-model.js';

let t: TestStack;
let server: RunningServer;

async function call(
  path: string,
  body?: unknown,
  init: { method?: string; headers?: Record<string, string> } = {},
) {
  const res = await fetch(server.url + path, {
    method: init.method ?? (body === undefined ? 'GET' : 'POST'),
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    /* text */
  }
  return { status: res.status, json, text, headers: res.headers };
}

/** Python float formatting of a number json.dumps writes for a numpy FP32/FP64 .item(). */
const pyFloat = (x: number): string => (Number.isInteger(x) ? `${x}.0` : String(x));

beforeAll(async () => {
  t = await openTestStack();
  await t.register(penguinsSpec({ seed: 3, aliases: ['production'] }));
  await t.register(carsSpec({ seed: 5, aliases: ['production'] }));
  server = await startServer({
    store: t.stack.store,
    meta: t.stack.meta,
    models: [{ name: 'penguins' }, { name: 'cars' }],
    port: 0,
    maxBodyBytes: 256 * 1024,
  });
});

afterAll(async () => {
  await server?.close();
  await t?.dispose();
});

describe('real clients, byte for byte', () => {
  const features = Object.entries(PENGUIN);
  const host = () => `127.0.0.1:${server.port}`;

  it("Triton's Python HTTP client (JSON tensors, no Content-Type)", async () => {
    // InferInput(name, [1], dtype).set_data_from_numpy(arr, binary_data=False); client.infer('penguins', inputs)
    const body = `{"inputs": [${features
      .map(([name, v]) =>
        typeof v === 'string'
          ? `{"name": ${JSON.stringify(name)}, "shape": [1], "datatype": "BYTES", "data": [${JSON.stringify(v)}]}`
          : `{"name": ${JSON.stringify(name)}, "shape": [1], "datatype": "FP32", "data": [${pyFloat(v)}]}`,
      )
      .join(', ')}], "parameters": {"binary_data_output": true}}`;
    const r = await rawHttp(
      server.port,
      `POST /v2/models/penguins/infer HTTP/1.1\r\nUser-Agent: python/gevent-http-client-2.3.3\r\nHost: ${host()}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
      body,
    );
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    const outputs = r.json.outputs as { name: string; datatype: string; shape: number[]; data: unknown[] }[];
    expect(outputs.find((o) => o.name === 'label')).toMatchObject({
      datatype: 'BYTES',
      shape: [1],
      data: ['Gentoo'],
    });
    expect(outputs.find((o) => o.name === 'probabilities')).toMatchObject({
      datatype: 'FP32',
      shape: [1, 3],
    });
  });

  it("Triton's Python HTTP client with its default binary tensor data (Inference-Header-Content-Length)", async () => {
    // set_data_from_numpy(arr) with the default binary_data=True: JSON header, then raw bytes per input
    const parts: Buffer[] = [];
    const inputs = features.map(([name, v]) => {
      let raw: Buffer;
      if (typeof v === 'string') {
        raw = Buffer.alloc(4 + Buffer.byteLength(v));
        raw.writeUInt32LE(Buffer.byteLength(v), 0);
        raw.write(v, 4);
      } else raw = Buffer.from(Float32Array.of(v).buffer);
      parts.push(raw);
      return `{"name": ${JSON.stringify(name)}, "shape": [1], "datatype": "${typeof v === 'string' ? 'BYTES' : 'FP32'}", "parameters": {"binary_data_size": ${raw.length}}}`;
    });
    const json = `{"inputs": [${inputs.join(', ')}], "outputs": [{"name": "label", "parameters": {"binary_data": false}}]}`;
    const body = Buffer.concat([Buffer.from(json), ...parts]);
    const r = await rawHttp(
      server.port,
      `POST /v2/models/penguins/infer HTTP/1.1\r\nUser-Agent: python/gevent-http-client-2.3.3\r\nInference-Header-Content-Length: ${Buffer.byteLength(json)}\r\nHost: ${host()}\r\nContent-Length: ${body.length}\r\n\r\n`,
      body,
    );
    expect(r.status).toBe(200);
    expect(r.json.outputs).toEqual([{ name: 'label', datatype: 'BYTES', shape: [1], data: ['Gentoo'] }]);
  });

  it("KServe's InferenceRESTClient, v2 (orjson body, no Content-Type) and with binary data (octet-stream)", async () => {
    // InferRequest(model_name='penguins', infer_inputs=[InferInput(name, [1], dtype, data=[v])]).to_rest()
    const json = (withData: boolean, sizes: number[] = []) =>
      `{"id":"4f1d4b6e-0f7e-4c59-9a6f-3c1f1b2e9d10","model_name":"penguins","inputs":[${features
        .map(
          ([name, v], i) =>
            `{"name":${JSON.stringify(name)},"shape":[1],"datatype":"${typeof v === 'string' ? 'BYTES' : 'FP32'}"${withData ? `,"data":[${JSON.stringify(v)}]` : `,"parameters":{"binary_data_size":${sizes[i]}}`}}`,
        )
        .join(',')}]}`;
    const plain = json(true);
    const r = await rawHttp(
      server.port,
      `POST /v2/models/penguins/infer HTTP/1.1\r\nHost: ${host()}\r\nAccept: */*\r\nAccept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\nUser-Agent: python-httpx/0.27.0\r\nContent-Length: ${Buffer.byteLength(plain)}\r\n\r\n`,
      plain,
    );
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ model_name: 'penguins', id: '4f1d4b6e-0f7e-4c59-9a6f-3c1f1b2e9d10' });
    // set_data_from_numpy(arr, binary_data=True) on each input
    const raws = features.map(([, v]) => {
      if (typeof v !== 'string') return Buffer.from(Float32Array.of(v).buffer);
      const b = Buffer.alloc(4 + v.length);
      b.writeUInt32LE(v.length, 0);
      b.write(v, 4);
      return b;
    });
    const head = json(
      false,
      raws.map((b) => b.length),
    );
    const body = Buffer.concat([Buffer.from(head), ...raws]);
    const rb = await rawHttp(
      server.port,
      `POST /v2/models/penguins/infer HTTP/1.1\r\nHost: ${host()}\r\nAccept: */*\r\nAccept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\nUser-Agent: python-httpx/0.27.0\r\ninference-header-content-length: ${Buffer.byteLength(head)}\r\ncontent-type: application/octet-stream\r\nContent-Length: ${body.length}\r\n\r\n`,
      body,
    );
    expect(rb.status).toBe(200);
    expect((rb.json.outputs as { name: string; data: unknown[] }[])[0]).toMatchObject({
      name: 'label',
      data: ['Gentoo'],
    });
  });

  it("KServe's InferenceRESTClient, v1 protocol (:predict, no Content-Type)", async () => {
    const body = JSON.stringify({ instances: [PENGUIN] });
    const r = await rawHttp(
      server.port,
      `POST /v1/models/penguins:predict HTTP/1.1\r\nHost: ${host()}\r\nAccept: */*\r\nAccept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\nUser-Agent: python-httpx/0.27.0\r\nContent-Length: ${body.length}\r\n\r\n`,
      body,
    );
    expect(r.status).toBe(200);
    expect((r.json.predictions as { label: string }[])[0]!.label).toBe('Gentoo');
  });

  it("TF Serving's documented curl -d (application/x-www-form-urlencoded)", async () => {
    const body = `{"instances": [${JSON.stringify(PENGUIN)}]}`;
    const r = await rawHttp(
      server.port,
      `POST /v1/models/penguins:predict HTTP/1.1\r\nHost: ${host()}\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\n`,
      body,
    );
    expect(r.status).toBe(200);
  });

  it('any Content-Type, even one that is not a media type, is read as JSON', async () => {
    for (const ct of ['text/plain', 'application/octet-stream', 'json']) {
      const r = await call(
        '/v1/models/penguins:predict',
        { instances: [PENGUIN] },
        { headers: { 'content-type': ct } },
      );
      expect(r.status, ct).toBe(200);
    }
  });
});

describe('TF Serving REST API', () => {
  it(':classify with examples and context answers results of [label, score] in class order', async () => {
    const { Island, ...rest } = PENGUIN;
    const r = await call('/v1/models/penguins:classify', {
      signature_name: 'classification',
      context: { Island },
      examples: [rest, { ...rest, 'Body Mass (g)': [4950] }],
    });
    expect(r.status).toBe(200);
    const results = r.json.results as [string, number][][];
    expect(results).toHaveLength(2);
    expect(results[0]!.map(([label]) => label)).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    expect(results[0]!.reduce((s, [, p]) => s + p, 0)).toBeCloseTo(1, 4);
    expect(results[1]).toEqual(results[0]);
    expect(r.json.prediction_ids).toHaveLength(2);
  });

  it(':regress answers results of one value per example; :regress on a classifier and :classify on a regression are 400', async () => {
    const r = await call('/v1/models/cars:regress', {
      examples: [CAR, { ...CAR, Weight_in_lbs: 4500, Cylinders: 8 }],
    });
    expect(r.status).toBe(200);
    const results = r.json.results as number[];
    expect(results).toHaveLength(2);
    expect(results.every((x) => typeof x === 'number' && Number.isFinite(x))).toBe(true);
    expect((await call('/v1/models/penguins:regress', { examples: [PENGUIN] })).status).toBe(400);
    expect((await call('/v1/models/cars:classify', { examples: [CAR] })).status).toBe(400);
    expect((await call('/v1/models/cars:predict', { instances: [CAR] })).json.predictions).toEqual([
      { value: expect.any(Number), prediction_id: expect.any(String) },
    ]);
  });

  it('GET metadata is a GetModelMetadataResponse a strict proto3 JSON parser accepts; status a GetModelStatusResponse', async () => {
    const m = await call('/v1/models/penguins/metadata');
    expect(m.status).toBe(200);
    expect(protoJsonProblems('tensorflow.serving.GetModelMetadataResponse', m.json)).toEqual([]);
    const sigs = (
      m.json.metadata as { signature_def: { signature_def: Record<string, { method_name: string }> } }
    ).signature_def.signature_def;
    expect(Object.keys(sigs).sort()).toEqual(['classification', 'encoded', 'serving_default']);
    expect(sigs.classification!.method_name).toBe('tensorflow/serving/classify');
    const cars = await call('/v1/models/cars/versions/1/metadata');
    expect(protoJsonProblems('tensorflow.serving.GetModelMetadataResponse', cars.json)).toEqual([]);
    expect(
      Object.keys(
        (cars.json.metadata as { signature_def: { signature_def: object } }).signature_def.signature_def,
      ),
    ).toContain('regression');
    const s = await call('/v1/models/penguins');
    expect(protoJsonProblems('tensorflow.serving.GetModelStatusResponse', s.json)).toEqual([]);
    // the checker itself refuses what a strict parser refuses
    expect(
      protoJsonProblems('tensorflow.serving.GetModelMetadataResponse', { ...m.json, task: 'x' }),
    ).toEqual(['$.task: no field "task" in tensorflow.serving.GetModelMetadataResponse']);
    expect(
      protoJsonProblems('tensorflow.serving.GetModelMetadataResponse', {
        metadata: { signature_def: { signature_def: {} } },
      }),
    ).toEqual(['$.metadata["signature_def"]: an Any needs "@type" naming a known message, got undefined']);
  });

  it('a client building requests from the metadata succeeds: DT_FLOAT inputs take 190.3 (integer columns too)', async () => {
    const m = await call('/v1/models/penguins/metadata');
    const inputs = (
      m.json.metadata as {
        signature_def: { signature_def: { serving_default: { inputs: Record<string, { dtype: string }> } } };
      }
    ).signature_def.signature_def.serving_default.inputs;
    const instance = Object.fromEntries(
      Object.entries(inputs).map(([name, info]) => {
        const v = PENGUIN[name as keyof typeof PENGUIN];
        return [name, info.dtype === 'DT_FLOAT' ? Number(v) + 0.3 : v];
      }),
    );
    expect(instance['Flipper Length (mm)']).toBeCloseTo(218.3);
    const r = await call('/v1/models/penguins:predict', {
      instances: [instance, { ...instance, 'Flipper Length (mm)': 190.3 }],
    });
    expect(r.status, r.text).toBe(200);
    const f = await call('/v1/models/penguins/features');
    expect(
      (f.json.features as { name: string; dtype: string }[]).find((x) => x.name === 'Flipper Length (mm)'),
    ).toMatchObject({
      dtype: 'DT_FLOAT',
      datatype: 'FP32',
      range: [expect.any(Number), expect.any(Number)],
    });
  });

  it('signature_name: the offered ones work, another is 400, a non-string is 400', async () => {
    for (const sig of ['', 'serving_default', 'classification'])
      expect(
        (await call('/v1/models/penguins:predict', { signature_name: sig, instances: [PENGUIN] })).status,
        sig,
      ).toBe(200);
    const r = await call('/v1/models/penguins:predict', { signature_name: 'nope', instances: [PENGUIN] });
    expect(r).toMatchObject({
      status: 400,
      json: { error: expect.stringMatching(/Serving signature name: "nope" not found/) },
    });
    const n = await call('/v1/models/penguins:predict', { signature_name: 100, instances: [PENGUIN] });
    expect(n.json.error).toMatch(/'signature_name' key must be a string value\./);
  });

  it('answers 400 where TF Serving does: malformed paths, non-numeric versions, unknown labels, wrong methods, empty bodies', async () => {
    const cases: [string, string, unknown, RegExp][] = [
      ['GET', '/v1/foo', undefined, /Malformed request/],
      ['POST', '/v1/foo', {}, /Malformed request/],
      ['GET', '/v1/models', undefined, /Missing model name/],
      ['GET', '/v1/models/penguins/debug/x', undefined, /Malformed request/],
      ['GET', '/v1/models/penguins:predict', undefined, /Malformed request/],
      ['POST', '/v1/models/penguins/metadata', {}, /Malformed request/],
      ['POST', '/v1/models/penguins/versions/HELLO:predict', { instances: [PENGUIN] }, /not a number/],
      [
        'POST',
        '/v1/models/penguins/versions/18446744073709551615:regress',
        { examples: [] },
        /Failed to convert version/,
      ],
      [
        'POST',
        '/v1/models/penguins/labels/nope:predict',
        { instances: [PENGUIN] },
        /Unrecognized servable version label/,
      ],
      ['PUT', '/v1/models/penguins:predict', { instances: [PENGUIN] }, /Malformed request: PUT/],
      ['DELETE', '/v1/models/penguins', undefined, /Malformed request: DELETE/],
      ['POST', '/v1/models/penguins:predict', '', /The document is empty/],
      ['POST', '/v1/models/penguins:predict', 'instances = [1, 2]', /JSON Parse error/],
    ];
    for (const [method, path, body, message] of cases) {
      const r = await call(path, body, { method });
      expect(r.status, `${method} ${path}`).toBe(400);
      expect(r.json.error, `${method} ${path}`).toMatch(message);
    }
    // NOT_FOUND stays 404: an unknown model, a version not loaded
    expect((await call('/v1/models/zebras:predict', { instances: [PENGUIN] })).status).toBe(404);
    expect((await call('/v1/models/penguins/versions/99:predict', { instances: [PENGUIN] })).status).toBe(
      404,
    );
  });

  it('matches paths case-insensitively, like TF Serving ((?i)/v1/…)', async () => {
    expect((await call('/V1/MODELS/penguins:PREDICT', { instances: [PENGUIN] })).status).toBe(200);
    expect((await call('/v1/Models/penguins/Versions/1/METADATA')).status).toBe(200);
    expect((await call('/V2/models/penguins/READY')).status).toBe(200);
    expect((await call('/V2/HEALTH/LIVE')).json).toEqual({ live: true });
  });
});

describe('Open Inference Protocol (KServe V2)', () => {
  it('GET /v2 and /v2/ both answer the server metadata', async () => {
    for (const path of ['/v2', '/v2/']) {
      const r = await call(path);
      expect(r.status, path).toBe(200);
      expect(r.json).toEqual({ name: 'myelin', version: expect.any(String), extensions: expect.any(Array) });
    }
  });

  it('model metadata: name, versions, platform, inputs and outputs as $metadata_tensor; extras in "properties" (strings)', async () => {
    const m = await call('/v2/models/penguins');
    expect(Object.keys(m.json).sort()).toEqual([
      'inputs',
      'name',
      'outputs',
      'platform',
      'properties',
      'versions',
    ]);
    for (const tensor of [...(m.json.inputs as object[]), ...(m.json.outputs as object[])])
      expect(tensor).toEqual({
        name: expect.any(String),
        datatype: expect.any(String),
        shape: expect.any(Array),
      });
    expect(Object.values(m.json.properties as object).every((v) => typeof v === 'string')).toBe(true);
  });

  it('a client building requests from the metadata succeeds (FP32 inputs take 190.3)', async () => {
    const m = await call('/v2/models/penguins');
    const inputs = (m.json.inputs as { name: string; datatype: string }[]).map(({ name, datatype }) => {
      const v = PENGUIN[name as keyof typeof PENGUIN];
      return { name, datatype, shape: [2], data: datatype === 'FP32' ? [Number(v) + 0.3, 190.3] : [v, v] };
    });
    const r = await call('/v2/models/penguins/infer', { inputs });
    expect(r.status, r.text).toBe(200);
  });

  it('outputs: [{name}] returns only those; an unknown output name is 400', async () => {
    const inputs = Object.entries(PENGUIN).map(([name, v]) => ({
      name,
      shape: [1],
      datatype: typeof v === 'string' ? 'BYTES' : 'FP32',
      data: [v],
    }));
    const r = await call('/v2/models/penguins/infer', { inputs, outputs: [{ name: 'probabilities' }] });
    expect(r.status).toBe(200);
    expect((r.json.outputs as { name: string }[]).map((o) => o.name)).toEqual(['probabilities']);
    const bad = await call('/v2/models/penguins/infer', {
      inputs,
      outputs: [{ name: 'label' }, { name: 'logits' }],
    });
    expect(bad).toMatchObject({
      status: 400,
      json: { error: expect.stringMatching(/unknown output "logits"/) },
    });
    const car = Object.entries(CAR).map(([name, v]) => ({
      name,
      shape: [1],
      datatype: typeof v === 'string' ? 'BYTES' : 'FP32',
      data: [v],
    }));
    const reg = await call('/v2/models/cars/infer', { inputs: car, outputs: [{ name: 'value' }] });
    expect(reg.json.outputs).toEqual([
      { name: 'value', datatype: 'FP64', shape: [1], data: [expect.any(Number)] },
    ]);
  });

  it('errors are { "error": string } with a 4xx', async () => {
    const r = await call('/v2/models/penguins/infer', {
      inputs: [{ name: 'Wings', shape: [1], datatype: 'FP32', data: [1] }],
    });
    expect(r.status).toBe(400);
    expect(Object.keys(r.json)).toEqual(['error']);
    expect(r.json.error).toMatch(/inputs\[0\] \("Wings"\).*is not a feature of this model/);
  });
});

describe('every route', () => {
  it('answers 400 (never 500) to JSON nested 4,500 levels deep, and keeps serving', async () => {
    const deep = `${'['.repeat(4500)}${']'.repeat(4500)}`;
    const bodies = [
      `{"instances":${deep}}`,
      `{"examples":${deep}}`,
      `{"inputs":${deep}}`,
      `{"predictionId":${deep}}`,
    ];
    const routes = [
      '/v1/models/penguins:predict',
      '/v1/models/penguins:classify',
      '/v1/models/cars:regress',
      '/v1/models/penguins/versions/1:predict',
      '/v1/models/penguins/feedback',
      '/v2/models/penguins/infer',
      '/v2/models/penguins/versions/1/infer',
    ];
    for (const route of routes) {
      for (const body of bodies) {
        const r = await call(route, body);
        expect(r.status, `${route} ${body.slice(0, 20)}`).toBe(400);
        expect(r.json.error).toMatch(/nested deeper/);
      }
    }
    expect((await call('/v1/models/penguins:predict', { instances: [PENGUIN] })).status).toBe(200);
  });
});
