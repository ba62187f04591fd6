import type { Deps } from '../../../platform/context.ts';
import { registerOutgoingSender } from '../../conversations/index.ts';
import { emailSender, registerEmailSending } from './operations/send-mail.ts';
import { checkEmailHealth } from './operations/health.ts';
import { sealPlaintextSecrets } from './operations/settings.ts';
import { BACKFILL_QUEUE, createImapService, runBackfill } from './imap.ts';
import { createSmtpListener } from './smtp-listener.ts';
import { closeSharedParsePool } from './parse/parse-pool.ts';

export { emailRoutes } from './email.routes.ts';
export { ingestMail, type IngestResult } from './operations/ingest-mail.ts';
export { checkEmailHealth } from './operations/health.ts';
export { createSmtpListener } from './smtp-listener.ts';
export { createImapService } from './imap.ts';

type Service = { name: string; start(): Promise<void>; stop(): Promise<void> };

/** Background services: the SMTP listener (when EMAIL_SMTP_PORT is set), IMAP fetchers, the health watch, sealing of pre-encryption credentials, and the parse worker pool (stopped last). */
export const registerEmail = (deps: Deps): Service[] => {
  registerOutgoingSender('email', emailSender);
  registerEmailSending(deps);
  deps.jobs.register(BACKFILL_QUEUE, ({ inboxId, since }: { inboxId: string; since: string }) => runBackfill(deps, inboxId, since),
    { backoffMs: (attempt) => Math.min(30 * 60_000, 10_000 * 2 ** (attempt - 1)) });
  const c = deps.config;
  const services: Service[] = [];
  if (c.EMAIL_SMTP_PORT !== undefined) {
    services.push(createSmtpListener(deps, {
      host: c.EMAIL_SMTP_HOST, port: c.EMAIL_SMTP_PORT, maxBytes: c.EMAIL_MAX_MESSAGE_BYTES, hostname: c.EMAIL_SMTP_HOSTNAME,
      tlsCert: c.EMAIL_SMTP_TLS_CERT, tlsKey: c.EMAIL_SMTP_TLS_KEY,
    }));
  }
  if (c.EMAIL_IMAP_FETCH === 'on') services.push(createImapService(deps));
  services.push(healthWatch(deps));
  // Rows saved before credentials were encrypted are sealed once, at start.
  services.push({
    name: 'email-secrets',
    async start() {
      const n = await sealPlaintextSecrets(deps).catch((e) => { deps.log.error({ err: e }, 'email: encrypting stored credentials failed'); return 0; });
      if (n) deps.log.info({ inboxes: n }, 'email: encrypted stored mailbox credentials');
    },
    async stop() {},
  });
  // Last, so it stops after the listeners and fetchers: in-flight parses finish, then the workers end.
  services.push({ name: 'email-parse-pool', async start() {}, stop: closeSharedParsePool });
  return services;
};

const healthWatch = (deps: Deps): Service => {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> = Promise.resolve();
  return {
    name: 'email-health',
    async start() {
      const tick = () => {
        running = checkEmailHealth(deps).catch((e) => deps.log.error({ err: e }, 'email: health check failed'));
        timer = setTimeout(tick, 60_000); timer.unref();
      };
      timer = setTimeout(tick, 60_000); timer.unref();
    },
    async stop() { if (timer) clearTimeout(timer); await running; },
  };
};
