import { AppError } from '../errors/app-error.ts';

/** Opaque keyset cursor: (timestamp, id) of the last row of the page. */
export const encodeCursor = (t: string, id: string) => Buffer.from(JSON.stringify([t, id])).toString('base64url');

export const decodeCursor = (cursor: string | undefined): { t: string; id: string } | null => {
  if (!cursor) return null;
  try {
    const [t, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown[];
    if (typeof t === 'string' && typeof id === 'string' && !Number.isNaN(Date.parse(t)) && /^[0-9a-f-]{36}$/i.test(id)) return { t, id };
  } catch { /* fall through */ }
  throw new AppError('VALIDATION_FAILED', { userMessage: 'The cursor is not valid; start again without it.', fields: [{ field: 'querystring.cursor', message: 'invalid cursor' }] });
};

/** Opaque offset cursor, for orders that are not a single indexed column (waiting, priority). */
export const encodeOffsetCursor = (offset: number) => Buffer.from(JSON.stringify({ o: offset })).toString('base64url');

export const decodeOffsetCursor = (cursor: string | undefined) => {
  if (!cursor) return 0;
  try {
    const { o } = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as { o?: unknown };
    if (typeof o === 'number' && Number.isInteger(o) && o >= 0 && o <= 1_000_000) return o;
  } catch { /* fall through */ }
  throw new AppError('VALIDATION_FAILED', { userMessage: 'The cursor is not valid; start again without it.', fields: [{ field: 'querystring.cursor', message: 'invalid cursor' }] });
};
