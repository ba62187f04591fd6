import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Language } from '@careline/shared';
import type { DB } from '../../../db/schema.ts';
import { findInboxRow } from '../../inboxes/index.ts';
import { storeAttachment } from '../../conversations/index.ts';
import {
  T, acceptForms, brandOfInbox, companyName, endDeflection, getKbSettings, html, negotiateLanguage, page, raw, startDeflection, suggestPublic, type Brand, type Raw,
} from '../../knowledge/index.ts';
import {
  MAX_FILES, MAX_FILE_BYTES, checkFormTime, customFieldsOf, issueFormTime, localized, signAttachment, submitWebform, validateSubmission, verifyAttachment,
} from './webform.ts';

// GET /contact/:token shows the form; POST sends it in two steps without JavaScript (first the
// suggested articles, then the message), or in one step when contact.js showed suggestions live.

const PUBLIC = { access: 'public' as const };
const perIp = (max: number) => ({ max, timeWindow: 60_000, keyGenerator: (req: FastifyRequest) => req.ip });
type Form = Record<string, string | undefined>;
type Suggestion = { id: string; title: string; url: string; snippet: string };

type FormView = {
  inbox: DB['inboxes']; brand: Brand; lang: Language; formTime: string; values: Form; errors: Record<string, string>;
  notice?: string; suggestions?: Suggestion[]; ds?: string | null; attachments?: { token: string; filename: string }[];
};

const field = (id: string, label: string, input: Raw, error?: string, hint?: string) => html`<div class="field">
<label for="${id}">${label}${hint ? html` <span class="hint">${hint}</span>` : ''}</label>${input}
${error ? html`<p class="error" id="${id}-error">${error}</p>` : ''}</div>`;
const invalid = (id: string, error?: string) => (error ? raw(` aria-invalid="true" aria-describedby="${id}-error"`) : raw(''));

const renderForm = (v: FormView) => {
  const t = T[v.lang];
  const e = v.errors;
  const action = `/contact/${v.inbox.public_token}?lang=${v.lang}`;
  const two = !!v.suggestions?.length;
  const custom = customFieldsOf(v.inbox).map((f) => {
    const id = `cf_${f.key}`; const val = v.values[id] ?? '';
    const req = f.required ? raw(' required') : raw('');
    const input = f.type === 'textarea' ? html`<textarea id="${id}" name="${id}" maxlength="2000"${req}${invalid(id, e[id])}>${val}</textarea>`
      : f.type === 'select' ? html`<select id="${id}" name="${id}"${req}${invalid(id, e[id])}><option value=""></option>${f.options.map((o) => html`<option value="${o.value}"${o.value === val ? raw(' selected') : ''}>${localized(o.label, v.lang)}</option>`)}</select>`
      : html`<input type="text" id="${id}" name="${id}" value="${val}" maxlength="2000"${req}${invalid(id, e[id])}>`;
    return field(id, localized(f.label, v.lang), input, e[id], f.required ? undefined : undefined);
  });
  const body = html`<h1>${t.contactTitle}</h1>
<p class="muted">${t.contactIntro}</p>
${v.notice ? html`<p class="notice" role="alert">${v.notice}</p>` : ''}
${Object.keys(e).length ? html`<div class="errors" role="alert"><p>${t.fixErrors}</p></div>` : ''}
${two ? html`<section class="suggestions" aria-labelledby="sugg-title"><h2 id="sugg-title">${t.beforeYouSend}</h2>
<ul class="list">${v.suggestions!.map((s) => html`<li><a href="${s.url}?ds=${v.ds ?? ''}">${s.title}</a><p class="snippet">${raw(s.snippet)}</p></li>`)}</ul>
<form method="post" action="/contact/${v.inbox.public_token}/solved?lang=${v.lang}"><input type="hidden" name="ds" value="${v.ds ?? ''}"><button type="submit" class="secondary">${t.solved}</button></form>
</section>` : html`<section class="suggestions" id="live-suggestions" aria-live="polite" hidden><h2>${t.suggestionsLive}</h2><ul class="list"></ul>
<p><a class="button secondary" id="solved-button" href="/contact/${v.inbox.public_token}/solved?lang=${v.lang}" data-href="/contact/${v.inbox.public_token}/solved?lang=${v.lang}&amp;done=1">${t.solved}</a></p></section>`}
<form method="post" action="${action}" enctype="multipart/form-data" data-suggest data-lang="${v.lang}" novalidate>
<input type="hidden" name="step" value="${two ? 'send' : 'check'}">
<input type="hidden" name="t" value="${v.formTime}">
<input type="hidden" name="ds" value="${v.ds ?? ''}">
<input type="hidden" name="lang" value="${v.lang}">
<div class="hp" aria-hidden="true"><label for="website">${t.honeypot}</label><input type="text" id="website" name="website" tabindex="-1" autocomplete="off"></div>
${field('name', t.name, html`<input type="text" id="name" name="name" value="${v.values.name ?? ''}" autocomplete="name" required maxlength="200"${invalid('name', e.name)}>`, e.name)}
${field('email', t.email, html`<input type="email" id="email" name="email" value="${v.values.email ?? ''}" autocomplete="email" required maxlength="254"${invalid('email', e.email)}>`, e.email)}
${field('subject', t.subject, html`<input type="text" id="subject" name="subject" value="${v.values.subject ?? ''}" required maxlength="250"${invalid('subject', e.subject)}>`, e.subject)}
${field('message', t.message, html`<textarea id="message" name="message" required maxlength="20000" rows="7"${invalid('message', e.message)}>${v.values.message ?? ''}</textarea>`, e.message)}
${custom}
${v.attachments?.length ? html`<div class="field"><p><strong>${t.attached}</strong></p><ul>${v.attachments.map((a) => html`<li>${a.filename}<input type="hidden" name="att" value="${a.token}"></li>`)}</ul></div>` : ''}
${field('files', t.attachments, html`<input type="file" id="files" name="files" multiple>`, e.files)}
<div class="actions"><button type="submit">${two ? t.stillSend : t.send}</button></div>
</form>`;
  return page({
    lang: v.lang, brand: v.brand, title: `${t.contactTitle} – ${v.brand.name}`, noindex: true, section: 'contact', body,
    homeHref: `/help/${v.lang}`, scripts: two ? [] : ['/help/assets/contact.js'],
    switcher: (['en', 'vi', 'pl'] as const).map((l) => ({ lang: l, href: `/contact/${v.inbox.public_token}?lang=${l}` })),
  });
};

const sendHtml = (reply: FastifyReply, body: string, status = 200) => reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);

const messagePage = (brand: Brand, lang: Language, title: string, body: Raw) =>
  page({ lang, brand, title: `${title} – ${brand.name}`, noindex: true, section: 'contact', homeHref: `/help/${lang}`, body: html`<h1>${title}</h1>${body}` });

/** Reads a multipart or urlencoded form; files are stored as unclaimed attachments (claimed by the message). */
const readForm = async (req: FastifyRequest): Promise<{ form: Form; att: string[]; files: { id: string; filename: string }[]; tooLarge: boolean }> => {
  if (!req.isMultipart()) {
    const body = (req.body ?? {}) as Record<string, string | string[]>;
    const form: Form = {}; let att: string[] = [];
    for (const [k, v] of Object.entries(body)) { if (k === 'att') att = Array.isArray(v) ? v : [v]; else form[k] = Array.isArray(v) ? v[0] : v; }
    return { form, att, files: [], tooLarge: false };
  }
  const form: Form = {}; const att: string[] = []; const files: { id: string; filename: string }[] = []; let tooLarge = false;
  for await (const part of req.parts({ limits: { files: MAX_FILES, fileSize: MAX_FILE_BYTES, fields: 60, fieldSize: 64 * 1024 } })) {
    if (part.type === 'file') {
      const data = await part.toBuffer().catch(() => { tooLarge = true; return null; });
      if (!data || !part.filename || !data.length) continue;
      if (part.file.truncated) { tooLarge = true; continue; }
      const stored = await storeAttachment(req.ctx, { filename: part.filename, contentType: part.mimetype || 'application/octet-stream', data });
      files.push({ id: stored.id, filename: stored.filename });
    } else if (part.fieldname === 'att') att.push(String(part.value));
    else form[part.fieldname] = String(part.value);
  }
  return { form, att, files, tooLarge };
};

export const webformRoutes = async (app: FastifyInstance) => {
  acceptForms(app);

  const load = async (req: FastifyRequest) => {
    const { token } = req.params as { token: string };
    const inbox = await findInboxRow(req.ctx.db.kysely, { publicToken: token });
    if (!inbox || inbox.channel !== 'webform') return null;
    return { inbox, brand: brandOfInbox(inbox, await companyName(req.ctx.db.kysely)) };
  };
  const langOf = async (req: FastifyRequest, explicit?: unknown) =>
    negotiateLanguage(explicit ?? (req.query as { lang?: string }).lang, req.headers['accept-language'], (await getKbSettings(req.ctx.db.kysely)).defaultLanguage);
  const unavailable = async (req: FastifyRequest, reply: FastifyReply) => {
    const lang = await langOf(req);
    return sendHtml(reply, messagePage({ name: 'Careline', color: '#1f6feb', logoUrl: null, contactPath: null, inboxId: null }, lang, T[lang].formUnavailable, html``), 404);
  };

  app.get('/contact/:token', { config: PUBLIC, schema: { hide: true } }, async (req, reply) => {
    const found = await load(req);
    if (!found) return unavailable(req, reply);
    const lang = await langOf(req);
    return sendHtml(reply, renderForm({ ...found, lang, formTime: issueFormTime(found.inbox, req.ctx.clock.now()), values: {}, errors: {} }));
  });

  app.post('/contact/:token', { config: { ...PUBLIC, rateLimit: perIp(10) }, schema: { hide: true } }, async (req, reply) => {
    const found = await load(req);
    if (!found) return unavailable(req, reply);
    const { inbox, brand } = found;
    const { form, att, files, tooLarge } = await readForm(req);
    const lang = await langOf(req, form.lang);
    const t = T[lang];
    const now = req.ctx.clock.now();
    const attachments = [...att.flatMap((a) => { const id = verifyAttachment(inbox, a); return id ? [id] : []; }), ...files.map((f) => f.id)];
    const names = new Map(files.map((f) => [f.id, f.filename]));
    if (att.length) {
      const rows = await req.ctx.db.kysely.selectFrom('attachments').select(['id', 'filename']).where('id', 'in', attachments).where('message_id', 'is', null).execute();
      for (const r of rows) names.set(r.id, r.filename);
    }
    const kept = attachments.filter((id) => names.has(id));
    const again = (extra: Partial<FormView>) => renderForm({
      inbox, brand, lang, formTime: issueFormTime(inbox, now), values: form, errors: {}, ds: form.ds || null,
      attachments: kept.map((id) => ({ token: signAttachment(inbox, id), filename: names.get(id)! })), ...extra,
    });

    // A filled honeypot is a bot: answer as if it worked, store nothing.
    if (form.website) return sendHtml(reply, messagePage(brand, lang, t.thanksTitle, html``));
    const time = checkFormTime(inbox, form.t, now);
    if (time !== 'ok') return sendHtml(reply, again({ notice: time === 'too_fast' ? t.tooFast : t.expired }), 400);
    const { errors, values } = validateSubmission(inbox, form, lang);
    if (tooLarge) errors.files = t.tooLarge;
    if (Object.keys(errors).length) return sendHtml(reply, again({ errors }), 400);

    const ds = form.ds && /^[0-9a-f-]{36}$/i.test(form.ds) ? form.ds : null;
    if (form.step !== 'send') {
      const suggestions = await suggestPublic(req.ctx, `${values.subject}\n${values.message}`, lang, 3);
      if (suggestions.length) {
        const session = await startDeflection(req.ctx, { source: 'webform', language: lang, inboxId: inbox.id, query: `${values.subject}\n${values.message}`, articleIds: suggestions.map((s) => s.id) });
        return sendHtml(reply, again({ suggestions, ds: session }));
      }
    }
    const conversation = await submitWebform(req.ctx, inbox, { ...values, attachmentIds: kept, lang, deflectionId: ds }, brand.name);
    return sendHtml(reply, messagePage(brand, lang, t.thanksTitle, html`<p class="success" role="status">${t.thanksBody(conversation.number, values.email)}</p>
<p><a href="/portal?lang=${lang}">${t.viewRequests}</a></p>`));
  });

  // "This solved my problem": records the deflection; nothing is sent.
  const solved = async (req: FastifyRequest, reply: FastifyReply) => {
    const found = await load(req);
    if (!found) return unavailable(req, reply);
    const form = (req.body ?? {}) as Form;
    const lang = await langOf(req, form.lang);
    if (form.ds && /^[0-9a-f-]{36}$/i.test(form.ds)) await endDeflection(req.ctx, form.ds, 'solved');
    const t = T[lang];
    return sendHtml(reply, messagePage(found.brand, lang, t.solvedTitle, html`<p class="success" role="status">${t.solvedBody}</p><p><a href="/help/${lang}">${t.helpCenter}</a></p>`));
  };
  app.post('/contact/:token/solved', { config: { ...PUBLIC, rateLimit: perIp(20) }, schema: { hide: true } }, solved);
  app.get('/contact/:token/solved', { config: PUBLIC, schema: { hide: true } }, solved);
};
