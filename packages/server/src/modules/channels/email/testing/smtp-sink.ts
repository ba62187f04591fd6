import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAuthentication, type SMTPServerSession } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

/** A real SMTP server on loopback that receives what Careline sends (the customer's mail provider, in tests). */
export type Received = { envelope: { from: string; to: string[] }; raw: Buffer; mail: ParsedMail; auth: SMTPServerAuthentication | null };

export const startSmtpSink = async (opts: {
  onAuth?: (auth: SMTPServerAuthentication) => boolean;
  /** Return an SMTP error code (e.g. 451, 550) to refuse a recipient. */
  rcptCode?: (address: string) => number | null;
} = {}) => {
  const received: Received[] = [];
  const auths = new WeakMap<SMTPServerSession, SMTPServerAuthentication>();
  const server = new SMTPServer({
    authOptional: !opts.onAuth, disabledCommands: ['STARTTLS'], allowInsecureAuth: true, logger: false,
    authMethods: ['PLAIN', 'LOGIN', 'XOAUTH2'],
    onAuth(auth, session, cb) {
      if (opts.onAuth && !opts.onAuth(auth)) return cb(Object.assign(new Error('Invalid credentials'), { responseCode: 535 }));
      auths.set(session, auth);
      cb(null, { user: auth.username ?? 'user' });
    },
    onRcptTo(address, _s, cb) {
      const code = opts.rcptCode?.(address.address) ?? null;
      if (code) return cb(Object.assign(new Error(`${code === 550 ? '5.1.1 mailbox unavailable' : '4.2.0 try later'} <${address.address}>`), { responseCode: code }));
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks);
        received.push({
          envelope: { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address) },
          raw, mail: await simpleParser(raw), auth: auths.get(session) ?? null,
        });
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.server.address() as AddressInfo).port;
  return { port, received, close: () => new Promise<void>((r) => server.close(() => r())) };
};
