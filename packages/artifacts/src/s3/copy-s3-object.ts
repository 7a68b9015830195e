import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  UploadPartCopyCommand,
  type S3Client,
} from '@aws-sdk/client-s3';

/** The largest object one CopyObject may copy (5 GiB). */
export const MAX_SINGLE_COPY_BYTES = 5 * 1024 ** 3;
const COPY_PART_BYTES = 512 * 1024 ** 2;

/** Where an object is copied from and to, and the headers the new object gets. */
export interface S3CopyRequest {
  bucket: string;
  from: string;
  to: string;
  size: number;
  /** Server-side-encryption parameters for the new object (S3 does not carry them over). */
  encryption: { ServerSideEncryption?: 'AES256' | 'aws:kms'; SSEKMSKeyId?: string };
}

/**
 * Copies an object inside a bucket on the server side: one CopyObject up to 5 GiB, else a
 * multipart copy in 512 MiB UploadPartCopy ranges (aborted on failure). Metadata such as the
 * content type is carried over. SDK errors propagate unchanged.
 */
export async function copyS3Object(client: S3Client, req: S3CopyRequest): Promise<void> {
  const copySource = `${encodeURIComponent(req.bucket)}/${req.from.split('/').map(encodeURIComponent).join('/')}`;
  if (req.size <= MAX_SINGLE_COPY_BYTES) {
    await client.send(
      new CopyObjectCommand({ Bucket: req.bucket, Key: req.to, CopySource: copySource, ...req.encryption }),
    );
    return;
  }
  const { UploadId } = await client.send(
    new CreateMultipartUploadCommand({ Bucket: req.bucket, Key: req.to, ...req.encryption }),
  );
  try {
    const parts: { ETag: string; PartNumber: number }[] = [];
    for (let start = 0, n = 1; start < req.size; start += COPY_PART_BYTES, n++) {
      const end = Math.min(start + COPY_PART_BYTES, req.size) - 1;
      const res = await client.send(
        new UploadPartCopyCommand({
          Bucket: req.bucket,
          Key: req.to,
          UploadId,
          PartNumber: n,
          CopySource: copySource,
          CopySourceRange: `bytes=${start}-${end}`,
        }),
      );
      parts.push({ ETag: res.CopyPartResult?.ETag ?? '', PartNumber: n });
    }
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: req.bucket,
        Key: req.to,
        UploadId,
        MultipartUpload: { Parts: parts },
      }),
    );
  } catch (e) {
    await client
      .send(new AbortMultipartUploadCommand({ Bucket: req.bucket, Key: req.to, UploadId }))
      .catch(() => undefined);
    throw e;
  }
}
