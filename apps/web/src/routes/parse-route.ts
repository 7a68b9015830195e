/** The pages of the status page, addressed by the URL hash (`#/runs/r-01…`). */
export type Route =
  | { page: 'runs'; status: string; pipeline: string }
  | { page: 'run'; id: string; tab: RunTab; step?: string }
  | { page: 'models' }
  | { page: 'model'; name: string }
  | { page: 'deployments' }
  | { page: 'retraining' }
  | { page: 'trigger' }
  | { page: 'settings' }
  | { page: 'not-found'; path: string };

export const RUN_TABS = ['overview', 'logs', 'data', 'evaluation', 'trials', 'pipeline'] as const;
export type RunTab = (typeof RUN_TABS)[number];

/**
 * Reads a location hash as a route; an empty hash is the runs list.
 *
 * @example parseRoute('#/runs?status=failed') // { page: 'runs', status: 'failed', pipeline: '' }
 * @example parseRoute('#/runs/r-01h/logs') // { page: 'run', id: 'r-01h', tab: 'logs' }
 */
export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const [pathPart = '', queryPart = ''] = raw.split('?', 2);
  const parts = pathPart.split('/').filter(Boolean).map(decodeURIComponent);
  const q = new URLSearchParams(queryPart);
  const [head, id, sub] = parts;
  if (!head || (head === 'runs' && !id))
    return { page: 'runs', status: q.get('status') ?? '', pipeline: q.get('pipeline') ?? '' };
  if (head === 'runs' && id) {
    const tab = (RUN_TABS as readonly string[]).includes(sub ?? '') ? (sub as RunTab) : 'overview';
    const step = q.get('step');
    return { page: 'run', id, tab, ...(step ? { step } : {}) };
  }
  if (head === 'models') return id ? { page: 'model', name: id } : { page: 'models' };
  if (head === 'deployments') return { page: 'deployments' };
  if (head === 'retraining') return { page: 'retraining' };
  if (head === 'trigger') return { page: 'trigger' };
  if (head === 'settings') return { page: 'settings' };
  return { page: 'not-found', path: pathPart };
}

/**
 * The hash of a route (the inverse of {@link parseRoute}).
 *
 * @example routeHref({ page: 'runs', status: 'running', pipeline: '' }) // '#/runs?status=running'
 */
export function routeHref(route: Route): string {
  const enc = encodeURIComponent;
  switch (route.page) {
    case 'runs': {
      const q = new URLSearchParams();
      if (route.status) q.set('status', route.status);
      if (route.pipeline) q.set('pipeline', route.pipeline);
      const s = q.toString();
      return `#/runs${s ? `?${s}` : ''}`;
    }
    case 'run':
      return `#/runs/${enc(route.id)}${route.tab === 'overview' ? '' : `/${route.tab}`}${route.step ? `?step=${enc(route.step)}` : ''}`;
    case 'models':
      return '#/models';
    case 'model':
      return `#/models/${enc(route.name)}`;
    case 'deployments':
      return '#/deployments';
    case 'retraining':
      return '#/retraining';
    case 'trigger':
      return '#/trigger';
    case 'settings':
      return '#/settings';
    case 'not-found':
      return `#/${route.path}`;
  }
}
