import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { composeMail } from '../testing/mail.ts';
import { CORPUS } from '../testing/corpus.ts';
import os from 'node:os';
import { closeSharedParsePool, createParsePool, prepareInPool, sharedParsePoolSize } from './parse-pool.ts';
import { prepareEmail, resolveCids } from './prepare.ts';

const hostileWorker = new URL('../testing/hostile-parse-worker.ts', import.meta.url);
const pools: ReturnType<typeof createParsePool>[] = [];
const pool = (opts: Parameters<typeof createParsePool>[0]) => { const p = createParsePool(opts); pools.push(p); return p; };
afterAll(async () => { await Promise.all(pools.map((p) => p.close())); });

const mail = (subject: string, headers: Record<string, string> = {}) =>
  composeMail({ from: 'Rita <rita@example.com>', to: 'support@acme.test', subject, text: `Body of ${subject}`, headers });

describe('parse worker pool', () => {
  it('gives the same result as parsing in this thread, attachments and inline images included', async () => {
    const p = pool({ size: 2 });
    const files = ['chatwoot/mail_with_inline_images.eml', 'chatwoot/multiple_attachments.eml', 'zammad/mail003.box', 'mailparser/nested.eml']
      .map((f) => path.join(CORPUS, f)).filter((f) => fs.existsSync(f));
    expect(files.length).toBeGreaterThan(2);
    const raws = files.map((f) => fs.readFileSync(f));
    const [inWorkers, here] = await Promise.all([Promise.all(raws.map((r) => p.prepare(r))), Promise.all(raws.map((r) => prepareEmail(r)))]);
    // The raw text and HTML bodies stay in the worker (they were rendered into `body` there); all else is the same.
    expect(inWorkers).toEqual(here.map((r) => ({ ...r, mail: { ...r.mail, text: '', html: null } })));
    expect(inWorkers.some((r) => r.mail.attachments.some((a) => a.content.length < 4096)), 'a small (pooled) attachment crossed too').toBe(true);
    for (const r of inWorkers) for (const a of r.mail.attachments) expect(Buffer.isBuffer(a.content)).toBe(true);
    const inline = inWorkers.find((r) => r.mail.attachments.some((a) => a.isInline));
    expect(inline, 'a corpus message with an inline image').toBeDefined();
    const urls = inline!.mail.attachments.map((_, i) => `/api/v1/attachments/a${i}`);
    const html = resolveCids(inline!.body.html, urls)!;
    const i = inline!.mail.attachments.findIndex((a) => a.isInline);
    expect(html).toContain(`src="/api/v1/attachments/a${i}"`);
    expect(html).not.toContain('careline.invalid');
  });

  it('the shared pool has a worker per core (at most 4) unless EMAIL_PARSE_WORKERS says how many', async () => {
    await closeSharedParsePool();
    expect((await prepareInPool(await mail('default size'))).mail.subject).toBe('default size');
    expect(sharedParsePoolSize()).toBe(Math.min(4, os.availableParallelism()));
    await closeSharedParsePool();
    expect(sharedParsePoolSize()).toBeNull();
    expect((await prepareInPool(await mail('three workers'), 3)).mail.subject).toBe('three workers');
    expect(sharedParsePoolSize()).toBe(3);
    await closeSharedParsePool();
  });

  it.runIf(process.platform === 'linux')('parses at a lower priority than the main thread (nice 10 on the worker thread only)', async () => {
    const niceOfThreads = () => fs.readdirSync('/proc/self/task').map((tid) => {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]); // field 19: nice
    });
    const before = niceOfThreads().filter((n) => n === 10).length;
    const p = pool({ size: 1 });
    expect((await p.prepare(await mail('niced'))).mail.subject).toBe('niced');
    expect(niceOfThreads().filter((n) => n === 10).length).toBe(before + 1);
    expect(Number(fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ')[16])).toBe(0); // the main thread keeps its priority
  });

  it('waits for a parse in flight but never keeps an idle process alive', () => {
    const script = fileURLToPath(new URL('../testing/pool-exit-check.ts', import.meta.url));
    const r = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 30_000 });
    expect(r.signal, 'the process had to be killed: the pool kept it alive').toBeNull();
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('hello from the pool');
  });

  it('answers a hung parse with the best-effort result and a warning, and parses the messages queued behind it', async () => {
    const p = pool({ size: 1, timeoutMs: 1500, workerFile: hostileWorker });
    const [hung, next, after] = await Promise.all([
      p.prepare(await mail('Stuck parser', { 'X-Test-Parser': 'hang' })),
      p.prepare(await mail('Queued behind it')),
      p.prepare(await mail('Later still')),
    ]);
    expect(hung.mail.warnings.join()).toMatch(/parse timed out/);
    expect(hung.mail.subject).toBe('Stuck parser');
    expect(hung.mail.from?.address).toBe('rita@example.com');
    expect(next.mail.warnings).toEqual([]);
    expect(next.body.text).toBe('Body of Queued behind it');
    expect(after.body.text).toBe('Body of Later still');
  });

  it('answers a parse that throws or runs its worker out of memory with the fallback, and keeps going', async () => {
    const p = pool({ size: 1, timeoutMs: 20_000, workerFile: hostileWorker, maxOldGenerationMb: 48 });
    const thrown = await p.prepare(await mail('Parser bug', { 'X-Test-Parser': 'throw' }));
    expect(thrown.mail.warnings).toEqual(['unparseable: parser bug']);
    expect(thrown.mail.subject).toBe('Parser bug');
    const [oom, fine] = await Promise.all([p.prepare(await mail('Memory hog', { 'X-Test-Parser': 'oom' })), p.prepare(await mail('Fine after the crash'))]);
    expect(oom.mail.warnings.join()).toMatch(/unparseable: the parser (crashed|exited)/);
    expect(oom.mail.subject).toBe('Memory hog');
    expect(fine.body.text).toBe('Body of Fine after the crash');
    expect(fine.mail.warnings).toEqual([]);
  });
});
