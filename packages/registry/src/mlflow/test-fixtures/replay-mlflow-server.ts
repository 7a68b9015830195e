import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RecordedCall } from './mlflow-transcript.js';

/** A request as the replay server received it. */
export interface ReceivedRequest {
  method: string;
  path: string;
  query: Record<string, string> | null;
  contentType: string | undefined;
  /** Parsed JSON body, or null without a body. */
  body: unknown;
}

/**
 * A loopback HTTP server that answers every request with one recorded response (`answerWith`),
 * and keeps what it received. Like MLflow, it refuses a POST/PUT without a Content-Type with the
 * recorded "missing content-type" error.
 */
export class ReplayMlflowServer {
  readonly received: ReceivedRequest[] = [];
  #answer: RecordedCall | undefined;
  #server: Server | undefined;
  readonly #missingContentType: RecordedCall;

  constructor(missingContentType: RecordedCall) {
    this.#missingContentType = missingContentType;
  }

  get uri(): string {
    const { port } = this.#server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** The next requests get this recorded response. */
  answerWith(call: RecordedCall): void {
    this.#answer = call;
  }

  async start(): Promise<void> {
    this.#server = createServer((req, res) => {
      void readBody(req).then((raw) => {
        const url = new URL(req.url ?? '/', 'http://x');
        const query = url.search ? Object.fromEntries(url.searchParams) : null;
        let body: unknown = null;
        if (raw.length) {
          try {
            body = JSON.parse(raw.toString('utf8'));
          } catch {
            body = raw.toString('utf8');
          }
        }
        const contentType = req.headers['content-type'];
        this.received.push({ method: req.method ?? '', path: url.pathname, query, contentType, body });
        const needsType = req.method === 'POST' || req.method === 'PUT';
        const call = needsType && !contentType ? this.#missingContentType : this.#answer;
        res.writeHead(call?.status ?? 500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(call?.response ?? { error_code: 'INTERNAL_ERROR', message: 'no answer set' }));
      });
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()) ?? resolve());
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
