import { randomBytes, createHash, timingSafeEqual } from 'node:crypto';
import { uuidv7 } from 'uuidv7';

export const newId = () => uuidv7();
/** A random secret with a readable prefix (`clt_` API token, `cls_` session). */
export const newSecret = (prefix: string, bytes = 32) => `${prefix}${randomBytes(bytes).toString('base64url')}`;
/** Tokens are long random strings, so a fast hash is enough to store them (unlike passwords). */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
export const safeEqual = (a: string, b: string) => {
  const x = Buffer.from(a); const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};
