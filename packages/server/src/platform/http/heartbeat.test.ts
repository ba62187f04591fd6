import { describe, expect, it } from 'vitest';
import { createHeartbeat } from './heartbeat.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('heartbeat', () => {
  it('visits every member once per period, a slice at a time, and forgets members that left', async () => {
    const turns: number[][] = [];
    let current: number[] = [];
    // One timer callback visits one slice synchronously: a microtask after its first visit closes the turn.
    const visit = (n: number) => {
      if (!current.length) queueMicrotask(() => { turns.push(current); current = []; });
      current.push(n);
    };
    const beat = createHeartbeat<number>(400, visit, 4); // a slice every 100 ms
    for (let i = 0; i < 40; i++) beat.add(i);
    beat.add(0); // adding twice changes nothing
    beat.delete(39);
    await sleep(850);
    beat.stop();
    const seen = turns.flat();
    // A slice per turn (40 members in 4 slices, one left), never everyone at once.
    for (const t of turns) expect(t.length).toBeLessThanOrEqual(10);
    expect(turns.length).toBeGreaterThanOrEqual(4);
    for (let i = 0; i < 39; i++) expect(seen.filter((n) => n === i).length).toBeGreaterThanOrEqual(1);
    expect(seen).not.toContain(39);
    const firstPeriod = turns.slice(0, 4).flat();
    expect(new Set(firstPeriod).size).toBe(firstPeriod.length);
    expect(firstPeriod.length).toBe(39);
  });
});
