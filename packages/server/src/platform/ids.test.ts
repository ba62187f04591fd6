import { describe, expect, it } from 'vitest';
import { newId } from './ids.ts';
import { systemClock } from './clock.ts';

describe('ids', () => {
  it('are UUIDv7, unique and increasing in the order they were made (several pool refills)', () => {
    const ids = Array.from({ length: 5000 }, () => newId());
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    // The leading 48 bits are the creation time in ms.
    expect(Math.abs(parseInt(ids.at(-1)!.replace(/-/g, '').slice(0, 12), 16) - Date.now())).toBeLessThan(5000);
  });
});

describe('system clock', () => {
  it('gives the current time as ISO 8601 UTC, moving with the real clock', async () => {
    const a = systemClock.iso();
    expect(Math.abs(Date.parse(a) - Date.now())).toBeLessThan(50);
    await new Promise((r) => setTimeout(r, 5));
    expect(systemClock.iso() > a).toBe(true);
    expect(systemClock.iso()).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });
});
