import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { openEmbeddedStack, type Stack } from '@myelin/pipeline';
import type { ApiOptions } from '../api-options.js';
import { buildApiServer } from '../build-api-server.js';

/** The penguins example folder: `npm:` sources resolve from here. */
export const penguinsDir = fileURLToPath(new URL('../../../../examples/penguins/', import.meta.url));

/** A tiny penguins pipeline (a few epochs, a low gate) for route tests. */
export function tinyPenguins(
  opts: { name?: string; epochs?: number; gate?: number; model?: string } = {},
): string {
  return `apiVersion: myelin/v1
name: ${opts.name ?? 'api-penguins'}
data:
  source: npm:vega-datasets/data/penguins.json
  target: Species
model:
  layers:
    - dense: { units: 8, activation: relu }
train:
  epochs: ${opts.epochs ?? 3}
  batchSize: 32
  seed: 3
  checkpointEvery: 1
evaluate:
  gates:
    accuracy: { min: ${opts.gate ?? 0.2} }
register:
  model: ${opts.model ?? opts.name ?? 'api-penguins'}
  aliases: [staging]
`;
}

/** An API server on a fresh embedded stack in a temporary MYELIN_HOME. */
export interface TestServer {
  app: FastifyInstance;
  stack: Stack;
  home: string;
  close(): Promise<void>;
}

/** Builds a server (fast event polling, no rate limit unless given) on a new embedded stack. */
export async function testServer(opts: Partial<ApiOptions> = {}): Promise<TestServer> {
  const home = mkdtempSync(join(tmpdir(), 'myelin-api-'));
  const stack = await openEmbeddedStack(home);
  const app = await buildApiServer({
    pipelinesDir: penguinsDir,
    eventPollMs: 50,
    rateLimit: false,
    ...opts,
    stack,
  });
  return {
    app,
    stack,
    home,
    close: async () => {
      await app.close();
      await stack.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** One parsed server-sent event of an injected response. */
export interface ParsedEvent {
  id?: number;
  event: string;
  data: Record<string, unknown>;
}

/** Parses a whole text/event-stream body (comments skipped). */
export function parseEventStream(body: string): ParsedEvent[] {
  return body
    .split('\n\n')
    .map((block) => block.split('\n').filter((l) => l && !l.startsWith(':') && !l.startsWith('retry:')))
    .filter((lines) => lines.length > 0)
    .map((lines) => {
      const field = (name: string) => lines.find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2);
      const id = field('id');
      return {
        ...(id !== undefined ? { id: Number(id) } : {}),
        event: field('event') ?? 'message',
        data: JSON.parse(field('data') ?? 'null') as Record<string, unknown>,
      };
    });
}
