import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DRIFT_EVENT } from '@myelin/pipeline';
import { testServer, tinyPenguins, type TestServer } from '../testing/api-test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await testServer({ retrain: { pollMs: 100, cooldownMs: 0 } });
});
afterAll(async () => server?.close());

const scheduled = (cron: string) =>
  `${tinyPenguins({ name: 'sched' })}monitor:\n  retrain: { onDrift: false, schedule: "${cron}" }\n`;

async function waitFor<T>(read: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const v = await read();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('gave up waiting');
}

describe('retraining routes', () => {
  it('a submitted pipeline registers, changes and removes its schedule', async () => {
    const post = (spec: string) =>
      server.app.inject({ method: 'POST', url: '/api/runs', payload: { spec, file: 'sched.yaml' } });
    expect((await post(scheduled('0 3 * * 1'))).statusCode).toBe(202);
    let list = (await server.app.inject({ method: 'GET', url: '/api/schedules' })).json();
    expect(list.schedules).toEqual([
      expect.objectContaining({
        pipeline: 'sched',
        cron: '0 3 * * 1',
        timezone: 'UTC',
        nextFireAt: expect.any(Number),
      }),
    ]);
    expect(new Date(list.schedules[0].nextFireAt).getUTCDay()).toBe(1);
    expect((await post(scheduled('*/10 * * * *'))).statusCode).toBe(202);
    list = (await server.app.inject({ method: 'GET', url: '/api/schedules' })).json();
    expect(list.schedules.map((s: { cron: string }) => s.cron)).toEqual(['*/10 * * * *']);
    const del = await server.app.inject({ method: 'DELETE', url: '/api/schedules/sched' });
    expect(del.json()).toEqual({ pipeline: 'sched', removed: true });
    const again = await server.app.inject({ method: 'DELETE', url: '/api/schedules/sched' });
    expect(again.statusCode).toBe(404);
    expect(again.json().error.code).toBe('MYELIN_ERR_REGISTRY_NOT_FOUND');
  });

  it('refuses a schedule that never fires or fires every second, with the reason, recording nothing', async () => {
    for (const [cron, why] of [
      ['0 0 30 2 *', /never fires/],
      ['* * * * * *', /at most once a minute/],
    ] as const) {
      const res = await server.app.inject({
        method: 'POST',
        url: '/api/runs',
        payload: { spec: scheduled(cron).replace('name: sched', 'name: bad-sched'), file: 'bad.yaml' },
      });
      expect(res.statusCode).toBe(400);
      const err = res.json().error;
      expect(err.code).toBe('MYELIN_ERR_SPEC_INVALID');
      expect(JSON.stringify(err)).toMatch(why);
      expect(JSON.stringify(err)).toMatch(/monitor\.retrain\.schedule/);
    }
    expect((await server.stack.meta.listRuns({ pipeline: 'bad-sched' })).runs).toEqual([]);
  });

  it('lists drift decisions: a drift event of a model with no pipeline is logged and ignored', async () => {
    const { runs } = await server.stack.meta.listRuns({ pipeline: 'sched', limit: 1 });
    const ev = await server.stack.meta.appendEvent(runs[0]!.id, DRIFT_EVENT, {
      model: 'nobody',
      version: 4,
      feature: 'x',
    });
    const trigger = await waitFor(async () => {
      const res = await server.app.inject({ method: 'GET', url: '/api/retraining?model=nobody' });
      return res.json().triggers.find((t: { eventId: number }) => t.eventId === ev.id);
    });
    expect(trigger).toMatchObject({ decision: 'skipped', model: 'nobody', version: 4 });
    expect(trigger.reason).toMatch(/nobody@4 has no pipeline run recorded/);
  });
});
