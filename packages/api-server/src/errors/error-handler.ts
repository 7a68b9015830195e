import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isMyelinError, MyelinError } from '@myelin/errors';
import { apiErrorBody, type ApiErrorBody } from './api-error-body.js';
import { httpStatus } from './http-status.js';

/** `/body/train/epochs` → `body.train.epochs` */
function dotted(instancePath: string, part: string): string {
  const rest = instancePath.split('/').filter(Boolean).join('.');
  return rest ? `${part}.${rest}` : part;
}

/** The request part a Fastify client error is about: the content type, else the body. */
function requestPart(code: string | undefined): string {
  return code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH'
    ? 'headers.content-type'
    : 'body';
}

/** Turns whatever a route threw into a status and the one error body (never a stack trace). */
export function toApiError(error: unknown): { status: number; body: ApiErrorBody } {
  if (isMyelinError(error)) return { status: httpStatus(error.code), body: apiErrorBody(error) };
  const e = error as Partial<FastifyError> & { statusCode?: number; validationContext?: string };
  if (Array.isArray(e.validation)) {
    const part = e.validationContext ?? 'body';
    const details = e.validation.map((v) => {
      const path = dotted(v.instancePath ?? '', part);
      const extra =
        v.params && 'additionalProperty' in v.params ? ` "${String(v.params.additionalProperty)}"` : '';
      return {
        message: `${path}: ${v.message ?? 'is invalid'}${extra}`,
        code: 'MYELIN_ERR_API_REQUEST',
        path,
      };
    });
    return {
      status: 400,
      body: {
        error: { code: 'MYELIN_ERR_API_REQUEST', message: details.map((d) => d.message).join('\n'), details },
      },
    };
  }
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || e.statusCode === 413) {
    return {
      status: 413,
      body: apiErrorBody(
        new MyelinError('MYELIN_ERR_API_TOO_LARGE', e.message ?? 'request body is too large', {
          path: 'body',
        }),
      ),
    };
  }
  if (e.statusCode === 429) {
    return {
      status: 429,
      body: apiErrorBody(
        new MyelinError('MYELIN_ERR_API_RATE_LIMITED', e.message ?? 'too many requests', { path: 'request' }),
      ),
    };
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    const msg = e.message ?? 'bad request';
    return {
      status: e.statusCode,
      body: apiErrorBody(new MyelinError('MYELIN_ERR_API_REQUEST', msg, { path: requestPart(e.code) })),
    };
  }
  return {
    status: 500,
    body: { error: { code: 'MYELIN_ERR_INTERNAL', message: 'internal error; see the server log' } },
  };
}

/** Seconds a client is asked to wait after a 503 (a stack service away) before trying again. */
export const RETRY_AFTER_S = 5;

/** Fastify error handler: the one error shape, and a log line for server faults. */
export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { status, body } = toApiError(error);
  if (status >= 500) request.log.error({ err: error }, 'request failed');
  if (status === 401) void reply.header('www-authenticate', 'Bearer');
  // a stack service is away (Redis, the database): the client should try again shortly
  if (status === 503) void reply.header('retry-after', String(RETRY_AFTER_S));
  return reply.status(status).send(body);
}
