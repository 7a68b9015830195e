import { connect } from 'node:net';

/** One HTTP/1.1 answer read off a socket. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  json: Record<string, unknown>;
}

/**
 * Sends exact request bytes over a fresh TCP connection (what a client's HTTP library writes,
 * headers in its order) and reads one response (Content-Length or chunked framing).
 */
export function rawHttp(port: number, head: string, body: Buffer | string = ''): Promise<RawResponse> {
  const payload = Buffer.concat([
    Buffer.from(head, 'latin1'),
    Buffer.isBuffer(body) ? body : Buffer.from(body),
  ]);
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    const tryParse = (): boolean => {
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return false;
      const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
      const status = Number(lines[0]!.split(' ')[1]);
      const headers: Record<string, string> = {};
      for (const l of lines.slice(1)) {
        const i = l.indexOf(':');
        headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
      }
      let rest = buf.subarray(end + 4);
      let content: Buffer;
      if (headers['transfer-encoding'] === 'chunked') {
        const parts: Buffer[] = [];
        for (;;) {
          const nl = rest.indexOf('\r\n');
          if (nl < 0) return false;
          const size = parseInt(rest.subarray(0, nl).toString('latin1'), 16);
          if (rest.length < nl + 2 + size + 2) return false;
          if (size === 0) break;
          parts.push(rest.subarray(nl + 2, nl + 2 + size));
          rest = rest.subarray(nl + 2 + size + 2);
        }
        content = Buffer.concat(parts);
      } else {
        const len = Number(headers['content-length'] ?? 0);
        if (rest.length < len) return false;
        content = rest.subarray(0, len);
      }
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(content.toString('utf8')) as Record<string, unknown>;
      } catch {
        /* not JSON */
      }
      resolve({ status, headers, body: content, json });
      socket.destroy();
      return true;
    };
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      tryParse();
    });
    socket.on('error', reject);
    socket.on('end', () => {
      if (!tryParse())
        reject(
          new Error(`connection closed before a full response: ${buf.toString('latin1').slice(0, 200)}`),
        );
    });
    socket.write(payload);
  });
}
