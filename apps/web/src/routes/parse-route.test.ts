import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref, type Route } from './parse-route.js';

describe('parseRoute', () => {
  it('reads every page and falls back to the runs list', () => {
    expect(parseRoute('')).toEqual({ page: 'runs', status: '', pipeline: '' });
    expect(parseRoute('#/runs?status=failed&pipeline=penguins')).toEqual({
      page: 'runs',
      status: 'failed',
      pipeline: 'penguins',
    });
    expect(parseRoute('#/runs/r-01abc')).toEqual({ page: 'run', id: 'r-01abc', tab: 'overview' });
    expect(parseRoute('#/runs/r-01abc/logs')).toEqual({ page: 'run', id: 'r-01abc', tab: 'logs' });
    expect(parseRoute('#/runs/r-01abc/nope')).toEqual({ page: 'run', id: 'r-01abc', tab: 'overview' });
    expect(parseRoute('#/models/my%20model')).toEqual({ page: 'model', name: 'my model' });
    expect(parseRoute('#/deployments')).toEqual({ page: 'deployments' });
    expect(parseRoute('#/retraining')).toEqual({ page: 'retraining' });
    expect(parseRoute('#/elsewhere')).toEqual({ page: 'not-found', path: '/elsewhere' });
  });

  it('round-trips through routeHref', () => {
    const routes: Route[] = [
      { page: 'runs', status: 'running', pipeline: 'a b' },
      { page: 'run', id: 'r-1', tab: 'evaluation' },
      { page: 'run', id: 'r-1', tab: 'logs', step: 'train' },
      { page: 'model', name: 'penguins' },
      { page: 'trigger' },
      { page: 'settings' },
    ];
    for (const r of routes) expect(parseRoute(routeHref(r))).toEqual(r);
  });
});
