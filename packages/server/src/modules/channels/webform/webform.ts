import { createHmac } from 'node:crypto';
import type { Language } from '@careline/shared';
import type { Ctx } from '../../../platform/context.ts';
import type { DB } from '../../../db/schema.ts';
import { SYSTEM } from '../../../platform/context.ts';
import { fromJson } from '../../../db/dialect.ts';
import { safeEqual } from '../../../platform/ids.ts';
import { insertConversation } from '../../conversations/index.ts';
import { enqueueSystemMail } from '../../../platform/mail/system-mail.ts';
import { T, endDeflection } from '../../knowledge/index.ts';

// The public contact form of a 'webform' inbox: fields, spam checks (honeypot, time trap, rate limit)
// and the submission that creates a conversation and emails the customer a confirmation.

export const MIN_FILL_MS = 3000;
export const MAX_FORM_AGE_MS = 24 * 3600_000;
export const MAX_FILES = 5;
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

export type CustomField = {
  key: string; label: Partial<Record<Language, string>>; type: 'text' | 'textarea' | 'select';
  required: boolean; options: { value: string; label: Partial<Record<Language, string>> }[];
};

/** Custom fields from the inbox settings: settings.webform.fields = [{ key, label: {en, vi, pl}, type, required, options }]. */
export const customFieldsOf = (inbox: DB['inboxes']): CustomField[] => {
  const raw = fromJson<{ webform?: { fields?: unknown } }>(inbox.settings, {}).webform?.fields;
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((f): CustomField[] => {
    if (!f || typeof f !== 'object') return [];
    const o = f as Record<string, unknown>;
    if (typeof o.key !== 'string' || !/^[a-z][a-z0-9_]{0,39}$/i.test(o.key)) return [];
    const type = o.type === 'textarea' || o.type === 'select' ? o.type : 'text';
    const label = o.label && typeof o.label === 'object' ? o.label as CustomField['label'] : { en: o.key };
    const options = Array.isArray(o.options) ? o.options.flatMap((x) => (x && typeof x === 'object' && typeof (x as { value?: unknown }).value === 'string'
      ? [{ value: (x as { value: string }).value, label: ((x as { label?: unknown }).label ?? { en: (x as { value: string }).value }) as CustomField['label'] }] : [])) : [];
    return [{ key: o.key, label, type, required: o.required === true, options }];
  }).slice(0, 20);
};

export const localized = (l: Partial<Record<Language, string>>, lang: Language) => l[lang] || l.en || Object.values(l)[0] || '';

const sign = (secret: string, value: string) => createHmac('sha256', secret).update(value).digest('base64url').slice(0, 32);

/** Time trap: the form carries when it was rendered, signed, so a bot cannot post instantly or replay forever. */
export const issueFormTime = (inbox: DB['inboxes'], now: Date) => { const t = String(now.getTime()); return `${t}.${sign(inbox.secret, `t:${inbox.id}:${t}`)}`; };
export const checkFormTime = (inbox: DB['inboxes'], value: string | undefined, now: Date): 'ok' | 'too_fast' | 'expired' => {
  const [t, mac] = (value ?? '').split('.');
  if (!t || !mac || !/^\d+$/.test(t) || !safeEqual(mac, sign(inbox.secret, `t:${inbox.id}:${t}`))) return 'expired';
  const age = now.getTime() - Number(t);
  if (age < MIN_FILL_MS) return 'too_fast';
  return age > MAX_FORM_AGE_MS ? 'expired' : 'ok';
};

/** Files uploaded at the first step travel to the second as signed ids, so nobody can claim another's upload. */
export const signAttachment = (inbox: DB['inboxes'], id: string) => `${id}.${sign(inbox.secret, `a:${id}`)}`;
export const verifyAttachment = (inbox: DB['inboxes'], value: string) => {
  const [id, mac] = value.split('.');
  return id && mac && /^[0-9a-f-]{36}$/i.test(id) && safeEqual(mac, sign(inbox.secret, `a:${id}`)) ? id : null;
};

export type Submission = {
  name: string; email: string; subject: string; message: string; custom: Record<string, string>;
  attachmentIds: string[]; lang: Language; deflectionId: string | null;
};

export const validateSubmission = (inbox: DB['inboxes'], form: Record<string, string | undefined>, lang: Language) => {
  const t = T[lang];
  const errors: Record<string, string> = {};
  const name = (form.name ?? '').trim().slice(0, 200);
  const email = (form.email ?? '').trim().toLowerCase().slice(0, 254);
  const subject = (form.subject ?? '').trim().slice(0, 250);
  const message = (form.message ?? '').trim().slice(0, 20_000);
  if (!name) errors.name = t.fieldRequired;
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) errors.email = t.invalidEmail;
  if (!subject) errors.subject = t.fieldRequired;
  if (!message) errors.message = t.fieldRequired;
  const custom: Record<string, string> = {};
  for (const f of customFieldsOf(inbox)) {
    const v = (form[`cf_${f.key}`] ?? '').trim().slice(0, 2000);
    if (f.required && !v) errors[`cf_${f.key}`] = t.fieldRequired;
    else if (v && f.type === 'select' && !f.options.some((o) => o.value === v)) errors[`cf_${f.key}`] = t.fieldRequired;
    else if (v) custom[f.key] = v;
  }
  return { errors, values: { name, email, subject, message, custom } };
};

/** Creates the conversation (customer found or created by email) and the confirmation email, in one transaction. */
export const submitWebform = async (ctx: Ctx, inbox: DB['inboxes'], s: Submission, businessName: string) => {
  const system = { ...ctx, actor: SYSTEM };
  const t = T[s.lang];
  const portal = `${ctx.config.publicUrl}/portal?lang=${s.lang}`;
  const { conversation } = await ctx.db.transaction(async (w) => {
    const created = await insertConversation(w, system, {
      inboxId: inbox.id, subject: s.subject, customAttributes: { ...s.custom, webformLanguage: s.lang },
      contact: { name: s.name, language: s.lang, identities: [{ kind: 'email', value: s.email }] },
    }, { kind: 'incoming', text: s.message, attachmentIds: s.attachmentIds, metadata: { source: 'webform' } });
    await enqueueSystemMail(w, ctx, {
      to: s.email, subject: t.confirmSubject(created.conversation.number, s.subject),
      text: t.confirmBody(s.name, created.conversation.number, businessName, portal),
      headers: { 'X-Careline-Conversation': String(created.conversation.number) },
    });
    return created;
  });
  if (s.deflectionId) await endDeflection(ctx, s.deflectionId, 'submitted');
  return conversation;
};
