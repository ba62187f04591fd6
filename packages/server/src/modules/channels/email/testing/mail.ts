import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type Mail from 'nodemailer/lib/mailer/index.js';
import type { TestApp } from '../../../../testing/test-app.ts';

/** A real RFC 5322 message, built by nodemailer's composer (the same code real senders use). */
export const composeMail = (opts: Mail.Options): Promise<Buffer> => new MailComposer({ date: new Date('2025-02-03T10:00:00Z'), ...opts }).compile().build();

/** POST /api/v1/inboxes/:id/mail with the inbox secret (as a forwarding MTA or provider webhook would). */
export const postRawMail = (t: TestApp, inbox: { id: string; secret: string }, raw: Buffer, secret = inbox.secret) =>
  t.app.inject({
    method: 'POST', url: `/api/v1/inboxes/${inbox.id}/mail`, payload: raw,
    headers: { 'x-careline-inbox-secret': secret, 'content-type': 'message/rfc822' },
  });
