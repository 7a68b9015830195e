/**
 * `node --import tsx tools/bench/src/bench-s3.ts [--mb 100] [--runs 3]`: upload and download
 * throughput of one artifact through `S3ArtifactStore` next to the bare AWS SDK (lib-storage
 * `Upload` with the same part size and queue, and a plain `GetObject`) on the same local s3rver,
 * in one process. The store hashes while it streams, copies the upload from its temp key to the
 * content key and verifies the hash on download; the table shows what that costs. Goal: ratio ≥ 0.9.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { S3ArtifactStore } from '@myelin/artifacts';
import { startS3rver } from '@myelin/artifacts/testing';

const MIB = 1024 * 1024;
const PART_SIZE = 8 * MIB; // the store's default
const QUEUE_SIZE = 4; // the store's default
const BUCKET = 'bench';

function numberArg(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} needs a positive integer`);
  return value;
}

const mb = numberArg('--mb', 100);
const runs = numberArg('--runs', 3);
const bytes = randomBytes(mb * MIB);

/** The artifact as a stream of 1 MiB chunks; `variant` changes its first bytes (a new hash). */
function source(variant: number): Readable {
  bytes.writeUInt32BE(variant, 0);
  async function* chunks(): AsyncGenerator<Buffer> {
    for (let at = 0; at < bytes.length; at += MIB) yield bytes.subarray(at, at + MIB);
  }
  return Readable.from(chunks(), { objectMode: false, highWaterMark: MIB });
}

async function drain(stream: AsyncIterable<Uint8Array>): Promise<number> {
  let n = 0;
  for await (const chunk of stream) n += chunk.byteLength;
  return n;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e9;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

const s3 = await startS3rver({ buckets: [BUCKET] });
try {
  const store = new S3ArtifactStore({
    bucket: BUCKET,
    prefix: 'store',
    endpoint: s3.endpoint,
    region: s3.region,
    credentials: s3.credentials,
    partSize: PART_SIZE,
    queueSize: QUEUE_SIZE,
  });
  const raw = new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    credentials: s3.credentials,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  // Time spent in the store's server-side copy (temp key → content key), to explain the upload ratio.
  let copySeconds = 0;
  store.client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'CopyObjectCommand') return next(args);
      const t = process.hrtime.bigint();
      try {
        return await next(args);
      } finally {
        copySeconds += Number(process.hrtime.bigint() - t) / 1e9;
      }
    },
    { step: 'initialize', name: 'benchCopyTimer' },
  );

  const t = {
    rawUp: [] as number[],
    storeUp: [] as number[],
    rawDown: [] as number[],
    storeDown: [] as number[],
  };
  const copies: number[] = [];
  console.log(
    `${mb} MiB artifact, ${runs} runs, part size ${PART_SIZE / MIB} MiB, queue ${QUEUE_SIZE}, s3rver at ${s3.endpoint}`,
  );
  for (let run = 0; run < runs; run++) {
    // Alternate who goes first so neither side always meets a warmer server.
    const order = run % 2 === 0 ? ['raw', 'store'] : ['store', 'raw'];
    const rawKey = `raw/run-${run}`;
    let key = '';
    for (const who of order) {
      if (who === 'raw') {
        t.rawUp.push(
          await timed(() =>
            new Upload({
              client: raw,
              params: { Bucket: BUCKET, Key: rawKey, Body: source(2 * run) },
              partSize: PART_SIZE,
              queueSize: QUEUE_SIZE,
            }).done(),
          ),
        );
      } else {
        copySeconds = 0;
        t.storeUp.push(await timed(async () => ({ key } = await store.put(source(2 * run + 1)))));
        copies.push(copySeconds);
      }
    }
    for (const who of order) {
      if (who === 'raw') {
        t.rawDown.push(
          await timed(async () => {
            const res = await raw.send(new GetObjectCommand({ Bucket: BUCKET, Key: rawKey }));
            const n = await drain(res.Body as Readable);
            if (n !== bytes.length) throw new Error(`raw download got ${n} bytes`);
          }),
        );
      } else {
        t.storeDown.push(
          await timed(async () => {
            const n = await drain(await store.get(key));
            if (n !== bytes.length) throw new Error(`store download got ${n} bytes`);
          }),
        );
      }
    }
    await raw.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: rawKey }));
    await store.delete(key);
  }

  const rate = (secs: number[]): number => mb / median(secs);
  const rows = [
    ['upload (put)', rate(t.rawUp), rate(t.storeUp)],
    ['download (get, verified)', rate(t.rawDown), rate(t.storeDown)],
  ] as const;
  const head = ['operation', 'raw SDK MiB/s', 'S3ArtifactStore MiB/s', 'ratio'];
  const body = rows.map(([name, a, b]) => [name, a.toFixed(1), b.toFixed(1), (b / a).toFixed(2)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] as string).length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number)))
      .join('  ');
  console.log([line(head), ...body.map(line)].join('\n'));
  console.log(
    `store upload: median ${median(t.storeUp).toFixed(2)} s, of which the server-side copy to the content key ${median(copies).toFixed(2)} s`,
  );
  console.log('goal: ratio ≥ 0.9');
  store.client.destroy();
  raw.destroy();
} finally {
  await s3.stop();
}
