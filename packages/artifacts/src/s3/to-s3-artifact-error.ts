import { MyelinError } from '@myelin/errors';

/** What was being done when an S3 call failed, for the message of the error it becomes. */
export interface S3ErrorContext {
  bucket: string;
  /** The endpoint as a person knows it: the configured URL or `AWS S3 (<region>)`. */
  endpoint: string;
  /** The object involved, as an `s3://` URI (or the bucket's URI). */
  target: string;
  /** The verb phrase of the failed step: `'write'`, `'read'`, `'list'`, `'check'`… */
  action: string;
  /** A bare 404 (HeadBucket's `NotFound`) means the bucket is missing. @defaultValue false */
  notFoundIsBucket?: boolean;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ECONNABORTED',
]);
const CREDENTIAL_NAMES = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'AccessDenied',
  'Forbidden',
  'InvalidToken',
  'ExpiredToken',
  'TokenRefreshRequired',
  'AllAccessDisabled',
]);
const REGION_NAMES = new Set([
  'PermanentRedirect',
  'AuthorizationHeaderMalformed',
  'IllegalLocationConstraintException',
]);

interface SdkLikeError {
  name?: string;
  code?: string;
  message?: string;
  errors?: unknown[];
  $metadata?: { httpStatusCode?: number };
}

/**
 * Turns an error of the AWS SDK (or of the socket under it) into `MYELIN_ERR_ARTIFACT_IO` with a
 * message that says what is wrong and what to do: missing bucket, rejected credentials, wrong
 * region, unreachable endpoint, missing credentials. A `MyelinError` passes through unchanged.
 *
 * @example
 * try { await client.send(cmd) } catch (e) { throw toS3ArtifactError(e, { bucket, endpoint, target, action: 'write' }) }
 */
export function toS3ArtifactError(err: unknown, ctx: S3ErrorContext): MyelinError {
  if (err instanceof MyelinError) return err;
  const e = (err ?? {}) as SdkLikeError;
  const name = e.name ?? '';
  const status = e.$metadata?.httpStatusCode;
  const netCode = networkCode(e);
  let detail: string;
  if (netCode) {
    detail = `cannot reach S3 endpoint ${ctx.endpoint} (${netCode}); check the endpoint URL, the network and that the service is running`;
  } else if (name === 'NoSuchBucket' || (ctx.notFoundIsBucket && (status === 404 || name === 'NotFound'))) {
    detail = `bucket ${ctx.bucket} does not exist at endpoint ${ctx.endpoint}; create it or fix the bucket name`;
  } else if (name === 'CredentialsProviderError') {
    detail = `no AWS credentials found to ${ctx.action} ${ctx.target}: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE or an instance role (${e.message ?? name})`;
  } else if (CREDENTIAL_NAMES.has(name) || status === 403) {
    detail = `credentials rejected by ${ctx.endpoint} for bucket ${ctx.bucket} (HTTP 403 ${name && name !== 'Unknown' ? name : 'Forbidden'}): check the access key and secret, and that its policy allows this bucket`;
  } else if (REGION_NAMES.has(name) || status === 301) {
    detail = `bucket ${ctx.bucket} is not in the configured region of ${ctx.endpoint} (${name || `HTTP ${status}`}); set the store's region to the bucket's region`;
  } else {
    const what = name && name !== 'Error' ? `${name}: ` : '';
    const code = status !== undefined ? ` (HTTP ${status})` : '';
    detail = `cannot ${ctx.action} ${ctx.target}: ${what}${e.message ?? String(err)}${code}`;
  }
  return new MyelinError('MYELIN_ERR_ARTIFACT_IO', detail, { file: ctx.target }, { cause: err });
}

function networkCode(e: SdkLikeError): string | undefined {
  if (e.code && NETWORK_CODES.has(e.code)) return e.code;
  if (e.name === 'TimeoutError' || e.code === 'TimeoutError') return 'timeout';
  for (const inner of e.errors ?? []) {
    const code = (inner as SdkLikeError | undefined)?.code;
    if (code && NETWORK_CODES.has(code)) return code;
  }
  return undefined;
}
