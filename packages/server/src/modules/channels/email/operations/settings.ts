import { ZEmailSettingsInput, type TEmailSettings, type TEmailSettingsInput } from '@careline/shared';
import type { Ctx, Deps } from '../../../../platform/context.ts';
import type { Tx } from '../../../../db/connection.ts';
import { AppError, notFound } from '../../../../platform/errors/app-error.ts';
import { fromJson, toJson } from '../../../../db/dialect.ts';
import { audit } from '../../../../platform/audit.ts';
import { findInboxRow, getInbox } from '../../../inboxes/index.ts';
import { getChannelRow } from '../email.repo.ts';
import type { Config } from '../../../../config.ts';
import { isSealed, open, seal, SEALED_PREFIX, secretKeyOf, SecretKeyError } from '../secret-box.ts';

/** Published on the bus after settings change, so IMAP fetchers on every node reconnect. */
export const EMAIL_SETTINGS_CHANNEL = 'email.settings_changed';

const SECRET_KEYS = ['imapPassword', 'smtpPassword', 'oauth2ClientSecret', 'oauth2RefreshToken'] as const;
export type ChannelConfig = Omit<TEmailSettingsInput, (typeof SECRET_KEYS)[number]>;
export type ChannelSecrets = Partial<Record<(typeof SECRET_KEYS)[number], string>> & { oauth2AccessToken?: string; oauth2AccessTokenExpiresAt?: string };
/** secretsError: the stored credentials could not be decrypted (the key changed); secrets is then empty. */
export type Channel = { inboxId: string; config: ChannelConfig; secrets: ChannelSecrets; secretsError?: string };
type KeyConfig = Pick<Config, 'CARELINE_SECRET_KEY' | 'dataDir'>;

const defaults = (): ChannelConfig => {
  const { imapPassword: _a, smtpPassword: _b, oauth2ClientSecret: _c, oauth2RefreshToken: _d, ...config } = ZEmailSettingsInput.parse({});
  return config;
};

/** The settings stored in a channel row (defaults for what was never saved, or for no row). */
export const channelConfigOf = (row: { config: unknown } | undefined): ChannelConfig => ({ ...defaults(), ...fromJson<Partial<ChannelConfig>>(row?.config, {}) });

/** The channel settings of an inbox without its credentials (nothing decrypted): for callers that only read settings. */
export const loadChannelConfig = async (db: Tx, inboxId: string) => channelConfigOf(await getChannelRow(db, inboxId));

/** The channel settings of an inbox (defaults when never saved), credentials decrypted. */
export const loadChannel = async (db: Tx, inboxId: string, keyConfig: KeyConfig): Promise<Channel> => {
  const row = await getChannelRow(db, inboxId);
  if (!row) return { inboxId, config: defaults(), secrets: {} };
  const config = channelConfigOf(row);
  try {
    return { inboxId, config, secrets: open<ChannelSecrets>(secretKeyOf(keyConfig), inboxId, row.secrets) };
  } catch (e) {
    if (!(e instanceof SecretKeyError)) throw e;
    return { inboxId, config, secrets: {}, secretsError: e.message };
  }
};

/** The secrets column value: credentials encrypted with the server's key. */
export const sealSecrets = (keyConfig: KeyConfig, inboxId: string, secrets: ChannelSecrets) => seal(secretKeyOf(keyConfig), inboxId, secrets);

/** Encrypts rows stored before credentials were encrypted (run at start; idempotent). Returns how many. */
export const sealPlaintextSecrets = async (deps: Deps) => {
  // Only rows still in plain JSON are read (after the first start, none); the update is conditional on the
  // value read, so a save racing this start is never overwritten.
  const rows = await deps.db.kysely.selectFrom('email_channels').select(['inbox_id', 'secrets'])
    .where('secrets', 'is not', null).where('secrets', 'not like', `${SEALED_PREFIX}%`).execute();
  let n = 0;
  for (const r of rows) {
    if (!r.secrets || isSealed(r.secrets)) continue;
    const sealed = sealSecrets(deps.config, r.inbox_id, JSON.parse(r.secrets) as ChannelSecrets);
    const done = await deps.db.transaction(({ tx }) => tx.updateTable('email_channels').set({ secrets: sealed })
      .where('inbox_id', '=', r.inbox_id).where('secrets', '=', r.secrets).executeTakeFirst());
    n += Number(done.numUpdatedRows);
  }
  return n;
};

const toDto = (inbox: { id: string; emailAddress: string | null }, c: Channel): TEmailSettings => ({
  ...c.config, inboxId: inbox.id, emailAddress: inbox.emailAddress,
  hasImapPassword: !!c.secrets.imapPassword, hasSmtpPassword: !!c.secrets.smtpPassword,
  hasOauth2ClientSecret: !!c.secrets.oauth2ClientSecret, hasOauth2RefreshToken: !!c.secrets.oauth2RefreshToken,
});

const getEmailInbox = async (ctx: Ctx, inboxId: string) => {
  const inbox = await getInbox(ctx, inboxId);
  if (inbox.channel !== 'email') throw notFound('Email inbox');
  return inbox;
};

export const getEmailSettings = async (ctx: Ctx, inboxId: string) => {
  const inbox = await getEmailInbox(ctx, inboxId);
  return toDto(inbox, await loadChannel(ctx.db.kysely, inboxId, ctx.config));
};

export const updateEmailSettings = async (ctx: Ctx, inboxId: string, input: TEmailSettingsInput) => {
  const inbox = await getEmailInbox(ctx, inboxId);
  if (input.isImapInbound && !input.imap) throw invalid('body.imap', 'IMAP settings are required to fetch by IMAP.');
  const needsOauth = input.imap?.auth === 'oauth2' || input.smtp?.auth === 'oauth2';
  if (needsOauth && !input.oauth2) throw invalid('body.oauth2', 'OAuth2 settings are required for OAuth2 sign-in.');
  await ctx.db.transaction(async (w) => {
    const before = await loadChannel(w.tx, inboxId, ctx.config);
    const secrets: ChannelSecrets = { ...before.secrets };
    for (const key of SECRET_KEYS) {
      const v = input[key];
      if (v === null) delete secrets[key]; else if (v !== undefined) secrets[key] = v;
    }
    if (input.oauth2RefreshToken !== undefined) { delete secrets.oauth2AccessToken; delete secrets.oauth2AccessTokenExpiresAt; }
    const { imapPassword: _a, smtpPassword: _b, oauth2ClientSecret: _c, oauth2RefreshToken: _d, ...config } = input;
    const now = ctx.clock.iso();
    const values = { config: toJson(config), secrets: sealSecrets(ctx.config, inboxId, secrets), is_imap_enabled: input.isImapInbound && !!input.imap, updated_at: now };
    await w.tx.insertInto('email_channels').values({ inbox_id: inboxId, ...values, created_at: now })
      .onConflict((oc) => oc.column('inbox_id').doUpdateSet(values)).execute();
    await audit(w, ctx.actor, now, { entity: 'inbox', entityId: inboxId, action: 'email_settings_updated', before: before.config, after: config });
    w.afterCommit(() => ctx.bus.publish(EMAIL_SETTINGS_CHANNEL, { inboxId }));
  });
  return toDto(inbox, await loadChannel(ctx.db.kysely, inboxId, ctx.config));
};

/** Stores a refreshed OAuth2 access token (and a rotated refresh token) for the next connection. */
export const saveTokens = async (deps: Deps, inboxId: string, tokens: { accessToken: string; expiresAt: string; refreshToken?: string }) => {
  await deps.db.transaction(async ({ tx }) => {
    const c = await loadChannel(tx, inboxId, deps.config);
    const secrets: ChannelSecrets = { ...c.secrets, oauth2AccessToken: tokens.accessToken, oauth2AccessTokenExpiresAt: tokens.expiresAt };
    if (tokens.refreshToken) secrets.oauth2RefreshToken = tokens.refreshToken;
    await tx.updateTable('email_channels').set({ secrets: sealSecrets(deps.config, inboxId, secrets) }).where('inbox_id', '=', inboxId).execute();
  });
};

/** The inbox an envelope or header address belongs to: exact, or with a +tag (support+1042@acme.test). */
export const resolveInboxAddress = async (db: Tx, address: string) => {
  const a = address.trim().toLowerCase();
  const m = /^([^+@]+)\+([^@]*)@(.+)$/.exec(a);
  const inbox = (await findInboxRow(db, { emailAddress: a })) ?? (m ? await findInboxRow(db, { emailAddress: `${m[1]}@${m[3]}` }) : undefined);
  if (!inbox || inbox.channel !== 'email') return null;
  return { inbox, tag: m && inbox.email_address !== a ? m[2]! : null };
};

const invalid = (field: string, message: string) => new AppError('VALIDATION_FAILED', { userMessage: message, fields: [{ field, message }] });
