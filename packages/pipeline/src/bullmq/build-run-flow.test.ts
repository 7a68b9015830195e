import { describe, expect, it } from 'vitest';
import { parseSpec } from '@myelin/spec';
import { compilePlan } from '../plan/compile-plan.js';
import { buildRunFlow } from './build-run-flow.js';
import { parseStepJobPayload } from '../queue/step-job-payload.js';
import type { FlowJob } from 'bullmq';

const spec = (train: string) =>
  parseSpec(
    `apiVersion: myelin/v1\nname: p\ndata: { source: d.csv, target: y }\nmodel: { layers: [ { dense: { units: 2 } } ] }\ntrain: ${train}\n`,
    '/abs/p.yaml',
  );

function chain(flow: FlowJob): FlowJob[] {
  const out: FlowJob[] = [];
  let node: FlowJob | undefined = flow;
  while (node) {
    out.push(node);
    expect((node.children ?? []).length).toBeLessThanOrEqual(1);
    node = node.children?.[0] as FlowJob | undefined;
  }
  return out;
}

describe('buildRunFlow', () => {
  it('chains the steps in plan order (root: the last step), one job id per run step, small validated payloads', () => {
    const loaded = spec('{ epochs: 3 }');
    const flow = buildRunFlow({
      prefix: 'myelin',
      runId: 'r-01jabcdefghjkmnpqrstvwxyz0',
      plan: compilePlan(loaded.spec),
      spec: loaded.spec,
      specFile: loaded.file,
      options: { allowOutside: false, noCache: true },
    });
    const jobs = chain(flow);
    expect(jobs.map((j) => j.name)).toEqual([
      'register',
      'evaluate',
      'train',
      'preprocess',
      'validate',
      'ingest',
    ]);
    expect(jobs.every((j) => j.queueName === 'myelin-cpu')).toBe(true);
    expect(jobs.map((j) => j.opts?.jobId)).toContain('r-01jabcdefghjkmnpqrstvwxyz0-train');
    for (const j of jobs) {
      expect(parseStepJobPayload(j.data)).toMatchObject({
        step: j.name,
        specFile: '/abs/p.yaml',
        options: { noCache: true },
      });
      expect(JSON.stringify(j.data).length).toBeLessThan(300);
      expect(j.opts?.failParentOnFailure).toBe(true);
    }
    const train = jobs.find((j) => j.name === 'train')!;
    expect(train.opts).toMatchObject({ attempts: 3, backoff: { type: 'exponential', delay: 5000 } });
    expect(jobs.find((j) => j.name === 'ingest')!.opts).toMatchObject({
      attempts: 3,
      backoff: { delay: 1000 },
    });
  });

  it('sends training to myelin-gpu when train.resources.gpu >= 1, with train.retry', () => {
    const loaded = spec('{ resources: { gpu: 1 }, retry: { attempts: 5, backoffMs: 200 } }');
    const jobs = chain(
      buildRunFlow({
      prefix: 'myelin',
        runId: 'r-01jabcdefghjkmnpqrstvwxyz0',
        plan: compilePlan(loaded.spec),
        spec: loaded.spec,
        specFile: loaded.file,
        options: { allowOutside: false, noCache: false },
      }),
    );
    expect(jobs.filter((j) => j.queueName === 'myelin-gpu').map((j) => j.name)).toEqual(['train']);
    expect(jobs.find((j) => j.name === 'train')!.opts).toMatchObject({
      attempts: 5,
      backoff: { type: 'exponential', delay: 200 },
    });
  });
});

describe('parseStepJobPayload', () => {
  const ok = {
    v: 1,
    runId: 'r-01jabcdefghjkmnpqrstvwxyz0',
    step: 'train',
    specFile: '/p.yaml',
    options: { allowOutside: false, noCache: false },
  };
  it('accepts a well-formed payload and names the bad field otherwise', () => {
    expect(parseStepJobPayload(ok).step).toBe('train');
    expect(() => parseStepJobPayload({ ...ok, step: 'deploy' })).toThrow(/^step: invalid step job payload/);
    expect(() => parseStepJobPayload({ ...ok, runId: '../../etc' })).toThrow(
      /^runId: invalid step job payload: expected a run id/,
    );
    expect(() => parseStepJobPayload({ ...ok, extra: 'x'.repeat(10) })).toThrow(
      /MYELIN_ERR_QUEUE_PAYLOAD|invalid step job payload/,
    );
    expect(() => parseStepJobPayload(null)).toThrow(/invalid step job payload/);
  });
});
