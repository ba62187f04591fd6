import type { Ctx } from '../../../../platform/context.ts';
import { AppError, notFound } from '../../../../platform/errors/app-error.ts';
import { toJson } from '../../../../db/dialect.ts';
import { getInbox } from '../../../inboxes/index.ts';
import { BACKFILL_QUEUE, readProgress } from '../imap.ts';
import { loadChannelConfig } from './settings.ts';

/** Queues an import of the mailbox's past messages; progress is readable while it runs. */
export const startBackfill = async (ctx: Ctx, inboxId: string, since: string) => {
  const inbox = await getInbox(ctx, inboxId);
  if (inbox.channel !== 'email') throw notFound('Email inbox');
  const config = await loadChannelConfig(ctx.db.kysely, inboxId);
  if (!config.imap) throw new AppError('VALIDATION_FAILED', { userMessage: 'Configure IMAP for this inbox before a backfill.' });
  const current = await readProgress(ctx, inboxId);
  if (current.status === 'queued' || current.status === 'running') throw new AppError('CONFLICT', { userMessage: 'A backfill is already running for this inbox.' });
  const progress = { status: 'queued' as const, since, total: 0, processed: 0, imported: 0, duplicates: 0, error: null, startedAt: null, finishedAt: null };
  await ctx.db.transaction(async (w) => {
    // The channel row exists: its IMAP settings were just read from it.
    await w.tx.updateTable('email_channels').set({ backfill: toJson(progress) }).where('inbox_id', '=', inboxId).execute();
    await ctx.jobs.enqueue(w, BACKFILL_QUEUE, { inboxId, since }, { maxAttempts: 20 });
  });
  return progress;
};

export const getBackfill = async (ctx: Ctx, inboxId: string) => {
  const inbox = await getInbox(ctx, inboxId);
  if (inbox.channel !== 'email') throw notFound('Email inbox');
  const { lastUid: _lastUid, ...progress } = await readProgress(ctx, inboxId);
  return progress;
};
