export type Clock = { now(): Date; iso(): string };
export const systemClock: Clock = { now: () => new Date(), iso: () => new Date().toISOString() };
export const fixedClock = (start: Date): Clock & { advance(ms: number): void } => {
  let t = start.getTime();
  return { now: () => new Date(t), iso: () => new Date(t).toISOString(), advance: (ms) => { t += ms; } };
};
