import { createHash } from 'node:crypto';
import { ImapFlow } from 'imapflow';
import type { Deps } from '../../../platform/context.ts';
import { fromJson, toJson } from '../../../db/dialect.ts';
import { PermanentJobError } from '../../../platform/jobs/job-queue.ts';
import type { TBackfillProgress } from '@careline/shared';
import * as repo from './email.repo.ts';
import { EMAIL_SETTINGS_CHANNEL, loadChannel, type Channel } from './operations/settings.ts';
import { ingestMail } from './operations/ingest-mail.ts';
import { prepareInPool } from './parse/parse-pool.ts';
import { setImapConnected } from './operations/health.ts';
import { accessTokenFor } from './oauth.ts';

/**
 * IMAP fetching: one connection per inbox, IDLE where the server offers it and polling otherwise.
 * New mail is found by UID (above the last one seen, per UIDVALIDITY) and by \Unseen, so a message a
 * person opened in webmail before we fetched it is not missed. A message is flagged \Seen (or moved)
 * only after it is committed. A failing connection is retried with back-off, forever.
 */
type ImapState = { uidValidity?: string; lastUid?: number };
/** Messages fetched, parsed and flagged together. */
const FETCH_CHUNK = 10;

/**
 * A mailbox's messages, chunk by chunk: the chunk's sources in one FETCH, the new ones all parsed in the worker
 * pool at once (bytes already stored are not parsed again: ingestMail answers them as duplicates first).
 * The caller stores them in mailbox order, so a reply never overtakes the message it answers.
 */
async function* fetchChunks(deps: Deps, client: ImapFlow, inboxId: string, uids: number[]) {
  for (let i = 0; i < uids.length; i += FETCH_CHUNK) {
    const chunk = uids.slice(i, i + FETCH_CHUNK);
    const sources = new Map<number, { raw: Buffer; sha256: string }>();
    for await (const msg of client.fetch(chunk.join(','), { source: true, uid: true }, { uid: true })) {
      if (msg.source) sources.set(msg.uid, { raw: msg.source, sha256: createHash('sha256').update(msg.source).digest('hex') });
    }
    const stored = await repo.storedSha256s(deps.db.kysely, inboxId, [...sources.values()].map((x) => x.sha256));
    yield chunk.map((uid) => {
      const source = sources.get(uid);
      return { uid, raw: source?.raw ?? null, prepared: source && !stored.has(source.sha256) ? prepareInPool(source.raw, deps.config.EMAIL_PARSE_WORKERS) : undefined };
    });
  }
}

/** The mail server's own words, not a stack trace. */
export const imapErrorText = (e: unknown) => {
  const err = e as { responseText?: string; response?: string; message?: string; code?: string; authenticationFailed?: boolean };
  const words = err.responseText || err.response || err.message || String(e);
  return `${err.authenticationFailed ? 'Authentication failed: ' : ''}${words}${err.code && !words.includes(err.code) ? ` (${err.code})` : ''}`.slice(0, 1000);
};

export const connectImap = async (deps: Deps, channel: Channel) => {
  const imap = channel.config.imap;
  if (!imap) throw new PermanentJobError('IMAP is not configured for this inbox.');
  if (channel.secretsError) throw new Error(channel.secretsError);
  const open = async (forceRefresh: boolean) => {
    const auth = imap.auth === 'oauth2'
      ? { user: imap.user, accessToken: await accessTokenFor(deps, channel, { force: forceRefresh }) }
      : { user: imap.user, pass: channel.secrets.imapPassword ?? '' };
    const client = new ImapFlow({
      host: imap.host, port: imap.port, secure: imap.secure, auth, logger: false,
      tls: { rejectUnauthorized: imap.isTlsVerified }, connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 5 * 60_000,
      maxIdleTime: 4 * 60_000, autoIdleDelay: 1000,
    });
    client.on('error', () => { /* surfaced through the failing command / 'close' */ });
    await client.connect();
    return client;
  };
  try {
    return await open(false);
  } catch (error) {
    // An access token the server no longer takes (revoked, or expired earlier than it said): refresh once and retry.
    if (imap.auth !== 'oauth2' || !(error as { authenticationFailed?: boolean }).authenticationFailed) throw error;
    return open(true);
  }
};

/** Fetches what is new, commits each message, then flags it. Returns how many were stored. */
export const fetchNewMail = async (deps: Deps, client: ImapFlow, channel: Channel) => {
  const imap = channel.config.imap!;
  const lock = await client.getMailboxLock(imap.mailbox);
  let stored = 0;
  try {
    const mailbox = client.mailbox;
    const uidValidity = mailbox && typeof mailbox === 'object' ? String(mailbox.uidValidity) : '';
    const row = await repo.getChannelRow(deps.db.kysely, channel.inboxId);
    let state = fromJson<ImapState>(row?.imap_state ?? null, {});
    if (state.uidValidity !== uidValidity) state = { uidValidity };
    const unseen = (await client.search({ seen: false }, { uid: true })) || [];
    const above = state.lastUid ? (await client.search({ uid: `${state.lastUid + 1}:*` }, { uid: true })) || [] : [];
    const uids = [...new Set([...unseen, ...above])].filter((u) => !state.lastUid || u > state.lastUid || unseen.includes(u)).sort((a, b) => a - b);
    for await (const messages of fetchChunks(deps, client, channel.inboxId, uids)) {
      const committed: number[] = [];
      for (const { uid, raw, prepared } of messages) {
        if (!raw) continue;
        try {
          const r = await ingestMail(deps, { inboxId: channel.inboxId, raw, source: 'imap', prepared });
          if (r.status === 'stored') stored++;
          committed.push(uid);
        } catch (error) {
          // Left unseen; the next round tries again. Never blocks the messages behind it.
          deps.log.error({ err: error, inboxId: channel.inboxId, uid }, 'email: storing an IMAP message failed');
          await deps.db.transaction(({ tx }) => repo.recordError(tx, channel.inboxId, `Storing message UID ${uid} failed: ${(error as Error).message}`, deps.clock.iso()));
        }
      }
      if (committed.length) {
        const set = committed.join(',');
        if (imap.afterImport === 'move' && imap.moveTo) await client.messageMove(set, imap.moveTo, { uid: true });
        else await client.messageFlagsAdd(set, ['\\Seen'], { uid: true });
        state.lastUid = Math.max(state.lastUid ?? 0, ...committed);
      }
    }
    await deps.db.transaction(({ tx }) => tx.updateTable('email_channels')
      .set({ imap_state: toJson(state), last_fetch_at: deps.clock.iso() }).where('inbox_id', '=', channel.inboxId).execute());
  } finally {
    lock.release();
  }
  return stored;
};

const backoffMs = (attempt: number) => Math.min(5 * 60_000, 1000 * 2 ** attempt) * (0.8 + Math.random() * 0.4);

/** The long-running fetcher of one inbox. Resolves when stopped. */
const runFetcher = (deps: Deps, inboxId: string) => {
  let stopped = false;
  let wake: (() => void) | null = null;
  let client: ImapFlow | null = null;
  const sleep = (ms: number) => new Promise<void>((resolve) => {
    const t = setTimeout(() => { wake = null; resolve(); }, ms);
    wake = () => { clearTimeout(t); wake = null; resolve(); };
  });

  const done = (async () => {
    let attempt = 0;
    while (!stopped) {
      try {
        const channel = await loadChannel(deps.db.kysely, inboxId, deps.config);
        if (!channel.config.imap || !channel.config.isImapInbound) return;
        client = await connectImap(deps, channel);
        setImapConnected(inboxId, true);
        attempt = 0;
        const hasIdle = client.capabilities.has('IDLE');
        client.on('exists', () => wake?.());
        const closed = new Promise<void>((resolve) => client!.once('close', () => resolve()));
        void closed.then(() => wake?.());
        while (!stopped && client.usable) {
          await fetchNewMail(deps, client, channel);
          if (stopped) break;
          // With IDLE the server tells us about new mail ('exists'); the timer is a safety net.
          await sleep(hasIdle ? 5 * 60_000 : channel.config.imap.pollSeconds * 1000);
        }
        if (!stopped && !client.usable) throw new Error('The IMAP server closed the connection.');
      } catch (error) {
        setImapConnected(inboxId, false);
        if (stopped) break;
        const text = imapErrorText(error);
        deps.log.warn({ inboxId, err: text, attempt }, 'email: IMAP fetch failed; retrying');
        await deps.db.transaction(({ tx }) => repo.recordError(tx, inboxId, text, deps.clock.iso())).catch(() => {});
        await client?.logout().catch(() => {});
        client = null;
        await sleep(backoffMs(attempt++));
      }
    }
    setImapConnected(inboxId, false);
  })();

  return {
    done,
    async stop() {
      stopped = true;
      wake?.();
      const c = client as ImapFlow | null;
      if (c) await Promise.race([c.logout().catch(() => c.close()), new Promise((r) => setTimeout(r, 2000))]);
      await done.catch(() => {});
    },
  };
};

/** Starts, stops and restarts fetchers as inboxes are configured; checks the database every 30 s (multi-node safe). */
export const createImapService = (deps: Deps) => {
  const fetchers = new Map<string, { version: string; stop(): Promise<void> }>();
  let timer: NodeJS.Timeout | null = null;
  let unsubscribe: (() => void) | null = null;
  let syncing: Promise<void> = Promise.resolve();

  const sync = () => (syncing = syncing.then(async () => {
    const wanted = new Map((await repo.listImapChannels(deps.db.kysely)).map((c) => [c.inbox_id, c.updated_at]));
    for (const [id, f] of fetchers) {
      if (wanted.get(id) !== f.version) { fetchers.delete(id); await f.stop(); }
    }
    for (const [id, version] of wanted) {
      if (!fetchers.has(id)) fetchers.set(id, { version, ...runFetcher(deps, id) });
    }
  }).catch((e) => deps.log.error({ err: e }, 'email: IMAP sync failed')));

  return {
    name: 'email-imap',
    async start() {
      unsubscribe = deps.bus.subscribe(EMAIL_SETTINGS_CHANNEL, () => void sync());
      await sync();
      const tick = () => { timer = setTimeout(() => { void sync().finally(tick); }, 30_000); timer.unref(); };
      tick();
    },
    async stop() {
      if (timer) clearTimeout(timer);
      unsubscribe?.();
      await syncing;
      await Promise.all([...fetchers.values()].map((f) => f.stop()));
      fetchers.clear();
    },
  };
};

// ---- backfill
export const BACKFILL_QUEUE = 'email.backfill';

const saveProgress = (deps: Deps, inboxId: string, p: TBackfillProgress & { lastUid?: number }) =>
  deps.db.transaction(({ tx }) => tx.updateTable('email_channels').set({ backfill: toJson(p) }).where('inbox_id', '=', inboxId).execute());

export const readProgress = async (deps: Deps, inboxId: string): Promise<TBackfillProgress & { lastUid?: number }> => {
  const row = await repo.getChannelRow(deps.db.kysely, inboxId);
  return fromJson(row?.backfill ?? null, { status: 'none', since: null, total: 0, processed: 0, imported: 0, duplicates: 0, error: null, startedAt: null, finishedAt: null });
};

/**
 * Imports every message of the mailbox received on or after `since`, oldest first, without changing
 * flags. Idempotent (dedupe by Message-ID / raw bytes) and resumable (progress keeps the last UID).
 */
export const runBackfill = async (deps: Deps, inboxId: string, since: string) => {
  const channel = await loadChannel(deps.db.kysely, inboxId, deps.config);
  let progress = await readProgress(deps, inboxId);
  progress = { ...progress, status: 'running', since, error: null, startedAt: progress.startedAt ?? deps.clock.iso() };
  await saveProgress(deps, inboxId, progress);
  let client: ImapFlow | null = null;
  try {
    client = await connectImap(deps, channel);
    const lock = await client.getMailboxLock(channel.config.imap!.mailbox, { readOnly: true });
    try {
      const uids = ((await client.search({ since: new Date(`${since}T00:00:00Z`) }, { uid: true })) || []).sort((a, b) => a - b);
      progress.total = uids.length;
      const todo = uids.filter((u) => !progress.lastUid || u > progress.lastUid);
      for await (const messages of fetchChunks(deps, client, inboxId, todo)) {
        for (const { uid, raw, prepared } of messages) {
          if (raw) {
            const r = await ingestMail(deps, { inboxId, raw, source: 'backfill', prepared });
            if (r.status === 'stored') progress.imported++; else progress.duplicates++;
          }
          progress.processed = uids.indexOf(uid) + 1;
          progress.lastUid = uid;
        }
        await saveProgress(deps, inboxId, progress);
      }
      progress.processed = uids.length;
    } finally { lock.release(); }
    await client.logout().catch(() => {});
    await saveProgress(deps, inboxId, { ...progress, status: 'done', finishedAt: deps.clock.iso() });
  } catch (error) {
    await client?.logout().catch(() => {});
    const text = imapErrorText(error);
    await saveProgress(deps, inboxId, { ...progress, status: 'failed', error: text });
    throw error instanceof PermanentJobError ? error : new Error(text);
  }
};
