import fs from 'node:fs';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import type { Deps } from '../../../platform/context.ts';
import { ingestMail } from './operations/ingest-mail.ts';
import { loadChannelConfig, resolveInboxAddress } from './operations/settings.ts';

/**
 * Careline as the MX (or the relay target) for its inbox addresses. Recipients that are not an email
 * inbox (or its +tag form) are refused at RCPT, so nothing is accepted that cannot be stored; the
 * DATA reply is 250 only once the message is committed and fsynced — a 250'd message survives SIGKILL.
 */
export type SmtpListenerOptions = { host: string; port: number; maxBytes: number; tlsCert?: string; tlsKey?: string; hostname?: string };

/** An accepted RCPT TO, with the inbox it resolved to. */
type Recipient = { address: string; inboxId?: string };

const smtpError = (code: number, text: string) => Object.assign(new Error(text), { responseCode: code });

export const createSmtpListener = (deps: Deps, opts: SmtpListenerOptions) => {
  const hasTls = !!(opts.tlsCert && opts.tlsKey);
  const options: SMTPServerOptions = {
    name: opts.hostname ?? os.hostname(),
    banner: 'Careline',
    size: opts.maxBytes,
    authOptional: true,
    disabledCommands: hasTls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    logger: false,
    socketTimeout: 120_000,
    maxClients: 200,
    ...(hasTls ? { key: fs.readFileSync(opts.tlsKey!), cert: fs.readFileSync(opts.tlsCert!) } : {}),
    onRcptTo(address, _session, callback) {
      void (async () => {
        const hit = await resolveInboxAddress(deps.db.kysely, address.address);
        if (!hit) return callback(smtpError(550, `5.1.1 <${address.address}>: no such mailbox here`));
        const config = await loadChannelConfig(deps.db.kysely, hit.inbox.id);
        if (!config.isSmtpInbound) return callback(smtpError(550, `5.7.1 <${address.address}>: this inbox does not accept mail over SMTP`));
        // smtp-server keeps this address object in session.envelope.rcptTo: DATA reads the inbox from it, no second lookup.
        (address as Recipient).inboxId = hit.inbox.id;
        callback();
      })().catch((e) => { deps.log.error({ err: e }, 'email: RCPT check failed'); callback(smtpError(451, '4.3.0 temporary failure, try again later')); });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', (e) => callback(smtpError(451, `4.3.0 ${e.message}`)));
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) return callback(smtpError(552, `5.3.4 message exceeds the ${opts.maxBytes} byte limit`));
        const raw = Buffer.concat(chunks);
        void (async () => {
          // One copy per inbox addressed (a message to two of our inboxes belongs to both).
          const byInbox = new Map<string, string[]>();
          for (const r of session.envelope.rcptTo as Recipient[]) {
            if (r.inboxId) byInbox.set(r.inboxId, [...(byInbox.get(r.inboxId) ?? []), r.address.toLowerCase()]);
          }
          // Never a 250 for mail stored nowhere (every accepted RCPT carries its inbox; this guards that invariant).
          if (!byInbox.size) return callback(smtpError(451, '4.3.0 no recipient inbox for this message; try again later'));
          for (const [inboxId, recipients] of byInbox) await ingestMail(deps, { inboxId, raw, source: 'smtp', recipients });
          callback(null, 'Message stored');
        })().catch((e) => {
          deps.log.error({ err: e }, 'email: storing an SMTP message failed');
          callback(smtpError(451, '4.3.0 could not store the message; try again later'));
        });
      });
    },
  };
  const server = new SMTPServer(options);
  server.on('error', (e) => deps.log.warn({ err: e }, 'email: SMTP listener error'));
  let address: AddressInfo | null = null;
  return {
    name: 'email-smtp',
    address: () => address,
    start: () => new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(opts.port, opts.host, () => { address = server.server.address() as AddressInfo; server.server.off('error', reject); resolve(); });
    }),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
