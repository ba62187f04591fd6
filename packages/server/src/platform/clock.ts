export type Clock = { now(): Date; iso(): string };

// Every statement of the hot paths stamps a time; within one millisecond the string is the same, so it is made once.
let lastMs = -1;
let lastIso = '';
const isoNow = () => {
  const ms = Date.now();
  if (ms !== lastMs) { lastMs = ms; lastIso = new Date(ms).toISOString(); }
  return lastIso;
};
export const systemClock: Clock = { now: () => new Date(), iso: isoNow };
export const fixedClock = (start: Date): Clock & { advance(ms: number): void } => {
  let t = start.getTime();
  return { now: () => new Date(t), iso: () => new Date(t).toISOString(), advance: (ms) => { t += ms; } };
};
