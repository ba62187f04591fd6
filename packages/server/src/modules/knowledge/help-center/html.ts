import type { Language } from '@careline/shared';
import type { Brand } from '../settings.ts';
import { T, LANGUAGE_NAMES } from './i18n.ts';

// Server-rendered pages of the help center, web form and portal: every interpolated value is escaped
// unless it is explicitly raw() (already sanitised article HTML, or another html`` fragment).

export type Raw = { readonly __html: string };
export const raw = (s: string): Raw => ({ __html: s });
export const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const render = (v: unknown): string => {
  if (v === null || v === undefined || v === false) return '';
  if (Array.isArray(v)) return v.map(render).join('');
  if (typeof v === 'object' && '__html' in (v as object)) return (v as Raw).__html;
  return esc(String(v));
};
export const html = (strings: TemplateStringsArray, ...values: unknown[]): Raw => {
  let out = strings[0]!;
  values.forEach((v, i) => { out += render(v) + strings[i + 1]; });
  return raw(out);
};

export type PageOptions = {
  lang: Language; title: string; brand: Brand; body: Raw; description?: string;
  canonical?: string; alternates?: { lang: Language; href: string }[]; noindex?: boolean;
  /** Links of the language switcher (default: the same page in each language is unknown, so each home). */
  switcher?: { lang: Language; href: string }[];
  homeHref?: string; scripts?: string[];
  /** The page has timeTag()s: load the script that shows UTC ones in the reader's zone. */
  showsTimes?: boolean; section?: 'help' | 'contact' | 'portal';
};

export const page = (o: PageOptions) => {
  const t = T[o.lang];
  const switcher = o.switcher ?? (['en', 'vi', 'pl'] as const).map((l) => ({ lang: l, href: `/help/${l}` }));
  const home = o.homeHref ?? `/help/${o.lang}`;
  const doc = html`<!doctype html>
<html lang="${o.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title}</title>
${o.description ? html`<meta name="description" content="${o.description}">` : ''}
${o.noindex ? html`<meta name="robots" content="noindex">` : ''}
${o.canonical ? html`<link rel="canonical" href="${o.canonical}">` : ''}
${(o.alternates ?? []).map((a) => html`<link rel="alternate" hreflang="${a.lang}" href="${a.href}">\n`)}
<link rel="stylesheet" href="/help/assets/help.css">
${[...(o.showsTimes ? [TZ_SCRIPT] : []), ...(o.scripts ?? [])].map((s) => html`<script src="${s}" defer></script>`)}
</head>
<body style="--brand: ${o.brand.color}">
<a class="skip" href="#main">${t.skipToContent}</a>
<header class="top">
  <div class="wrap top-inner">
    <a class="brand" href="${home}">${o.brand.logoUrl ? html`<img src="${o.brand.logoUrl}" alt="" height="28">` : ''}<span>${o.brand.name}</span></a>
    <nav aria-label="${t.mainNav}">
      <a href="/help/${o.lang}"${o.section === 'help' ? raw(' aria-current="page"') : ''}>${t.helpCenter}</a>
      ${o.brand.contactPath ? html`<a href="${o.brand.contactPath}?lang=${o.lang}"${o.section === 'contact' ? raw(' aria-current="page"') : ''}>${t.contactUs}</a>` : ''}
      <a href="/portal?lang=${o.lang}"${o.section === 'portal' ? raw(' aria-current="page"') : ''}>${t.myRequests}</a>
    </nav>
    <nav class="langs" aria-label="${t.language}">
      <ul>${switcher.map((s) => html`<li><a href="${s.href}" hreflang="${s.lang}" lang="${s.lang}"${s.lang === o.lang ? raw(' aria-current="true"') : ''}>${LANGUAGE_NAMES[s.lang]}</a></li>`)}</ul>
    </nav>
  </div>
</header>
<main id="main" class="wrap" tabindex="-1">
${o.body}
</main>
<footer class="wrap foot"><p>© ${o.brand.name}</p></footer>
</body>
</html>`;
  return doc.__html;
};

// Times in the reader's time zone. Pages show each time as <time datetime="<UTC ISO>">, rendered on the server
// in the zone we know (a signed-in contact's stored zone, else the browser's zone from the TZ_COOKIE that
// /help/assets/tz.js sets), else in UTC, marked data-local so that script shows it in the browser's zone.
// Without JavaScript and without a stored zone, the reader sees UTC, labelled as such.

export const TZ_COOKIE = 'careline_tz';
const TZ_SCRIPT = '/help/assets/tz.js';

const isTimeZone = (zone: string) => {
  try { new Intl.DateTimeFormat('en', { timeZone: zone }); return true; } catch { return false; }
};
/** The first valid IANA time zone among the candidates, or null when none is known. */
export const pickTimeZone = (...candidates: (string | null | undefined)[]): string | null =>
  candidates.find((z): z is string => typeof z === 'string' && z.length > 0 && z.length <= 64 && isTimeZone(z)) ?? null;

/** How each kind of time reads (the options travel in data-local, so tz.js formats the same way). */
export const TIME_FORMATS = {
  datetime: { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' },
  date: { year: 'numeric', month: 'long', day: 'numeric' },
} as const satisfies Record<string, Intl.DateTimeFormatOptions>;

/** A time as `<time datetime="…Z">` shown in `timeZone` (null: in UTC, for tz.js to show in the browser's zone). */
export const timeTag = (iso: string, lang: Language, timeZone: string | null, kind: keyof typeof TIME_FORMATS = 'datetime', className?: string): Raw => {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return html`<time>${iso}</time>`;
  const text = new Intl.DateTimeFormat(lang, { ...TIME_FORMATS[kind], timeZone: timeZone ?? 'UTC' }).format(date);
  return html`<time${className ? html` class="${className}"` : ''} datetime="${date.toISOString()}"${timeZone ? '' : html` data-local="${JSON.stringify(TIME_FORMATS[kind])}"`}>${text}</time>`;
};

/** The customer's language: an explicit choice, else the browser's Accept-Language, else the fallback. */
export const negotiateLanguage = (explicit: unknown, acceptLanguage: string | undefined, fallback: Language): Language => {
  if (explicit === 'en' || explicit === 'vi' || explicit === 'pl') return explicit;
  const prefs = (acceptLanguage ?? '').split(',').map((p) => {
    const [tag, ...params] = p.trim().split(';');
    const q = Number(params.find((x) => x.trim().startsWith('q='))?.split('=')[1] ?? 1);
    return { lang: tag!.toLowerCase().slice(0, 2), q: Number.isFinite(q) ? q : 0 };
  }).sort((a, b) => b.q - a.q);
  return (prefs.find((p) => p.lang === 'en' || p.lang === 'vi' || p.lang === 'pl')?.lang as Language | undefined) ?? fallback;
};
