import type { TChatMessage, TWidgetArticle, TWidgetConfig, TWidgetIdentity, TWidgetPresence, TWidgetSession, TWidgetVisitor } from '../../shared/src/chat.ts';
import { createConnection, type Connection } from './connection.ts';
import { pickLanguage, TEXTS } from './i18n.ts';
import { css } from './styles.ts';

// The Careline chat widget. Embed with one tag:
//   <script src="https://careline.example.com/widget/careline.js" data-token="PUBLIC_TOKEN" async></script>
// Optional, before it: window.CarelineSettings = { language: 'pl', user: { userId, email, name, signature } }.
// Everything renders inside a Shadow DOM on a fixed-position host: the page's layout and styles are untouched.
// Visitor text is only ever set with textContent, never as HTML.

type Settings = { token?: string; language?: string; user?: TWidgetIdentity; open?: boolean };
type Problem = { code?: string; detail?: string };
type Api = { open(): void; close(): void; identify(user: TWidgetIdentity): Promise<void>; logout(): void; simulateDisconnect(): void };
declare global { interface Window { CarelineSettings?: Settings; Careline?: Api } }

const script = document.currentScript as HTMLScriptElement | null;

const h = <K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...kids: (Node | string | null | false)[]) => {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const k of kids) if (k) el.append(k);
  return el;
};

/** Text with http(s) links made clickable, built from text nodes only. */
const linkify = (text: string) => {
  const frag = document.createDocumentFragment();
  let at = 0;
  for (const m of text.matchAll(/https?:\/\/[^\s<>"']+/g)) {
    frag.append(text.slice(at, m.index));
    frag.append(h('a', { href: m[0], target: '_blank', rel: 'noopener noreferrer nofollow' }, m[0]));
    at = m.index! + m[0].length;
  }
  frag.append(text.slice(at));
  return frag;
};

const initials = (name: string) => name.split(/\s+/).filter(Boolean).slice(0, 2).map((p) => p[0]!.toUpperCase()).join('') || '?';
const CLIP_ICON = '<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><path fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" d="M21 11.5l-8.5 8.5a5 5 0 0 1-7-7L14 4.5a3.3 3.3 0 0 1 4.7 4.7l-8.6 8.6a1.7 1.7 0 0 1-2.3-2.3L16 7.3"/></svg>';
const CHAT_ICON = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"/></svg>';

const boot = async () => {
  if (!script?.src) return;
  const settings: Settings = { ...(window.CarelineSettings ?? {}) };
  const token = script.dataset.token ?? settings.token;
  if (!token) { console.warn('[careline] data-token is missing on the widget <script> tag'); return; }
  const base = new URL(script.src).origin;
  const storageKey = `careline:${token}`;
  const storage = (() => { try { localStorage.setItem('careline:probe', '1'); localStorage.removeItem('careline:probe'); return localStorage; } catch { return null; } })();

  const call = async <T>(method: string, path: string, body?: unknown, visitorToken?: string, form?: FormData): Promise<T> => {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (visitorToken) headers['x-careline-visitor'] = visitorToken;
    const res = await fetch(`${base}/widget-api${path}`, { method, headers, body: form ?? (body === undefined ? undefined : JSON.stringify(body)), credentials: 'omit' });
    const data = await res.json().catch(() => ({}));
    if (!res.ok) throw Object.assign(new Error((data as Problem).detail ?? `HTTP ${res.status}`), { code: (data as Problem).code });
    return data as T;
  };

  let config: TWidgetConfig;
  try { config = await call<TWidgetConfig>('GET', `/config?token=${encodeURIComponent(token)}`); } catch (e) {
    console.warn(`[careline] chat unavailable: ${(e as Error).message}`);
    return;
  }
  const lang = pickLanguage(script.dataset.lang ?? settings.language ?? (config.language === 'auto' ? undefined : config.language), navigator.languages ?? [navigator.language]);
  const t = TEXTS[lang];

  // ---- DOM: a fixed, zero-size host with a shadow root; nothing else on the page is touched.
  const host = h('div', { id: 'careline-widget', 'data-careline': '' });
  host.style.cssText = 'all:initial;position:fixed;bottom:0;right:0;width:0;height:0;z-index:2147483000;';
  const root = host.attachShadow({ mode: 'open' });
  const style = h('style');
  style.textContent = css(config.color, config.position);
  const dot = h('span', { class: 'dot' });
  const launcher = h('button', { class: 'launcher', 'aria-label': t.open, part: 'launcher' });
  launcher.innerHTML = CHAT_ICON; // a constant of ours, not visitor input
  launcher.append(dot);
  const status = h('p');
  const closeBtn = h('button', { class: 'x', 'aria-label': t.close }, '×');
  const head = h('div', { class: 'head' }, closeBtn, h('h2', {}, config.businessName), status);
  const banner = h('div', { class: 'banner', hidden: '' }, t.reconnecting);
  const list = h('div', { class: 'list', role: 'log', 'aria-live': 'polite' });
  const typingLine = h('div', { class: 'typing' });
  const input = h('textarea', { placeholder: t.placeholder, 'aria-label': t.placeholder, maxlength: String(config.limits.textMax), rows: '1' });
  const file = h('input', { type: 'file', hidden: '' });
  const attachBtn = h('button', { class: 'ic', 'aria-label': t.attach, title: t.attach });
  attachBtn.innerHTML = CLIP_ICON; // a constant of ours
  const sendBtn = h('button', { class: 'btn', 'aria-label': t.send }, t.send);
  const composer = h('div', { class: 'comp' }, attachBtn, file, input, sendBtn);
  const errorLine = h('div', { class: 'err', role: 'alert' });
  const transcriptBtn = h('button', {}, t.transcript);
  const foot = h('div', { class: 'foot' }, transcriptBtn, h('span', {}, t.poweredBy));
  const panel = h('div', { class: 'panel', role: 'dialog', 'aria-label': config.businessName }, head, banner, list, typingLine, errorLine, composer, foot);
  root.append(style, launcher, panel);
  document.body.append(host);

  // ---- state
  let presence: TWidgetPresence = config.presence;
  let visitorToken = storage?.getItem(storageKey) ?? null;
  let visitor: TWidgetVisitor | null = null;
  let conn: Connection | null = null;
  let isOpen = false;
  let agentTyping: string | null = null;
  let articles: TWidgetArticle[] = [];
  let notice = '';
  let readSent: string | null = null;
  let typingSent = 0;

  const showError = (msg: string) => { errorLine.textContent = msg; };
  const fmtBack = (iso: string) => new Intl.DateTimeFormat(lang, { weekday: 'short', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));

  const renderHead = () => {
    dot.className = `dot${presence.isOnline ? ' on' : ''}`;
    status.textContent = presence.isOnline ? t.online : presence.backAt ? `${t.offline} · ${t.backAt(fmtBack(presence.backAt))}` : t.offline;
  };

  const bubble = (m: { kind: string; text: string; attachments?: TChatMessage['attachments'] }, agentName?: string) => {
    const b = h('div', { class: 'bub' }, linkify(m.text));
    for (const a of m.attachments ?? []) {
      const url = new URL(a.url, base).toString();
      if (/^image\/(png|jpe?g|gif|webp)$/.test(a.contentType)) b.append(h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, h('img', { src: url, alt: a.filename })));
      else b.append(h('div', {}, h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, a.filename)));
    }
    const me = m.kind === 'incoming';
    return h('div', { class: `row${me ? ' me' : ''}`, 'data-kind': m.kind }, !me && h('div', { class: 'av', title: agentName ?? '' }, initials(agentName ?? config.businessName)), b);
  };

  const needsPreChat = () => config.preChatForm.enabled && !visitor?.hasConversation && !(visitor?.email || visitor?.name)
    && !(conn && conn.messages().length);

  const card = (...kids: (Node | string)[]) => h('div', { class: 'card' }, ...kids);

  // The pre-chat form is built once: the list re-renders on every socket event and must not wipe what is typed.
  const preName = h('input', { placeholder: t.name, 'aria-label': t.name, autocomplete: 'name' });
  const preEmail = h('input', { placeholder: t.email, 'aria-label': t.email, type: 'email', autocomplete: 'email' });
  const preGo = h('button', { class: 'btn' }, t.start);
  const preChat = card(h('strong', {}, t.preChatTitle), preName, preEmail, preGo);
  preGo.onclick = () => void (async () => {
    const name = preName.value.trim();
    const email = preEmail.value.trim();
    if (config.preChatForm.requireEmail && !email.includes('@')) { showError(t.email); return; }
    if (config.preChatForm.requireName && !name) { showError(t.name); return; }
    showError('');
    await startSession({ ...(name ? { name } : {}), ...(email ? { email } : {}) });
    render();
  })().catch((e) => showError((e as Error).message));

  // The offline email form is made once and moved into each re-render (like the pre-chat form): rebuilt on every
  // event, a click or a keystroke that landed while the socket connected went to a button already replaced.
  const emailInput = h('input', { placeholder: t.emailPlaceholder, 'aria-label': t.email, type: 'email', autocomplete: 'email' }) as HTMLInputElement;
  const saveEmailBtn = h('button', { class: 'btn' }, t.save);
  saveEmailBtn.onclick = () => void (async () => {
    await ensureSession();
    visitor = await call<TWidgetVisitor>('POST', '/email', { email: emailInput.value.trim() }, visitorToken!);
    notice = t.emailSaved(visitor.email ?? '');
    render();
  })().catch((e) => showError((e as Error).message));
  let emailHadFocus = false;

  const renderList = () => {
    emailHadFocus = root.activeElement === emailInput;
    list.replaceChildren();
    if (config.greeting) list.append(h('div', { class: 'row greet' }, h('div', { class: 'av' }, initials(config.businessName)), h('div', { class: 'bub' }, linkify(config.greeting))));
    if (needsPreChat()) {
      list.append(preChat);
      composer.hidden = true;
      return;
    }
    composer.hidden = false;
    const messages = conn?.messages() ?? [];
    let lastMine: { m: TChatMessage; row: HTMLElement } | undefined;
    for (const m of messages) {
      if (m.kind === 'outgoing') list.append(h('div', { class: 'who' }, m.author.name));
      const row = bubble(m, m.author.name);
      list.append(row);
      if (m.kind === 'incoming') lastMine = { m, row };
    }
    if (lastMine?.m.deliveryState === 'read') lastMine.row.after(h('div', { class: 'meta' }, t.seen));
    for (const p of conn?.pending() ?? []) {
      const row = bubble({ kind: 'incoming', text: p.text });
      row.style.opacity = '0.6';
      list.append(row);
      if (p.failed) { const f = h('div', { class: 'meta fail' }, t.failed); f.onclick = () => conn?.retry(p.clientId); list.append(f); }
    }
    if (!presence.isOnline && !visitor?.email) {
      list.append(card(h('strong', {}, presence.backAt ? `${t.offline} · ${t.backAt(fmtBack(presence.backAt))}` : t.offline), t.offlineAsk, emailInput, saveEmailBtn));
      if (emailHadFocus) emailInput.focus();
    }
    if (articles.length) {
      list.append(card(h('strong', {}, t.articles), ...articles.map((a) => h('div', {}, h('a', { href: new URL(a.url, base).toString(), target: '_blank', rel: 'noopener noreferrer' }, a.title), a.snippet ? h('div', { class: 'meta' }, a.snippet) : null))));
    }
    if (notice) list.append(h('div', { class: 'meta' }, notice));
    list.scrollTop = list.scrollHeight;
    // Read receipt for the newest agent message, while the chat is open and the tab visible.
    const lastAgent = [...messages].reverse().find((m) => m.kind === 'outgoing');
    if (isOpen && document.visibilityState === 'visible' && lastAgent && lastAgent.deliveryState !== 'read' && readSent !== lastAgent.id && conn?.isReady()) {
      readSent = lastAgent.id;
      conn.read(lastAgent.id);
    }
  };

  const render = () => {
    renderHead();
    panel.classList.toggle('open', isOpen);
    launcher.setAttribute('aria-label', isOpen ? t.close : t.open);
    typingLine.textContent = agentTyping ? t.typing(agentTyping) : '';
    if (isOpen) renderList();
  };

  // Session starts run one after another (opening the panel, the pre-chat form, identify()): each sends the visitor
  // token the previous one got. Raced, two replies named two visitors and the slower one won — the widget switched
  // to an unnamed visitor and brought the pre-chat form back.
  let sessionQueue: Promise<unknown> = Promise.resolve();
  const startSession = (extra: { name?: string; email?: string } = {}) => {
    const run = sessionQueue.catch(() => {}).then(() => requestSession(extra));
    sessionQueue = run;
    return run;
  };
  const requestSession = async (extra: { name?: string; email?: string }) => {
    const s = await call<TWidgetSession>('POST', '/sessions', {
      token, language: lang, ...(visitorToken ? { visitorToken } : {}), ...(settings.user ? { identity: settings.user } : {}), ...extra,
    });
    visitor = s.visitor;
    if (s.visitorToken !== visitorToken) {
      visitorToken = s.visitorToken;
      storage?.setItem(storageKey, visitorToken);
      conn?.close();
      conn = null;
    }
    if (!conn) {
      conn = createConnection(`${base.replace(/^http/, 'ws')}/widget-api/socket`, visitorToken, {
        onMessages: render,
        onTyping: (name) => { agentTyping = name; render(); },
        onPresence: (p) => { presence = p; render(); },
        onState: (up) => { banner.hidden = up; if (up) showError(''); },
        onVisitor: (v) => { visitor = newerVisitor(visitor, v); },
        onError: (code, detail) => {
          if (code === 'UNAUTHENTICATED') { storage?.removeItem(storageKey); visitorToken = null; conn = null; }
          showError(detail);
        },
      });
    }
  };
  // The socket's 'ready' carries the visitor as the server read it at hello, which can be older than a session reply
  // that arrived first (the pre-chat form's name and email): a snapshot never takes back what this page already has.
  const newerVisitor = (known: TWidgetVisitor | null, v: TWidgetVisitor): TWidgetVisitor => (!known || known.id !== v.id ? v : {
    ...v, name: v.name || known.name, email: v.email ?? known.email,
    isIdentified: v.isIdentified || known.isIdentified, hasConversation: v.hasConversation || known.hasConversation,
  });
  let starting: Promise<void> | null = null;
  const ensureSession = () => (conn ? Promise.resolve() : (starting ??= startSession().finally(() => { starting = null; })));

  const sendText = async () => {
    const text = input.value.trim();
    if (!text) return;
    if (text.length > config.limits.textMax) { showError(t.tooLong(config.limits.textMax)); return; }
    showError('');
    input.value = '';
    await ensureSession();
    conn!.send(text);
    conn!.typing(false);
    typingSent = 0;
    if (!presence.isOnline) {
      articles = (await call<{ items: TWidgetArticle[] }>('GET', `/articles?token=${encodeURIComponent(token)}&lang=${lang}&q=${encodeURIComponent(text.slice(0, 300))}`).catch(() => ({ items: [] }))).items;
      render();
    }
  };

  launcher.onclick = () => {
    isOpen = !isOpen;
    render();
    if (isOpen) { void ensureSession().then(render).catch((e) => showError((e as Error).message)); input.focus(); }
  };
  closeBtn.onclick = () => { isOpen = false; render(); };
  sendBtn.onclick = () => void sendText().catch((e) => showError((e as Error).message));
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); sendBtn.click(); } });
  input.addEventListener('input', () => {
    if (conn && Date.now() - typingSent > 2000) { typingSent = Date.now(); conn.typing(true); }
  });
  input.addEventListener('blur', () => { if (typingSent) { typingSent = 0; conn?.typing(false); } });
  attachBtn.onclick = () => file.click();
  file.onchange = () => void (async () => {
    const f = file.files?.[0];
    file.value = '';
    if (!f) return;
    if (f.size > config.limits.attachmentBytes) { showError(t.tooBig); return; }
    await ensureSession();
    const form = new FormData();
    form.append('file', f);
    const att = await call<{ id: string }>('POST', '/attachments', undefined, visitorToken!, form);
    conn!.send(input.value.trim(), [att.id]);
    input.value = '';
  })().catch((e) => showError((e as Error).message));
  transcriptBtn.onclick = () => void (async () => {
    await ensureSession();
    const email = visitor?.email ?? prompt(t.email) ?? '';
    if (!email) return;
    const r = await call<{ email: string }>('POST', '/transcript', { email }, visitorToken!);
    notice = t.transcriptSent(r.email);
    render();
  })().catch((e) => showError((e as Error).message));
  document.addEventListener('visibilitychange', () => { if (isOpen) render(); });

  window.Careline = {
    open: () => { if (!isOpen) launcher.click(); },
    close: () => { isOpen = false; render(); },
    /** After sign-in on the host site: switch to the verified user (history follows them across devices). */
    identify: async (user: TWidgetIdentity) => { settings.user = user; await startSession(); render(); },
    /** After sign-out: forget the visitor on this browser. */
    logout: () => { conn?.close(); conn = null; visitor = null; visitorToken = null; storage?.removeItem(storageKey); settings.user = undefined; render(); },
    /** Drops the socket as a network failure would (the widget reconnects and catches up). */
    simulateDisconnect: () => conn?.drop(),
  };

  render();
  // A returning visitor (or a signed-in user) reconnects at once: history and live replies without a click.
  if (visitorToken || settings.user) await ensureSession().then(render).catch((e) => console.warn(`[careline] ${(e as Error).message}`));
  if (settings.open) window.Careline.open();
};

void boot();
