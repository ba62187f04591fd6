import { z } from 'zod';

// Email channel contracts: per-inbox settings (secrets are write-only), health, backfill, composing.
const host = z.string().trim().min(1).max(253);
const port = z.number().int().min(1).max(65535);
const address = z.email().max(254);
const secret = z.string().min(1).max(4000).nullable().optional().describe('write-only: omit to keep, null to clear');

export const EMAIL_AUTH_KINDS = ['password', 'oauth2'] as const;

export const ZEmailImapSettings = z.strictObject({
  host, port: port.default(993), secure: z.boolean().default(true).describe('TLS from the start (993); false = STARTTLS when offered'),
  user: z.string().min(1).max(320), auth: z.enum(EMAIL_AUTH_KINDS).default('password'),
  mailbox: z.string().min(1).max(200).default('INBOX'),
  afterImport: z.enum(['seen', 'move']).default('seen').describe('mark \\Seen, or move to moveTo, once the message is committed'),
  moveTo: z.string().min(1).max(200).nullable().default(null),
  pollSeconds: z.number().int().min(10).max(3600).default(60).describe('used when the server has no IDLE'),
  isTlsVerified: z.boolean().default(true).describe('false accepts self-signed certificates'),
});
export const ZEmailSmtpSettings = z.strictObject({
  host, port: port.default(587), secure: z.boolean().default(false).describe('TLS from the start (465); false = STARTTLS'),
  user: z.string().max(320).default('').describe('empty: no authentication'), auth: z.enum(EMAIL_AUTH_KINDS).default('password'),
  isTlsVerified: z.boolean().default(true),
});
export const ZEmailOAuth2Settings = z.strictObject({
  tokenUrl: z.url().max(2000).describe('e.g. https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token or https://oauth2.googleapis.com/token'),
  clientId: z.string().min(1).max(500), scope: z.string().max(2000).default(''),
});

export const ZEmailSettingsInput = z.strictObject({
  isSmtpInbound: z.boolean().default(true).describe('accept mail for the inbox address on the SMTP listener'),
  isWebhookInbound: z.boolean().default(true).describe('accept raw messages on POST /inboxes/:id/mail'),
  isImapInbound: z.boolean().default(false),
  imap: ZEmailImapSettings.nullable().default(null),
  smtp: ZEmailSmtpSettings.nullable().default(null).describe('outgoing replies; null = not configured (replies fail with a reason)'),
  oauth2: ZEmailOAuth2Settings.nullable().default(null),
  fromName: z.string().max(200).default('').describe('display name on replies; default the inbox business name'),
  signature: z.string().max(10_000).default('').describe('added under every reply; {{agent.name}} and {{inbox.name}} are filled in'),
  alertAfterMinutes: z.number().int().min(5).max(7 * 24 * 60).nullable().default(null).describe('warn admins after this long without a successful fetch or received message'),
  imapPassword: secret, smtpPassword: secret, oauth2ClientSecret: secret, oauth2RefreshToken: secret,
});
export type TEmailSettingsInput = z.infer<typeof ZEmailSettingsInput>;

export const ZEmailSettings = ZEmailSettingsInput.omit({ imapPassword: true, smtpPassword: true, oauth2ClientSecret: true, oauth2RefreshToken: true }).extend({
  inboxId: z.uuid(), emailAddress: z.string().nullable(),
  hasImapPassword: z.boolean(), hasSmtpPassword: z.boolean(), hasOauth2ClientSecret: z.boolean(), hasOauth2RefreshToken: z.boolean(),
});
export type TEmailSettings = z.infer<typeof ZEmailSettings>;

export const EMAIL_HEALTH_STATES = ['ok', 'warning', 'failing', 'idle'] as const;
export const ZEmailHealth = z.object({
  inboxId: z.uuid(), state: z.enum(EMAIL_HEALTH_STATES),
  lastSuccessAt: z.string().nullable().describe('last successful IMAP fetch or received message'),
  lastReceivedAt: z.string().nullable(), lastFetchAt: z.string().nullable(),
  lastError: z.string().nullable().describe("the mail server's own words"), lastErrorAt: z.string().nullable(),
  messagesLastHour: z.number().int(), isImapConnected: z.boolean(), alertAfterMinutes: z.number().nullable(),
  warnedAt: z.string().nullable(),
});
export type TEmailHealth = z.infer<typeof ZEmailHealth>;

export const ZBackfillRequest = z.strictObject({ since: z.iso.date().describe('import every message received on or after this day') });
export const ZBackfillProgress = z.object({
  status: z.enum(['none', 'queued', 'running', 'done', 'failed']), since: z.string().nullable(),
  total: z.number().int(), processed: z.number().int(), imported: z.number().int(), duplicates: z.number().int(),
  error: z.string().nullable(), startedAt: z.string().nullable(), finishedAt: z.string().nullable(),
});
export type TBackfillProgress = z.infer<typeof ZBackfillProgress>;

const recipients = z.array(address).max(50);
const body = { text: z.string().trim().min(1).max(65_536), html: z.string().max(2_000_000).optional(), attachmentIds: z.array(z.uuid()).max(20).optional() };
export const ZEmailReplyRequest = z.strictObject({
  ...body,
  cc: recipients.optional().describe("default: the conversation's CC list"), bcc: recipients.default([]),
});
export const ZForwardRequest = z.strictObject({
  to: recipients.min(1), cc: recipients.default([]), text: z.string().max(65_536).default(''),
  messageIds: z.array(z.uuid()).max(50).optional().describe('default: the whole conversation'),
});
export const ZOutboundEmailRequest = z.strictObject({
  inboxId: z.uuid(), to: address, name: z.string().max(200).default(''), subject: z.string().trim().min(1).max(500),
  cc: recipients.default([]), bcc: recipients.default([]), ...body,
});
export const ZEmailConversationInfo = z.object({
  conversationId: z.uuid(), customerAddress: z.string().nullable(), cc: z.array(z.string()), subject: z.string(),
});
export const ZSignatureRequest = z.strictObject({ signature: z.string().max(10_000) });
/** Your signature in an inbox (empty: none of your own) and the inbox's, used when you have none. */
export const ZMySignature = z.object({ signature: z.string(), inboxSignature: z.string() });
