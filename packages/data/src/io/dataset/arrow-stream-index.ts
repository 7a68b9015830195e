import { Message, MessageHeader, type Schema } from 'apache-arrow';
import type { BufferRegion, FieldNode, RecordBatch as RecordBatchHeader } from 'apache-arrow/ipc/metadata/message';
import { VectorLoader } from 'apache-arrow/visitor/vectorloader';
import { MyelinError } from '@myelin/errors';

/** Where one record batch of an Arrow IPC stream lies in its file, and each column's share of it. */
export interface IndexedBatch {
  length: number;
  /** The file offset of the batch's body (its buffers' offsets count from there). */
  bodyStart: number;
  nodes: FieldNode[];
  buffers: BufferRegion[];
  /** Column c's field nodes are `nodes[nodeStart[c]…nodeStart[c + 1]]`. */
  nodeStart: Int32Array;
  /** Column c's buffers are `buffers[bufferStart[c]…bufferStart[c + 1]]`. */
  bufferStart: Int32Array;
}

/** An Arrow IPC stream's schema and record batches, as `ArrowStreamIndexer` found them. */
export interface ArrowStreamIndex {
  schema: Schema;
  batches: IndexedBatch[];
}

/** Counts the field nodes and buffers a field takes (reads no bytes: its loader has none). */
class RegionCounter extends VectorLoader {
  nodesUsed = 0;
  buffersUsed = 0;
  protected override nextFieldNode(): FieldNode {
    this.nodesUsed++;
    return super.nextFieldNode();
  }
  protected override nextBufferRange(): BufferRegion {
    this.buffersUsed++;
    return super.nextBufferRange();
  }
}

const CONTINUATION = 0xffffffff;

/**
 * Finds the record batches of an Arrow IPC stream as its bytes go by (`push` each chunk in order,
 * then `finish`): their lengths, where their bodies start in the stream and which field nodes and
 * buffers each column takes, without keeping any body. What lets a reader then read one column
 * of every batch from the file, a few ranges of bytes per batch.
 * @throws MyelinError MYELIN_ERR_DATA_FORMAT for what a dataset part does not hold: a stream
 * without the continuation marker (pre-0.15 framing), dictionary batches, compressed bodies.
 */
export class ArrowStreamIndexer {
  private schema: Schema | undefined;
  private readonly batches: IndexedBatch[] = [];
  /** The stream offset of the next byte pushed. */
  private pos = 0;
  /** Bytes of the current prefix or metadata, until `need` of them came. */
  private held = Buffer.alloc(0);
  private need = 8;
  private stage: 'prefix' | 'metadata' | 'body' | 'end' = 'prefix';
  /** Body bytes left to pass over. */
  private skip = 0;

  constructor(private readonly where: string) {}

  push(chunk: Uint8Array): void {
    let at = 0;
    while (at < chunk.length && this.stage !== 'end') {
      if (this.stage === 'body') {
        const take = Math.min(this.skip, chunk.length - at);
        this.skip -= take;
        at += take;
        this.pos += take;
        if (this.skip === 0) this.expect('prefix', 8);
        continue;
      }
      const take = Math.min(this.need - this.held.length, chunk.length - at);
      this.held = this.held.length === 0 ? Buffer.from(chunk.subarray(at, at + take)) : Buffer.concat([this.held, chunk.subarray(at, at + take)]);
      at += take;
      this.pos += take;
      if (this.held.length === this.need) this.complete();
    }
  }

  /** The stream's schema and batches. */
  finish(): ArrowStreamIndex {
    if (!this.schema) throw this.error('it ends before its schema');
    if (this.stage === 'metadata' || this.stage === 'body' || (this.stage === 'prefix' && this.held.length > 0))
      throw this.error('it ends inside a message');
    return { schema: this.schema, batches: this.batches };
  }

  private expect(stage: 'prefix' | 'metadata', need: number): void {
    this.stage = stage;
    this.need = need;
    this.held = Buffer.alloc(0);
  }

  private complete(): void {
    const bytes = this.held;
    if (this.stage === 'prefix') {
      if (bytes.readUInt32LE(0) !== CONTINUATION) throw this.error('a message lacks the continuation marker');
      const metadataLength = bytes.readInt32LE(4);
      if (metadataLength === 0) {
        this.stage = 'end';
        return;
      }
      this.expect('metadata', metadataLength);
      return;
    }
    const message = Message.decode(bytes);
    if (message.isSchema()) this.schema = message.header();
    else if (message.isRecordBatch()) this.addBatch(message.header());
    else throw this.error(`it holds a message of type ${MessageHeader[message.headerType]}`);
    this.skip = message.bodyLength;
    if (this.skip > 0) this.stage = 'body';
    else this.expect('prefix', 8);
  }

  private addBatch(header: RecordBatchHeader): void {
    const schema = this.schema;
    if (!schema) throw this.error('a record batch comes before the schema');
    if (header.compression !== null) throw this.error('its record batches are compressed');
    const fields = schema.fields;
    const nodeStart = new Int32Array(fields.length + 1);
    const bufferStart = new Int32Array(fields.length + 1);
    const counter = new RegionCounter(new Uint8Array(0), header.nodes, header.buffers, new Map(), schema.metadataVersion);
    fields.forEach((f, c) => {
      counter.visit(f);
      nodeStart[c + 1] = counter.nodesUsed;
      bufferStart[c + 1] = counter.buffersUsed;
    });
    this.batches.push({
      length: header.length,
      bodyStart: this.pos,
      nodes: header.nodes,
      buffers: header.buffers,
      nodeStart,
      bufferStart,
    });
  }

  private error(why: string): MyelinError {
    return new MyelinError('MYELIN_ERR_DATA_FORMAT', `${this.where} is not an Arrow IPC stream a dataset part holds: ${why}`, {
      file: this.where,
    });
  }
}
