import { snappyUncompress, type CompressionCodec, type Compressors } from 'hyparquet';

/**
 * The uncompressed bytes of a page (or of a V2 page's values): `codec` through `compressors`,
 * else hyparquet's built-in Snappy.
 * @throws Error for an unsupported codec or a length that does not match the header.
 */
export function decompressPage(
  input: Uint8Array,
  size: number,
  codec: CompressionCodec,
  compressors: Compressors,
): Uint8Array {
  let page: Uint8Array;
  const custom = compressors[codec];
  if (codec === 'UNCOMPRESSED') page = input;
  else if (custom) page = custom(input, size);
  else if (codec === 'SNAPPY') {
    page = new Uint8Array(size);
    snappyUncompress(input, page);
  } else throw new Error(`parquet unsupported compression codec: ${codec}`);
  if (page.length !== size)
    throw new Error(`parquet decompressed page length ${page.length} does not match header ${size}`);
  return page;
}
