import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../../config.ts';
import { decodeSecretKey } from '../../../config.ts';

/**
 * Mailbox credentials (IMAP/SMTP passwords, OAuth2 client secrets and refresh/access tokens) are stored
 * encrypted with AES-256-GCM. The key is CARELINE_SECRET_KEY, or else a random key generated once in
 * <data dir>/secret.key (mode 0600). The inbox id is the additional authenticated data, so a sealed
 * value copied onto another inbox's row does not open. Rows written before encryption (plain JSON) are
 * still read, and sealed on the next start (sealPlaintextSecrets) or the next save.
 */
export const SEALED_PREFIX = 'aes-256-gcm:v1:';
const PREFIX = SEALED_PREFIX;
export const KEY_FILE = 'secret.key';
const keys = new Map<string, Buffer>();

export class SecretKeyError extends Error {}

export const secretKeyOf = (config: Pick<Config, 'CARELINE_SECRET_KEY' | 'dataDir'>): Buffer => {
  // Decoded once per key source: every channel load (each message's RCPT check, each send) needs it.
  const source = config.CARELINE_SECRET_KEY ? `env:${config.CARELINE_SECRET_KEY}` : path.join(config.dataDir, KEY_FILE);
  const cached = keys.get(source);
  if (cached) return cached;
  if (config.CARELINE_SECRET_KEY) {
    const key = decodeSecretKey(config.CARELINE_SECRET_KEY)!;
    keys.set(source, key);
    return key;
  }
  const file = source;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    fs.mkdirSync(config.dataDir, { recursive: true });
    try {
      // 'wx': of two processes starting at once, one creates the key and the other reads it.
      fs.writeFileSync(file, `${crypto.randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (err) { if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err; }
    text = fs.readFileSync(file, 'utf8');
  }
  const key = decodeSecretKey(text.trim());
  if (!key) throw new SecretKeyError(`${file} does not hold a 32-byte key (base64 or hex).`);
  keys.set(file, key);
  return key;
};

export const isSealed = (stored: string | null | undefined) => !!stored && stored.startsWith(PREFIX);

export const seal = (key: Buffer, inboxId: string, value: object): string => {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(inboxId));
  const data = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64');
};

/** The secrets of a row: sealed, plain JSON (before encryption) or empty. Throws SecretKeyError when the key does not fit. */
export const open = <T extends object>(key: Buffer, inboxId: string, stored: string | null | undefined): T => {
  if (!stored) return {} as T;
  if (!isSealed(stored)) return JSON.parse(stored) as T;
  const bytes = Buffer.from(stored.slice(PREFIX.length), 'base64');
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
    decipher.setAAD(Buffer.from(inboxId));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return JSON.parse(Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8')) as T;
  } catch {
    throw new SecretKeyError('The stored mailbox credentials cannot be decrypted with this server\'s key (CARELINE_SECRET_KEY or the data directory\'s secret.key changed). Enter the password or token again.');
  }
};
