import { prepareEmail } from '../parse/prepare.ts';
import { serveParses } from '../parse/serve-parses.ts';

// A parse worker for the pool's tests: the real parser, except for messages carrying an X-Test-Parser
// header, which make it hang (an endless loop), throw, or exhaust the worker's memory.
const keep: unknown[] = [];
serveParses(async (raw) => {
  const mode = /^X-Test-Parser: (\w+)/m.exec(raw.subarray(0, 4096).toString('latin1'))?.[1];
  if (mode === 'hang') for (;;) { /* a parser stuck in a loop */ }
  if (mode === 'throw') throw new Error('parser bug');
  if (mode === 'oom') for (;;) keep.push(new Array(1_000_000).fill({ x: Math.random() }));
  return prepareEmail(raw);
});
