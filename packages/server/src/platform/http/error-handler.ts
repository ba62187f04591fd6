import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { ErrorCode, Problem } from '@careline/shared';
import { AppError } from '../errors/app-error.ts';
import { DEFAULT_DETAIL, HTTP_STATUS } from '../errors/http-status.ts';

export const sendProblem = (req: FastifyRequest, reply: FastifyReply, code: ErrorCode, detail?: string, errors?: Problem['errors']) => {
  const status = HTTP_STATUS[code];
  const body: Problem = {
    type: `https://careline.dev/errors/${code.toLowerCase().replace(/_/g, '-')}`,
    title: code.replace(/_/g, ' ').toLowerCase().replace(/^./, (c) => c.toUpperCase()),
    status, code, detail: detail ?? DEFAULT_DETAIL[code], requestId: req.id,
    ...(errors?.length ? { errors } : {}),
  };
  return reply.status(status).type('application/problem+json').send(body);
};

// Fastify's own errors that are the client's fault, by code.
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
  FST_ERR_VALIDATION: 'VALIDATION_FAILED',
};

/** The single error handler: RFC 9457 problem documents; internals never leak. */
export const installErrorHandler = (app: FastifyInstance) => {
  app.setErrorHandler((error: FastifyError, req, reply) => {
    const appError = error as unknown;
    if (appError instanceof AppError) {
      if (HTTP_STATUS[appError.code as ErrorCode] >= 500) req.log.error({ err: appError }, 'request failed');
      return sendProblem(req, reply, appError.code, appError.userMessage, appError.fields);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const errors = error.validation.map((v) => ({
        field: [error.validationContext, ...String(v.instancePath ?? '').split('/').filter(Boolean)].join('.'),
        message: v.message ?? 'invalid',
      }));
      return sendProblem(req, reply, 'VALIDATION_FAILED', `Invalid ${errors.map((e) => e.field).join(', ')}: ${errors[0]?.message}`, errors);
    }
    if (isResponseSerializationError(error)) {
      req.log.error({ err: error, issues: error.cause?.issues }, 'response did not match its schema');
      return sendProblem(req, reply, 'INTERNAL_ERROR');
    }
    const mapped = error.code ? FASTIFY_CODES[error.code] : undefined;
    if (mapped) return sendProblem(req, reply, mapped, mapped === 'VALIDATION_FAILED' ? error.message : undefined);
    if (error.statusCode === 429) return sendProblem(req, reply, 'RATE_LIMITED');
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      const code: ErrorCode = error.statusCode === 404 ? 'NOT_FOUND' : error.statusCode === 413 ? 'PAYLOAD_TOO_LARGE'
        : error.statusCode === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : error.statusCode === 401 ? 'UNAUTHENTICATED'
        : error.statusCode === 403 ? 'FORBIDDEN' : 'VALIDATION_FAILED';
      return sendProblem(req, reply, code, code === 'VALIDATION_FAILED' ? error.message : undefined);
    }
    req.log.error({ err: error }, 'unexpected error');
    return sendProblem(req, reply, 'INTERNAL_ERROR');
  });
};
