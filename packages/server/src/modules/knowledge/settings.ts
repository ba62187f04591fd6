import type { Language, TKbSettings } from '@careline/shared';
import type { Ctx } from '../../platform/context.ts';
import type { Tx } from '../../db/connection.ts';
import { fromJson, toJson } from '../../db/dialect.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { audit } from '../../platform/audit.ts';
import { stripUndefined } from '../../platform/objects.ts';

// Help-center settings: default language, which web-form inbox brands it, its title per language.
const KEY = 'knowledge';
const DEFAULTS: TKbSettings = { defaultLanguage: 'en', brandInboxId: null, title: {} };

export const getKbSettings = async (db: Tx): Promise<TKbSettings> => {
  const row = await db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst();
  return { ...DEFAULTS, ...fromJson<Partial<TKbSettings>>(row?.value, {}) };
};

export const updateKbSettings = async (ctx: Ctx, input: Partial<TKbSettings>) => {
  const before = await getKbSettings(ctx.db.kysely);
  const next = { ...before, ...stripUndefined(input) } as TKbSettings;
  if (next.brandInboxId) {
    const inbox = await ctx.db.kysely.selectFrom('inboxes').select('channel').where('id', '=', next.brandInboxId).executeTakeFirst();
    if (inbox?.channel !== 'webform') throw new AppError('VALIDATION_FAILED', { userMessage: 'Choose a web-form inbox', fields: [{ field: 'body.brandInboxId', message: 'not a web-form inbox' }] });
  }
  await ctx.db.transaction(async (w) => {
    await w.tx.insertInto('settings').values({ key: KEY, value: toJson(next) }).onConflict((oc) => oc.column('key').doUpdateSet({ value: toJson(next) })).execute();
    await audit(w, ctx.actor, ctx.clock.iso(), { entity: 'settings', entityId: KEY, action: 'updated', before, after: next });
  });
  return next;
};

/** The brand the help center wears: the chosen web-form inbox, else the oldest one; its name, colour and form. */
export type Brand = { name: string; color: string; logoUrl: string | null; contactPath: string | null; inboxId: string | null };

export const brandOfInbox = (inbox: { id: string; business_name: string; name: string; public_token: string; settings: string; channel: string }, companyName: string): Brand => {
  const s = fromJson<Record<string, unknown>>(inbox.settings, {});
  const color = typeof s.color === 'string' && /^#[0-9a-f]{3,8}$/i.test(s.color) ? s.color : '#1f6feb';
  const logoUrl = typeof s.logoUrl === 'string' && /^https?:\/\//.test(s.logoUrl) ? s.logoUrl : null;
  return { name: inbox.business_name || companyName || inbox.name, color, logoUrl, contactPath: inbox.channel === 'webform' ? `/contact/${inbox.public_token}` : null, inboxId: inbox.id };
};

export const companyName = async (db: Tx) => {
  const row = await db.selectFrom('settings').select('value').where('key', '=', 'company').executeTakeFirst();
  return fromJson<{ name?: string }>(row?.value, {}).name ?? 'Help Center';
};

export const helpCenterBrand = async (db: Tx, settings: TKbSettings): Promise<Brand> => {
  const company = await companyName(db);
  let q = db.selectFrom('inboxes').select(['id', 'business_name', 'name', 'public_token', 'settings', 'channel']).where('channel', '=', 'webform');
  q = settings.brandInboxId ? q.where('id', '=', settings.brandInboxId) : q.orderBy('created_at').orderBy('id');
  const inbox = await q.limit(1).executeTakeFirst();
  return inbox ? brandOfInbox(inbox, company) : { name: company, color: '#1f6feb', logoUrl: null, contactPath: null, inboxId: null };
};

export const isLanguage = (v: unknown): v is Language => v === 'en' || v === 'vi' || v === 'pl';
