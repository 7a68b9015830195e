import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, myelin, penguinsPipeline, repoRoot, scratch } from './myelin-cli.js';

// The status page in a real browser against a real API process on the embedded stack: trigger a
// pipeline from the page, watch it run live, open its model; a failing pipeline shows its failing
// step; an invalid file gets the CLI's messages. Screenshots go to test-artifacts/web/.

const CHROMIUM = process.env.MYELIN_CHROMIUM ?? '/usr/bin/chromium';
const artifacts = join(repoRoot, 'test-artifacts/web');
// enough epochs that the run is still training when the page shows its first points, on a fast machine too
const EPOCHS = 150;

let home: string;
let work: string;
const apis: ChildProcess[] = [];
let baseUrl: string;
let context: BrowserContext;
let page: Page;
let profile: string;

/** `myelin api` when the CLI has it, else the same server through `startApi` in a small script. */
function launchApi(tokens?: string): Promise<string> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MYELIN_HOME: home,
    MYELIN_NO_PROGRESS: '1',
    NO_COLOR: '1',
  };
  delete env.MYELIN_API_TOKENS;
  if (tokens) env.MYELIN_API_TOKENS = tokens;
  const help = myelin(['--help'], home);
  const hasApi = /^\s+api\b/m.test(help.stdout + help.stderr);
  const script = `
    import { register } from 'tsx/esm/api';
    register();
    const { startApi } = await import(${JSON.stringify(join(repoRoot, 'packages/api-server/src/index.ts'))});
    const api = await startApi({ port: 0, host: '127.0.0.1' });
    console.log('listening on ' + api.url);
    const stop = async () => { await api.close(); process.exit(0); };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  `;
  const api = hasApi
    ? spawn(process.execPath, [bin, 'api', '--port', '0', '--host', '127.0.0.1'], {
        cwd: repoRoot,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      })
    : spawn(process.execPath, ['--input-type=module', '-e', script], {
        cwd: repoRoot,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
  apis.push(api);
  let log = '';
  return new Promise((resolve, reject) => {
    const onData = (b: Buffer) => {
      log += b.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(log);
      if (m) resolve(m[1]!);
    };
    api.stdout!.on('data', onData);
    api.stderr!.on('data', onData);
    api.on('exit', (code) => reject(new Error(`the API exited (${code}) before listening:\n${log}`)));
  });
}

function yamlOf(file: string): string {
  return readFileSync(file, 'utf8');
}

async function shot(name: string, p: Page = page): Promise<void> {
  await p.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

/** Pastes a pipeline on the trigger page, submits it, and returns the run id the page moves to. */
async function startFromPage(yaml: string, fileName: string): Promise<string> {
  await page.goto(`${baseUrl}/#/trigger`);
  await page.getByLabel('Name in messages').fill(fileName);
  await page.getByLabel(/Pipeline YAML/).fill(yaml);
  await page.getByRole('button', { name: 'Start run' }).click();
  await page.waitForURL(/#\/runs\/r-[0-9a-z]+$/, { timeout: 30_000 });
  return /#\/runs\/(r-[0-9a-z]+)/.exec(page.url())![1]!;
}

describe.skipIf(!existsSync(CHROMIUM))('status page in a browser (API process, embedded stack)', () => {
  beforeAll(async () => {
    const build = spawnSync('npm', ['run', 'build', '-w', '@myelin/web'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(build.status, build.stderr + build.stdout).toBe(0);
    mkdirSync(artifacts, { recursive: true });
    home = scratch('web-home');
    work = scratch('web-files');
    baseUrl = await launchApi();
    profile = mkdtempSync(join(tmpdir(), 'myelin-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 900 },
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
      ],
    });
    page = context.pages()[0] ?? (await context.newPage());
  });

  afterAll(async () => {
    await context?.close();
    for (const api of apis) {
      if (api.exitCode !== null) continue;
      const exited = new Promise((r) => api.once('exit', r));
      api.kill('SIGTERM');
      await exited;
    }
    for (const d of [home, work, profile]) if (d) rmSync(d, { recursive: true, force: true });
  });

  it('starts the penguins pipeline from the page, follows it live to succeeded, and shows its model', async () => {
    const yaml = yamlOf(penguinsPipeline(work, { name: 'penguins-web', epochs: EPOCHS, gate: 0.8 }));
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));

    const runId = await startFromPage(yaml, 'penguins-web.yaml');
    // a marker that a reload would wipe: everything below happens on this one document
    await page.evaluate(() => Object.assign(globalThis, { __sameDocument: true }));
    // record what the page shows at every DOM change: run state, step states, points on the loss curve
    await page.evaluate(() => {
      const d = (
        globalThis as unknown as {
          document: {
            querySelector(s: string): { getAttribute(a: string): string | null } | null;
            querySelectorAll(s: string): ArrayLike<{ getAttribute(a: string): string | null }>;
            body: unknown;
          };
        }
      ).document;
      const seen: { run: string | null; points: number; steps: string }[] = [];
      const record = () => {
        const run = d.querySelector('[data-run-status]')?.getAttribute('data-run-status') ?? null;
        const points = Number(
          d.querySelector('figure[data-metric="loss"]')?.getAttribute('data-points') ?? 0,
        );
        const steps = Array.from(d.querySelectorAll('.step-graph li'))
          .map((li) => `${li.getAttribute('data-step')}:${li.getAttribute('data-status')}`)
          .join(',');
        const last = seen.at(-1);
        if (!last || last.run !== run || last.points !== points || last.steps !== steps)
          seen.push({ run, points, steps });
      };
      const MO = (
        globalThis as unknown as {
          MutationObserver: new (cb: () => void) => { observe(n: unknown, o: object): void };
        }
      ).MutationObserver;
      new MO(record).observe(d.body, {
        subtree: true,
        childList: true,
        attributes: true,
        characterData: true,
      });
      record();
      Object.assign(globalThis, { __seen: seen });
    });

    await page.locator('[data-run-status="succeeded"]').waitFor({ timeout: 180_000 });
    await page.locator(`figure[data-metric="loss"][data-points="${EPOCHS}"]`).waitFor({ timeout: 30_000 });
    await page.locator('li[data-step="register"][data-status="succeeded"]').waitFor({ timeout: 30_000 });
    await page.waitForTimeout(300); // let the last frame paint before the screenshot
    await shot('run-detail-succeeded');

    const seen = (await page.evaluate(() => (globalThis as unknown as { __seen: unknown }).__seen)) as {
      run: string | null;
      points: number;
      steps: string;
    }[];
    expect(
      await page.evaluate(() => (globalThis as unknown as { __sameDocument?: boolean }).__sameDocument),
    ).toBe(true);
    // live: the page showed the run going and the loss curve with points before the run ended
    expect(
      seen.some((s) => s.run === 'running' && s.points > 0),
      JSON.stringify(seen),
    ).toBe(true);
    expect(
      seen.some((s) => s.steps.includes('train:running')),
      JSON.stringify(seen),
    ).toBe(true);
    // steps turn green one after the other: ingest succeeded was seen while a later step was still pending
    expect(
      seen.some((s) => s.steps.includes('ingest:succeeded') && s.steps.includes('register:pending')),
    ).toBe(true);
    // the curve only grows
    const points = seen.map((s) => s.points);
    expect(points).toEqual([...points].sort((a, b) => a - b));
    expect(points.at(-1)).toBe(EPOCHS);
    for (const step of ['ingest', 'validate', 'preprocess', 'train', 'evaluate', 'register']) {
      await expect(page.locator(`li[data-step="${step}"]`).getAttribute('data-status')).resolves.toBe(
        'succeeded',
      );
    }
    // the engine that trained it, with its version, device and threads
    const engineName = process.env['MYELIN_REQUIRE_TORCH'] === '1' ? 'torch' : '(torch|tfjs)';
    await expect(page.locator('[data-engine]').innerText()).resolves.toMatch(
      new RegExp(`^${engineName} · (libtorch|tfjs) \\d+\\.\\d+\\.\\d+ · \\S+`),
    );
    // the curves' numbers are in a table too
    await page.getByText('loss: numbers per epoch').click();
    await expect(page.locator('figure[data-metric="loss"] details.numbers tbody tr').count()).resolves.toBe(
      EPOCHS,
    );

    // the evaluation: test metrics and the gate verdict with its bound
    await page.getByRole('link', { name: 'Evaluation', exact: true }).click();
    await page.locator('tr[data-gate="accuracy"][data-passed="true"]').waitFor();
    await expect(page.locator('tr[data-gate="accuracy"]').innerText()).resolves.toContain('>= 0.8');
    await expect(page.locator('tr[data-metric="accuracy"]').count()).resolves.toBe(1);
    await shot('run-evaluation');

    // the runs list shows it with its model
    await page.goto(`${baseUrl}/#/runs`);
    const row = page.locator(`tr[data-run-id="${runId}"]`);
    await row.waitFor();
    await expect(row.getAttribute('data-status')).resolves.toBe('succeeded');
    await expect(row.innerText()).resolves.toContain('penguins-web v1');
    await shot('runs-list-first');

    // the model: its version with metrics and lineage, and the alias the pipeline set
    await row.getByRole('link', { name: 'penguins-web v1' }).click();
    await page.locator('li[data-alias="staging"][data-version="1"]').waitFor();
    const version = page.locator('tr[data-version="1"]');
    await expect(version.innerText()).resolves.toContain(runId);
    await expect(version.locator('td.num').first().innerText()).resolves.toMatch(/^\d/);
    await shot('model');
    expect(pageErrors).toEqual([]);

    // narrow screen: the same pages stay usable (nothing wider than the window but scrolling tables)
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${baseUrl}/#/runs/${runId}`);
    await page.locator('[data-run-status="succeeded"]').waitFor();
    const overflow = await page.evaluate(() => {
      const d = (
        globalThis as unknown as {
          document: { documentElement: { scrollWidth: number; clientWidth: number } };
        }
      ).document;
      return d.documentElement.scrollWidth - d.documentElement.clientWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    await shot('run-detail-narrow');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('shows the failing step of a failing pipeline with its message', async () => {
    const yaml = yamlOf(penguinsPipeline(work, { name: 'penguins-broken', epochs: 2 })).replace(
      /^preprocess:/m,
      'validate:\n  columns:\n    Body Mass (g): { type: number, max: 3000 }\npreprocess:',
    );
    await startFromPage(yaml, 'penguins-broken.yaml');
    await page.locator('[data-run-status="failed"]').waitFor({ timeout: 120_000 });
    // every check waits for what it looks for: the page renders events as they arrive
    const validate = page.locator('li[data-step="validate"]');
    await page.locator('li[data-step="validate"][data-status="failed"]').waitFor({ timeout: 30_000 });
    await validate
      .locator('.step-error', { hasText: /data validation failed: Body Mass \(g\)/ })
      .waitFor({ timeout: 30_000 });
    // ingest read the same data as the first test: served from the step cache
    await page
      .locator(
        'li[data-step="ingest"][data-status="succeeded"], li[data-step="ingest"][data-status="cached"]',
      )
      .waitFor({ timeout: 30_000 });
    await page.locator('li[data-step="train"][data-status="skipped"]').waitFor({ timeout: 30_000 });
    await page
      .locator('.run-error', { hasText: 'MYELIN_ERR_VALIDATION_FAILED' })
      .waitFor({ timeout: 30_000 });
    // the step's log says which rule found what
    await page.getByRole('link', { name: 'Logs', exact: true }).click();
    await page
      .getByRole('group', { name: 'Step' })
      .getByRole('button', { name: /^validate/ })
      .click();
    // (the run may have failed before the page opened: its events then arrive by replay, so wait for them)
    await page.locator('pre.log', { hasText: /error: "Body Mass \(g\)" range/ }).waitFor({ timeout: 30_000 });
    await page.getByRole('link', { name: 'Overview', exact: true }).click();
    await shot('run-failed');

    // the list: filter by status
    await page.goto(`${baseUrl}/#/runs`);
    await page.locator('tr[data-status="failed"]').waitFor();
    await shot('runs-list');
    await page.getByLabel('Status').selectOption('failed');
    await page.waitForURL(/status=failed/);
    await page.locator('tr[data-status="succeeded"]').waitFor({ state: 'detached' });
    await expect.poll(() => page.locator('tr[data-run-id]').count(), { timeout: 30_000 }).toBe(1);
  });

  it('answers an invalid pipeline file with the messages `myelin validate` prints', async () => {
    const file = penguinsPipeline(work, { name: 'penguins-invalid', epochs: -1 });
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^evaluate:/m, 'evalute:'));
    await page.goto(`${baseUrl}/#/trigger`);
    await page.getByLabel('Name in messages').fill('penguins-invalid.yaml');
    await page.getByLabel(/Pipeline YAML/).fill(readFileSync(file, 'utf8'));
    await page.getByRole('button', { name: 'Start run' }).click();
    const list = page.locator('#spec-errors li');
    await list.first().waitFor();
    const shown = await list.allInnerTexts();
    expect(shown.length).toBe(2);
    const cli = myelin(['validate', 'penguins-invalid.yaml'], home, work);
    expect(cli.code).toBe(2);
    for (const line of shown) {
      const message = line.replace(/\s+MYELIN_ERR_\w+$/, '');
      expect(cli.stdout + cli.stderr).toContain(message);
    }
    expect(shown.join('\n')).toMatch(/penguins-invalid\.yaml:\d+:\d+ train\.epochs/);
    // the message moves the cursor to its line
    await list.first().getByRole('button').click();
    const caret = await page
      .getByLabel(/Pipeline YAML/)
      .evaluate((el) => (el as unknown as { selectionStart: number }).selectionStart);
    const text = readFileSync(file, 'utf8');
    expect(text.slice(0, caret).split('\n').length).toBe(
      Number(/:(\d+):\d+ train\.epochs/.exec(shown.join('\n'))![1]),
    );
    await shot('trigger-invalid');
  });

  it('asks for a token when the API needs one, and says which scope an action lacks', async () => {
    const read = 'web-e2e-read-0123456789';
    const url = await launchApi(`${read}:read`);
    const p = await context.newPage();
    try {
      await p.goto(`${url}/#/runs`);
      await p.getByRole('alert').filter({ hasText: 'This API needs a token' }).waitFor();
      await p.getByRole('link', { name: 'Enter a token' }).click();
      await p.getByLabel('Token', { exact: true }).fill(read);
      await p.getByRole('button', { name: 'Save' }).click();
      await p.getByRole('link', { name: 'Runs', exact: true }).click();
      // the same store as the first API: its runs are listed once the token is in
      await p.locator('tr[data-run-id]').first().waitFor();
      await p.goto(`${url}/#/trigger`);
      await p.getByRole('button', { name: 'Use the example' }).click();
      await p.getByRole('button', { name: 'Start run' }).click();
      await p.getByRole('alert').filter({ hasText: 'runs:write' }).waitFor();
      await shot('token-scope', p);
    } finally {
      await p.close();
    }
  });
});
