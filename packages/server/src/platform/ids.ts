import { randomBytes, randomFillSync, createHash, timingSafeEqual } from 'node:crypto';
import { V7Generator } from 'uuidv7';

// Ids are UUIDv7 (time-ordered, monotonic within the process). Their random bits come from a 4 KB pool:
// uuidv7's default 32-byte buffer cost a getrandom() call every few ids, 2% of the chat hot path.
const pool = new Uint32Array(1024);
let cursor = pool.length;
const generator = new V7Generator({
  nextUint32: () => {
    if (cursor === pool.length) { randomFillSync(pool); cursor = 0; }
    return pool[cursor++]!;
  },
});
export const newId = () => generator.generate().toString();
/** A random secret with a readable prefix (`clt_` API token, `cls_` session). */
export const newSecret = (prefix: string, bytes = 32) => `${prefix}${randomBytes(bytes).toString('base64url')}`;
/** Tokens are long random strings, so a fast hash is enough to store them (unlike passwords). */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
export const safeEqual = (a: string, b: string) => {
  const x = Buffer.from(a); const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};
