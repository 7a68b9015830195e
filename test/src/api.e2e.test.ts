import { describe, expect, it } from 'vitest';
import { myelinAsync, penguinsPipeline, scratchFolders, startMyelin } from './myelin-cli.js';

const tmp = scratchFolders();

interface RunDetail {
  id: string;
  status: string;
  trigger: string;
  exitCode: number;
  steps: { name: string; status: string }[];
  epochs: unknown[];
  model: { name: string; version: number } | null;
  gates: Record<string, { passed: boolean }>;
}

describe('myelin api + myelin trigger (real processes)', () => {
  it('trigger --wait follows a run on `myelin api` to the end; the run is readable over HTTP', async () => {
    const home = tmp('api-home');
    const server = startMyelin(['api', '--port', '0'], home);
    let serverOut = '';
    let serverErr = '';
    server.stderr.on('data', (d: Buffer) => (serverErr += d.toString()));
    const exited = new Promise<number | null>((done) => server.on('exit', (code) => done(code)));
    try {
      const url = await new Promise<string>((done, fail) => {
        server.stdout.on('data', (d: Buffer) => {
          serverOut += d.toString();
          const m = /listening on (http:\/\/\S+)/.exec(serverOut);
          if (m) done(m[1]!);
        });
        server.on('exit', (code) => fail(new Error(`myelin api exited with ${code}: ${serverErr}`)));
      });

      const dir = tmp('api-pipeline');
      const ok = await myelinAsync(
        [
          'trigger',
          penguinsPipeline(dir, { name: 'e2e-api', epochs: 5, gate: 0.5 }),
          '--api',
          url,
          '--wait',
          '--json',
        ],
        home,
      );
      expect(ok.code, ok.stderr).toBe(0);
      const run = JSON.parse(ok.stdout) as RunDetail;
      expect(run).toMatchObject({
        status: 'succeeded',
        trigger: 'api',
        exitCode: 0,
        model: { name: 'e2e-api', version: 1 },
      });
      expect(ok.stderr).toMatch(/epoch 1\/5/);
      expect(ok.stderr).toMatch(/✓ train succeeded/);
      expect(ok.stderr).toMatch(/✓ register succeeded/);

      // a curl-like read of the run
      const res = await fetch(`${url}/api/runs/${run.id}`);
      expect(res.status).toBe(200);
      const fetched = (await res.json()) as RunDetail;
      expect(fetched.steps.every((s) => s.status === 'succeeded' || s.status === 'cached')).toBe(true);
      expect(fetched.epochs).toHaveLength(5);

      // a failed gate exits 1, like `myelin run`
      const gate = await myelinAsync(
        [
          'trigger',
          penguinsPipeline(dir, { name: 'e2e-gate', epochs: 2, gate: 0.999 }),
          '--api',
          url,
          '--wait',
        ],
        home,
      );
      expect(gate.code, gate.stderr).toBe(1);
      expect(gate.stdout).toMatch(/FAIL accuracy/);

      // an invalid file exits 2 with the located messages, as `myelin validate` prints them
      const bad = await myelinAsync(
        [
          'trigger',
          penguinsPipeline(dir, { name: 'e2e-bad', epochs: 0 }),
          '--api',
          url,
          '--set',
          'train.batchSize="x"',
        ],
        home,
      );
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/e2e-bad\.yaml:\d+:\d+ train\.epochs: /);
      expect(bad.stderr).toMatch(/train\.batchSize: .*set by the override "train\.batchSize"/);

      // an API that is not there is a clear error, exit 2
      const gone = await myelinAsync(['trigger', penguinsPipeline(dir), '--api', 'http://127.0.0.1:9'], home);
      expect(gone.code).toBe(2);
      expect(gone.stderr).toMatch(/cannot reach the Myelin API/);
    } finally {
      server.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
