import type { ErrorCode } from '@careline/shared';

/** The one error type for expected failures. userMessage is safe to show; message is internal detail. */
export class AppError<C extends ErrorCode = ErrorCode> extends Error {
  readonly code: C;
  readonly userMessage?: string;
  readonly fields?: { field: string; message: string }[];
  constructor(code: C, opts: { message?: string; userMessage?: string; cause?: unknown; fields?: { field: string; message: string }[] } = {}) {
    super(opts.message ?? opts.userMessage ?? code, { cause: opts.cause });
    this.code = code;
    this.userMessage = opts.userMessage;
    this.fields = opts.fields;
  }
}

export const notFound = (what: string) => new AppError('NOT_FOUND', { userMessage: `${what} not found` });
export const conflict = (why: string) => new AppError('CONFLICT', { userMessage: why });
