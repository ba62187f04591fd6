import path from 'node:path';
import { z } from 'zod';

// The only file that reads process.env. Each variable: a default where safe, a description, and
// whether it is sensitive (masked in logs).
const VARS = {
  HOST: { schema: z.string().default('127.0.0.1'), describe: 'Interface to listen on', sensitive: false },
  PORT: { schema: z.coerce.number().int().min(0).max(65535).default(3000), describe: 'HTTP port', sensitive: false },
  PUBLIC_URL: { schema: z.url().optional(), describe: 'Public base URL (links in emails, allowed Origin); default http://HOST:PORT', sensitive: false },
  CARELINE_DATA_DIR: { schema: z.string().default('./data'), describe: 'Embedded database, attachments and job queue live here', sensitive: false },
  DATABASE_URL: { schema: z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://').optional(), describe: 'PostgreSQL instead of the embedded SQLite database', sensitive: true },
  BLOB_STORE: { schema: z.enum(['database', 'disk']).default('database'), describe: 'Where attachment and raw-mail bytes are kept. database: in the database (shared by every node; files already in <data dir>/blobs are still read); disk: one fsynced file each in <data dir>/blobs (a single node only)', sensitive: false },
  REDIS_URL: { schema: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional(), describe: 'Redis for multi-node realtime fan-out', sensitive: true },
  CARELINE_DEMO: { schema: z.enum(['auto', 'off']).default('auto'), describe: 'auto: load demo data on the first start of an empty database; off: never', sensitive: false },
  CARELINE_ADMIN_EMAIL: { schema: z.email().default('admin@careline.local'), describe: 'Email of the first admin, created on first start', sensitive: false },
  CARELINE_ADMIN_PASSWORD: { schema: z.string().min(10).optional(), describe: 'Password of the first admin (random and printed once when unset)', sensitive: true },
  LOG_LEVEL: { schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'), describe: 'Log level', sensitive: false },
  SESSION_TTL_HOURS: { schema: z.coerce.number().int().min(1).max(24 * 365).default(24 * 14), describe: 'Session lifetime in hours', sensitive: false },
  TRUST_PROXY: { schema: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'), describe: 'Trust X-Forwarded-* (behind a reverse proxy)', sensitive: false },
  BODY_LIMIT_BYTES: { schema: z.coerce.number().int().min(1024).default(5 * 1024 * 1024), describe: 'Largest accepted request body', sensitive: false },
  RATE_LIMIT_PER_MINUTE: { schema: z.coerce.number().int().min(1).default(600), describe: 'Requests per minute per client on the API', sensitive: false },
  SYSTEM_SMTP_URL: { schema: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(), describe: 'SMTP server for mail Careline sends itself (confirmations, sign-in links, alerts); unset: written to <data dir>/outbox as .eml', sensitive: true },
  SYSTEM_MAIL_FROM: { schema: z.string().default('Careline <no-reply@careline.local>'), describe: 'From address of mail Careline sends itself', sensitive: false },
  WEBHOOK_ALLOW_PRIVATE: { schema: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'), describe: 'Allow webhook URLs on private/loopback addresses', sensitive: false },
  EMAIL_SMTP_PORT: { schema: z.coerce.number().int().min(0).max(65535).optional(), describe: 'Port of the inbound SMTP listener for email inboxes (25 as an MX, or e.g. 2525 behind a relay); unset: no listener', sensitive: false },
  EMAIL_SMTP_HOST: { schema: z.string().default('127.0.0.1'), describe: 'Interface of the inbound SMTP listener (0.0.0.0 to accept mail from the internet)', sensitive: false },
  EMAIL_SMTP_HOSTNAME: { schema: z.string().optional(), describe: 'Name the SMTP listener greets with (default: the machine name)', sensitive: false },
  EMAIL_SMTP_TLS_CERT: { schema: z.string().optional(), describe: 'PEM certificate file; with EMAIL_SMTP_TLS_KEY the SMTP listener offers STARTTLS', sensitive: false },
  EMAIL_SMTP_TLS_KEY: { schema: z.string().optional(), describe: 'PEM private key file for STARTTLS on the SMTP listener', sensitive: true },
  EMAIL_MAX_MESSAGE_BYTES: { schema: z.coerce.number().int().min(1024).default(30 * 1024 * 1024), describe: 'Largest email accepted (SMTP SIZE, raw-mail webhook)', sensitive: false },
  EMAIL_PARSE_WORKERS: { schema: z.coerce.number().int().min(1).max(64).optional(), describe: 'Worker threads that parse incoming email (default: one per CPU core, at most 4; they run at a lower priority than the main thread, so chat and HTTP are served first)', sensitive: false },
  CHAT_HEARTBEAT_SECONDS: { schema: z.coerce.number().int().min(1).max(3600).default(30), describe: 'How often each chat widget socket is pinged; one that missed the last ping is dropped (lower it behind a proxy that closes idle connections sooner)', sensitive: false },
  EMAIL_IMAP_FETCH: { schema: z.enum(['on', 'off']).default('on'), describe: 'Run IMAP fetchers on this node (set off on all but one node of a cluster)', sensitive: false },
  CARELINE_SECRET_KEY: { schema: z.string().refine((v) => decodeSecretKey(v) !== null, 'must be 32 bytes, base64 or hex (e.g. openssl rand -base64 32)').optional(), describe: 'Key (32 bytes, base64 or hex) that encrypts stored mailbox passwords and OAuth tokens (AES-256-GCM); unset: generated once in <data dir>/secret.key. Set the same value on every node of a cluster', sensitive: true },
} as const;

/** A 32-byte key written as 64 hex digits or base64, else null. */
export function decodeSecretKey(v: string): Buffer | null {
  const t = v.trim();
  if (/^[0-9a-f]{64}$/i.test(t)) return Buffer.from(t, 'hex');
  if (/^[A-Za-z0-9+/_-]{42,44}={0,2}$/.test(t)) {
    const b = Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (b.length === 32) return b;
  }
  return null;
}

type Vars = typeof VARS;
export type Config = Readonly<{ [K in keyof Vars]: z.output<Vars[K]['schema']> } & { dataDir: string; publicUrl: string; engine: 'sqlite' | 'postgres' }>;

export class ConfigError extends Error {}

export const loadConfig = (env: Record<string, string | undefined> = process.env): Config => {
  const shape = Object.fromEntries(Object.entries(VARS).map(([k, v]) => [k, v.schema]));
  const input = Object.fromEntries(Object.keys(VARS).map((k) => [k, env[k] === '' ? undefined : env[k]]));
  const parsed = z.object(shape).safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message} (${VARS[i.path[0] as keyof Vars]?.describe ?? ''})`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data as Record<string, unknown>;
  return Object.freeze({
    ...c,
    dataDir: path.resolve(c.CARELINE_DATA_DIR as string),
    publicUrl: ((c.PUBLIC_URL as string | undefined) ?? `http://${c.HOST}:${c.PORT}`).replace(/\/$/, ''),
    engine: c.DATABASE_URL ? 'postgres' : 'sqlite',
  }) as Config;
};

export const describeConfig = () =>
  Object.entries(VARS).map(([name, v]) => ({ name, describe: v.describe, sensitive: v.sensitive }));
