import type { Language } from '@careline/shared';

// Everything is stored in UTC and shown in the agent's own time zone and language.
const cache = new Map<string, Intl.DateTimeFormat>();
const fmt = (lang: string, tz: string, opts: Intl.DateTimeFormatOptions) => {
  const key = `${lang}|${tz}|${JSON.stringify(opts)}`;
  let f = cache.get(key);
  if (!f) { f = new Intl.DateTimeFormat(lang, { timeZone: tz, ...opts }); cache.set(key, f); }
  return f;
};

export const formatDateTime = (iso: string, lang: Language, tz: string) =>
  fmt(lang, tz, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

export const formatDate = (iso: string, lang: Language, tz: string) => fmt(lang, tz, { dateStyle: 'medium' }).format(new Date(iso));

export const formatTime = (iso: string, lang: Language, tz: string) => fmt(lang, tz, { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));

/** Today: time only; this year: day and month; else the full date. */
export const formatShort = (iso: string, lang: Language, tz: string, now = Date.now()) => {
  const d = new Date(iso);
  const day = (x: Date) => fmt('en-CA', tz, { year: 'numeric', month: '2-digit', day: '2-digit' }).format(x);
  if (day(d) === day(new Date(now))) return formatTime(iso, lang, tz);
  if (day(d).slice(0, 4) === day(new Date(now)).slice(0, 4)) return fmt(lang, tz, { day: 'numeric', month: 'short' }).format(d);
  return fmt(lang, tz, { dateStyle: 'medium' }).format(d);
};

const units = new Map<string, Intl.NumberFormat>();

/** Compact duration for "waiting 3h": m, h, d in the agent's language via Intl.NumberFormat units. */
export const formatDuration = (ms: number, lang: Language) => {
  const min = Math.max(0, Math.floor(ms / 60_000));
  const unit = (value: number, u: 'minute' | 'hour' | 'day') => {
    const key = `${lang}|${u}`;
    let f = units.get(key);
    if (!f) { f = new Intl.NumberFormat(lang, { style: 'unit', unit: u, unitDisplay: 'narrow' }); units.set(key, f); }
    return f.format(value);
  };
  if (min < 60) return unit(min, 'minute');
  if (min < 48 * 60) return unit(Math.floor(min / 60), 'hour');
  return unit(Math.floor(min / 1440), 'day');
};

/** A <input type="datetime-local"> value in the agent's time zone → UTC ISO. */
export const localInputToIso = (value: string, tz: string) => {
  const [date, time] = value.split('T');
  const [y, mo, d] = date!.split('-').map(Number) as [number, number, number];
  const [h, mi] = time!.split(':').map(Number) as [number, number];
  const guess = Date.UTC(y, mo - 1, d, h, mi);
  const offset = tzOffsetMs(guess, tz);
  return new Date(guess - offset).toISOString();
};

/** UTC instant → "YYYY-MM-DDTHH:mm" in the zone (for datetime-local inputs). */
export const isoToLocalInput = (iso: string, tz: string) => {
  const parts = Object.fromEntries(fmt('en-GB', tz, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
};

const tzOffsetMs = (utc: number, tz: string) => {
  const local = isoToLocalInput(new Date(utc).toISOString(), tz);
  const [date, time] = local.split('T');
  const [y, mo, d] = date!.split('-').map(Number) as [number, number, number];
  const [h, mi] = time!.split(':').map(Number) as [number, number];
  return Date.UTC(y, mo - 1, d, h, mi) - Math.floor(utc / 60_000) * 60_000;
};

/** The next day at 09:00 in the zone, and next Monday 09:00 (snooze presets). */
export const presetInZone = (tz: string, kind: 'tomorrow' | 'next_week', now = Date.now()) => {
  const today = isoToLocalInput(new Date(now).toISOString(), tz).slice(0, 10);
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const base = new Date(Date.UTC(y, m - 1, d));
  const add = kind === 'tomorrow' ? 1 : ((8 - base.getUTCDay()) % 7) || 7;
  base.setUTCDate(base.getUTCDate() + add);
  return localInputToIso(`${base.toISOString().slice(0, 10)}T09:00`, tz);
};
