import fs from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Write } from '../../db/connection.ts';
import type { Deps } from '../context.ts';

/**
 * Mail Careline itself sends (confirmations, magic links, transcripts, alerts) — not agent replies,
 * which go through each email inbox's own SMTP settings. Durable: enqueued in the caller's transaction,
 * sent by a job with retries. Transport: SYSTEM_SMTP_URL (smtp://user:pass@host:587), or, when unset,
 * .eml files in <data dir>/outbox so a developer can read what would have been sent.
 */
export type SystemMail = { to: string; subject: string; text: string; html?: string; replyTo?: string; headers?: Record<string, string> };

export const SYSTEM_MAIL_QUEUE = 'system-mail.send';

export const enqueueSystemMail = (w: Write, deps: Deps, mail: SystemMail) =>
  deps.jobs.enqueue(w, SYSTEM_MAIL_QUEUE, mail, { maxAttempts: 8 });

export const registerSystemMail = (deps: Deps) => {
  const from = deps.config.SYSTEM_MAIL_FROM;
  const transport = deps.config.SYSTEM_SMTP_URL
    ? nodemailer.createTransport(deps.config.SYSTEM_SMTP_URL)
    : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  deps.jobs.register(SYSTEM_MAIL_QUEUE, async (mail: SystemMail, job) => {
    const info = await transport.sendMail({ from, ...mail, headers: { 'Auto-Submitted': 'auto-generated', ...mail.headers } });
    if (!deps.config.SYSTEM_SMTP_URL) {
      const dir = path.join(deps.config.dataDir, 'outbox');
      await fs.promises.mkdir(dir, { recursive: true });
      await fs.promises.writeFile(path.join(dir, `${job.id}.eml`), (info as unknown as { message: Buffer }).message);
    }
  });
};
