import { WEEKDAYS, type TBusinessHours, type Weekday } from '@careline/shared';

// Opening hours in the business's own time zone (DST included), evaluated at an instant.

const partsAt = (tz: string, at: Date) => {
  const f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]));
  return {
    y: Number(p.year), m: Number(p.month), d: Number(p.day), h: Number(p.hour), mi: Number(p.minute), s: Number(p.second),
    weekday: p.weekday!.slice(0, 3).toLowerCase() as Weekday,
  };
};

/** Offset of tz from UTC at an instant, in ms. */
const offsetAt = (tz: string, at: Date) => {
  const p = partsAt(tz, at);
  return Date.UTC(p.y, p.m - 1, p.d, p.h, p.mi, p.s) - Math.floor(at.getTime() / 1000) * 1000;
};

/** The instant when the wall clock in tz shows this local date and time. */
const instantOf = (tz: string, y: number, m: number, d: number, minutes: number) => {
  const guess = Date.UTC(y, m - 1, d, 0, minutes);
  const first = guess - offsetAt(tz, new Date(guess));
  return new Date(guess - offsetAt(tz, new Date(first)));
};

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

const safeZone = (tz: string) => { try { new Intl.DateTimeFormat('en', { timeZone: tz }); return tz; } catch { return 'UTC'; } };

/** Whether the business is open at `at`, and if not, when it next opens (null if never within 8 days). */
export const businessHoursState = (hours: TBusinessHours, at: Date): { isOpen: boolean; opensAt: Date | null } => {
  const tz = safeZone(hours.timeZone);
  const now = partsAt(tz, at);
  const nowMin = now.h * 60 + now.mi;
  const today = hours.days[now.weekday] ?? [];
  if (today.some((i) => toMinutes(i.open) <= nowMin && nowMin < toMinutes(i.close))) return { isOpen: true, opensAt: null };
  const startIdx = WEEKDAYS.indexOf(now.weekday);
  for (let offset = 0; offset <= 7; offset++) {
    const day = WEEKDAYS[(startIdx + offset) % 7]!;
    const base = new Date(Date.UTC(now.y, now.m - 1, now.d + offset));
    const opens = (hours.days[day] ?? []).map((i) => toMinutes(i.open)).filter((o) => offset > 0 || o > nowMin).sort((a, b) => a - b);
    if (opens.length) return { isOpen: false, opensAt: instantOf(tz, base.getUTCFullYear(), base.getUTCMonth() + 1, base.getUTCDate(), opens[0]!) };
  }
  return { isOpen: false, opensAt: null };
};
