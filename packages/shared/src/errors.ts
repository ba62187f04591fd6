/** Stable error codes: part of the API, never renamed. Listed in docs/api/errors.md. */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'MALFORMED_JSON',
  'UNAUTHENTICATED',
  'INVALID_CREDENTIALS',
  'FORBIDDEN',
  'CSRF_REJECTED',
  'NOT_FOUND',
  'ROUTE_NOT_FOUND',
  'CONFLICT',
  'EMAIL_TAKEN',
  'IDENTITY_TAKEN',
  'MERGE_INVALID',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'RATE_LIMITED',
  'INTERNAL_ERROR',
  'ORIGIN_NOT_ALLOWED',
  'IDENTITY_INVALID',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** RFC 9457 problem document as Careline returns it. */
export type Problem = {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  requestId?: string;
  errors?: { field: string; message: string }[];
};
