import type { ErrorCode } from '@careline/shared';

// Adding a code without a status fails to compile.
export const HTTP_STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  CSRF_REJECTED: 403,
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  CONFLICT: 409,
  EMAIL_TAKEN: 409,
  IDENTITY_TAKEN: 409,
  MERGE_INVALID: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  ORIGIN_NOT_ALLOWED: 403,
  IDENTITY_INVALID: 401,
};

export const DEFAULT_DETAIL: Record<ErrorCode, string> = {
  VALIDATION_FAILED: 'The request is not valid; see errors for each field.',
  MALFORMED_JSON: 'The request body is not valid JSON.',
  UNAUTHENTICATED: 'Sign in or send an API token.',
  INVALID_CREDENTIALS: 'Email or password is wrong.',
  FORBIDDEN: 'You are not allowed to do this.',
  CSRF_REJECTED: 'The request came from another site and was refused.',
  NOT_FOUND: 'Not found.',
  ROUTE_NOT_FOUND: 'No such endpoint.',
  CONFLICT: 'The request conflicts with the current state.',
  EMAIL_TAKEN: 'A user with this email already exists.',
  IDENTITY_TAKEN: 'This email, phone or id already belongs to another customer.',
  MERGE_INVALID: 'These two cannot be merged.',
  PAYLOAD_TOO_LARGE: 'The request body is too large.',
  UNSUPPORTED_MEDIA_TYPE: 'Send the body as application/json.',
  RATE_LIMITED: 'Too many requests; wait and try again.',
  INTERNAL_ERROR: 'Something went wrong on our side. It has been logged.',
  ORIGIN_NOT_ALLOWED: 'This website is not allowed to use this chat.',
  IDENTITY_INVALID: 'The signed-in user could not be verified (missing or wrong signature).',
};
