import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Language, TConversation, TMessage } from '@careline/shared';
import { loadConversations } from '../conversations/index.ts';
import { T, TZ_COOKIE, acceptForms, getKbSettings, helpContext, html, negotiateLanguage, page, pickTimeZone, timeTag, type Brand, type Raw } from '../knowledge/index.ts';
import {
  PORTAL_COOKIE, SESSION_TTL_MS, closeAsCustomer, consumeSignInLink, customerThread, findPortalCustomer, listOwnConversations, ownAttachment, ownConversation,
  replyAsCustomer, requestSignInLink, signOut, type PortalCustomer,
} from './portal.ts';

// /portal/*: server-rendered pages for customers; its own HttpOnly SameSite cookie, separate from agents' sessions.

const PUBLIC = { access: 'public' as const };
const perIp = (max: number) => ({ max, timeWindow: 60_000, keyGenerator: (req: FastifyRequest) => req.ip });
type Form = Record<string, string | undefined>;

const sendHtml = (reply: FastifyReply, body: string, status = 200) =>
  reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').header('x-robots-tag', 'noindex').send(body);

const portalPage = (brand: Brand, lang: Language, title: string, body: Raw, showsTimes = false) => page({
  lang, brand, title: `${title} – ${brand.name}`, noindex: true, section: 'portal', homeHref: `/help/${lang}`, body, showsTimes,
  switcher: (['en', 'vi', 'pl'] as const).map((l) => ({ lang: l, href: `/portal?lang=${l}` })),
});

/** Times are shown in the contact's stored time zone, else the browser's (cookie set by tz.js), else UTC. */
const timeZoneOf = (req: FastifyRequest, customer: PortalCustomer) => pickTimeZone(customer.timeZone, req.cookies?.[TZ_COOKIE]);

const badge = (status: TConversation['status'], lang: Language) => html`<span class="badge ${status}">${T[lang].statuses[status]}</span>`;

/** Form posts must come from our own pages (the SameSite cookie already keeps other sites' posts anonymous). */
const sameOrigin = (req: FastifyRequest) => {
  const origin = req.headers.origin;
  // Browsers send "Origin: null" for form posts from pages with Referrer-Policy: no-referrer (helmet's default).
  if (!origin || origin === 'null') return req.headers['sec-fetch-site'] === undefined ? !origin : req.headers['sec-fetch-site'] === 'same-origin';
  return origin === new URL(req.ctx.config.publicUrl).origin || origin === `${req.protocol}://${req.headers.host}`;
};

export const portalRoutes = async (app: FastifyInstance) => {
  acceptForms(app);
  const ctxOf = async (req: FastifyRequest, explicit?: unknown) => {
    const lang = negotiateLanguage(explicit ?? (req.query as { lang?: string }).lang, req.headers['accept-language'], (await getKbSettings(req.ctx.db.kysely)).defaultLanguage);
    return { lang, t: T[lang], brand: (await helpContext(req.ctx, lang)).brand };
  };
  const me = (req: FastifyRequest) => findPortalCustomer(req.ctx, req.cookies?.[PORTAL_COOKIE]);
  const notFound = async (req: FastifyRequest, reply: FastifyReply) => {
    const { lang, t, brand } = await ctxOf(req);
    return sendHtml(reply, portalPage(brand, lang, t.notFound, html`<h1>${t.notFound}</h1><p><a href="/portal?lang=${lang}">${t.back}</a></p>`), 404);
  };
  const guard = async (req: FastifyRequest, reply: FastifyReply): Promise<PortalCustomer | null> => {
    if (req.method === 'POST' && !sameOrigin(req)) { await reply.status(403).type('text/plain').send('Forbidden'); return null; }
    const customer = await me(req);
    if (!customer) { await reply.redirect(`/portal?lang=${(await ctxOf(req)).lang}`, 303); return null; }
    return customer;
  };

  app.get('/portal', { config: PUBLIC, schema: { hide: true } }, async (req, reply) => {
    const { lang, t, brand } = await ctxOf(req);
    const customer = await me(req);
    if (!customer) {
      const sent = (req.query as { sent?: string }).sent === '1';
      return sendHtml(reply, portalPage(brand, lang, t.signInTitle, html`<h1>${t.signInTitle}</h1>
${sent ? html`<p class="success" role="status">${t.linkSent}</p>` : ''}
<p>${t.signInIntro}</p>
<form method="post" action="/portal/sign-in" class="article"><input type="hidden" name="lang" value="${lang}">
<div class="field"><label for="email">${t.email}</label><input type="email" id="email" name="email" autocomplete="email" required maxlength="254"></div>
<button type="submit">${t.sendLink}</button></form>`));
    }
    const items = await listOwnConversations(req.ctx, customer);
    const zone = timeZoneOf(req, customer);
    return sendHtml(reply, portalPage(brand, lang, t.portalTitle, html`<h1>${t.portalTitle}</h1>
<p class="muted">${t.signedInAs(customer.email)}</p>
${items.length ? html`<table class="requests"><caption class="hp">${t.portalTitle}</caption><thead><tr><th scope="col">${t.request}</th><th scope="col">${t.status}</th><th scope="col">${t.lastActivity}</th></tr></thead><tbody>
${items.map((c) => html`<tr><td><a href="/portal/conversations/${c.id}?lang=${lang}">#${c.number} ${c.subject || c.lastMessagePreview.slice(0, 80)}</a></td><td>${badge(c.status, lang)}</td><td>${timeTag(c.lastActivityAt, lang, zone)}</td></tr>`)}
</tbody></table>` : html`<p>${t.noConversations}</p>`}
<form method="post" action="/portal/sign-out"><input type="hidden" name="lang" value="${lang}"><button type="submit" class="secondary">${t.signOut}</button></form>`, true));
  });

  app.post('/portal/sign-in', { config: { ...PUBLIC, rateLimit: perIp(5) }, schema: { hide: true } }, async (req, reply) => {
    if (!sameOrigin(req)) return reply.status(403).type('text/plain').send('Forbidden');
    const form = (req.body ?? {}) as Form;
    const { lang, brand } = await ctxOf(req, form.lang);
    await requestSignInLink(req.ctx, String(form.email ?? '').slice(0, 254), lang, brand.name);
    return reply.redirect(`/portal?lang=${lang}&sent=1`, 303);
  });

  // The emailed link opens a page with a button; only the POST uses the token (mail scanners only GET).
  app.get('/portal/auth', { config: PUBLIC, schema: { hide: true } }, async (req, reply) => {
    const { lang, t, brand } = await ctxOf(req);
    const token = String((req.query as { token?: string }).token ?? '').slice(0, 200);
    return sendHtml(reply.header('referrer-policy', 'no-referrer'), portalPage(brand, lang, t.confirmSignIn, html`<h1>${t.confirmSignIn}</h1><p>${t.confirmSignInIntro}</p>
<form method="post" action="/portal/auth"><input type="hidden" name="token" value="${token}"><input type="hidden" name="lang" value="${lang}"><button type="submit">${t.signIn}</button></form>`));
  });

  app.post('/portal/auth', { config: { ...PUBLIC, rateLimit: perIp(20) }, schema: { hide: true } }, async (req, reply) => {
    if (!sameOrigin(req)) return reply.status(403).type('text/plain').send('Forbidden');
    const form = (req.body ?? {}) as Form;
    const { lang, t, brand } = await ctxOf(req, form.lang);
    const session = form.token ? await consumeSignInLink(req.ctx, form.token) : null;
    if (!session) {
      return sendHtml(reply, portalPage(brand, lang, t.signInTitle, html`<h1>${t.signInTitle}</h1><p class="errors" role="alert">${t.linkInvalid}</p><p><a href="/portal?lang=${lang}">${t.sendLink}</a></p>`), 400);
    }
    reply.setCookie(PORTAL_COOKIE, session, {
      path: '/portal', httpOnly: true, sameSite: 'lax', secure: req.ctx.config.publicUrl.startsWith('https:'), maxAge: SESSION_TTL_MS / 1000,
    });
    return reply.redirect(`/portal?lang=${lang}`, 303);
  });

  app.post('/portal/sign-out', { config: PUBLIC, schema: { hide: true } }, async (req, reply) => {
    if (!sameOrigin(req)) return reply.status(403).type('text/plain').send('Forbidden');
    const token = req.cookies?.[PORTAL_COOKIE];
    if (token) await signOut(req.ctx, token);
    reply.clearCookie(PORTAL_COOKIE, { path: '/portal' });
    return reply.redirect(`/portal?lang=${(await ctxOf(req, ((req.body ?? {}) as Form).lang)).lang}`, 303);
  });

  app.get('/portal/conversations/:id', { config: PUBLIC, schema: { hide: true } }, async (req, reply) => {
    const customer = await guard(req, reply); if (!customer) return reply;
    const row = await ownConversation(req.ctx, customer, (req.params as { id: string }).id);
    if (!row) return notFound(req, reply);
    const { lang, t, brand } = await ctxOf(req);
    const [c] = await loadConversations(req.ctx.db.kysely, [row.id]);
    const thread = await customerThread(req.ctx, row.id);
    const q = req.query as { sent?: string; closed?: string };
    const zone = timeZoneOf(req, customer);
    const closed = c!.status === 'closed' || c!.status === 'resolved';
    return sendHtml(reply, portalPage(brand, lang, `#${c!.number} ${c!.subject}`, html`<p><a href="/portal?lang=${lang}">← ${t.back}</a></p>
<h1>#${c!.number} ${c!.subject}</h1><p>${t.status}: ${badge(c!.status, lang)}</p>
${q.sent ? html`<p class="success" role="status">${t.replySent}</p>` : ''}${q.closed ? html`<p class="success" role="status">${t.requestClosed}</p>` : ''}
<ol class="thread">${thread.map((m: TMessage) => html`<li class="${m.kind}"><span class="who">${m.kind === 'incoming' ? t.you : brand.name}</span> · ${timeTag(m.createdAt, lang, zone, 'datetime', 'muted')}
<p class="body">${m.text}</p>${m.attachments.length ? html`<ul>${m.attachments.map((a) => html`<li><a href="/portal/attachments/${a.id}">${a.filename}</a></li>`)}</ul>` : ''}</li>`)}</ol>
${closed ? html`<p class="notice">${t.closedNotice}</p>` : ''}
<form method="post" action="/portal/conversations/${row.id}/reply?lang=${lang}">
<div class="field"><label for="text">${t.reply}</label><textarea id="text" name="text" required maxlength="20000" rows="5"></textarea></div>
<div class="actions"><button type="submit">${t.sendReply}</button></div></form>
${c!.status !== 'closed' ? html`<form method="post" action="/portal/conversations/${row.id}/close?lang=${lang}" style="margin-top:16px"><button type="submit" class="secondary">${t.closeRequest}</button></form>` : ''}`, true));
  });

  app.post('/portal/conversations/:id/reply', { config: { ...PUBLIC, rateLimit: perIp(20) }, schema: { hide: true } }, async (req, reply) => {
    const customer = await guard(req, reply); if (!customer) return reply;
    const id = (req.params as { id: string }).id;
    const text = String(((req.body ?? {}) as Form).text ?? '').trim().slice(0, 20_000);
    const { lang } = await ctxOf(req);
    if (!(await ownConversation(req.ctx, customer, id))) return notFound(req, reply);
    if (text) await replyAsCustomer(req.ctx, customer, id, text);
    return reply.redirect(`/portal/conversations/${id}?lang=${lang}${text ? '&sent=1' : ''}`, 303);
  });

  app.post('/portal/conversations/:id/close', { config: { ...PUBLIC, rateLimit: perIp(20) }, schema: { hide: true } }, async (req, reply) => {
    const customer = await guard(req, reply); if (!customer) return reply;
    const id = (req.params as { id: string }).id;
    const { lang } = await ctxOf(req);
    if (!(await closeAsCustomer(req.ctx, customer, id))) return notFound(req, reply);
    return reply.redirect(`/portal/conversations/${id}?lang=${lang}&closed=1`, 303);
  });

  app.get('/portal/attachments/:id', { config: PUBLIC, schema: { hide: true } }, async (req, reply) => {
    const customer = await guard(req, reply); if (!customer) return reply;
    const a = await ownAttachment(req.ctx, customer, (req.params as { id: string }).id);
    if (!a) return notFound(req, reply);
    const inline = /^image\/(png|jpe?g|gif|webp)$/.test(a.contentType);
    return reply.type(a.contentType).header('content-disposition', `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(a.filename)}`)
      .header('x-content-type-options', 'nosniff').header('cache-control', 'private, no-store').send(a.data);
  });
};
