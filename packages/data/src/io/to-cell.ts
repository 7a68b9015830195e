import type { Cell } from '../types.js';

/**
 * Converts a value decoded from JSON or Parquet to a cell: BigInt → number, Date → ISO string,
 * undefined → null, nested arrays/objects → their JSON text, byte arrays → base64.
 */
export function toCell(value: unknown): Cell {
  switch (typeof value) {
    case 'number':
    case 'string':
    case 'boolean':
      return value;
    case 'bigint':
      return Number(value);
    case 'undefined':
      return null;
    case 'object':
      if (value === null) return null;
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
      if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
      return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v));
    default:
      return String(value);
  }
}
