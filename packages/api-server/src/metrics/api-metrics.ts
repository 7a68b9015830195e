import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The API's Prometheus metrics, in a registry of their own (one per server). */
export interface ApiMetrics {
  registry: Registry;
  /** Requests by method, route pattern and status. */
  requests: Counter<'method' | 'route' | 'status'>;
  /** Request latency in seconds by method, route pattern and status. */
  latency: Histogram<'method' | 'route' | 'status'>;
  /** Runs submitted, by run trigger and where the pipeline came from (spec text or a name). */
  runsSubmitted: Counter<'trigger' | 'source'>;
  /** Clients following a run's event stream now. */
  sseClients: Gauge;
}

/** Creates the API metrics (plus Node's default process metrics) in a new registry. */
export function createApiMetrics(): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'myelin_api_' });
  return {
    registry,
    requests: new Counter({
      name: 'myelin_api_http_requests_total',
      help: 'HTTP requests by method, route and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    latency: new Histogram({
      name: 'myelin_api_http_request_duration_seconds',
      help: 'HTTP request latency by method, route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    runsSubmitted: new Counter({
      name: 'myelin_api_runs_submitted_total',
      help: 'Runs submitted through the API, by trigger and pipeline source',
      labelNames: ['trigger', 'source'],
      registers: [registry],
    }),
    sseClients: new Gauge({
      name: 'myelin_api_sse_clients',
      help: 'Clients following a run event stream',
      registers: [registry],
    }),
  };
}
