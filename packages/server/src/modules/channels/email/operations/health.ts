import type { TEmailHealth } from '@careline/shared';
import type { Ctx, Deps } from '../../../../platform/context.ts';
import { systemCtx } from '../../../../platform/context.ts';
import { notFound } from '../../../../platform/errors/app-error.ts';
import { enqueueSystemMail } from '../../../../platform/mail/system-mail.ts';
import { getInbox } from '../../../inboxes/index.ts';
import { loadUsers } from '../../../users/index.ts';
import * as repo from '../email.repo.ts';
import { channelConfigOf } from './settings.ts';

/**
 * Channel health — mail that silently stops arriving is the failure help desks are most blamed for.
 * Each email inbox reports its last success, the mail server's last error in its own words and its
 * volume; after `alertAfterMinutes` without success admins get an `inbox.health_changed` event and an email.
 */
const imapConnected = new Map<string, boolean>();
export const setImapConnected = (inboxId: string, connected: boolean) => { imapConnected.set(inboxId, connected); };

const latest = (...ts: (string | null)[]) => ts.filter((t): t is string => !!t).sort().at(-1) ?? null;

export const computeHealth = async (deps: Deps, inboxId: string): Promise<TEmailHealth> => {
  const db = deps.db.kysely;
  const row = await repo.getChannelRow(db, inboxId);
  const config = channelConfigOf(row);
  const now = deps.clock.now();
  const lastReceivedAt = await repo.lastReceivedAt(db, inboxId);
  const lastFetchAt = row?.last_fetch_at ?? null;
  const lastSuccessAt = latest(lastReceivedAt, lastFetchAt);
  const alert = config.alertAfterMinutes;
  const lastErrorAt = row?.last_error_at ?? null;
  let state: TEmailHealth['state'] = 'ok';
  if (lastErrorAt && (!lastSuccessAt || lastErrorAt > lastSuccessAt)) state = 'failing';
  else if (alert && (!lastSuccessAt || now.getTime() - Date.parse(lastSuccessAt) > alert * 60_000)) state = 'warning';
  else if (!lastSuccessAt) state = 'idle';
  return {
    inboxId, state, lastSuccessAt, lastReceivedAt, lastFetchAt,
    lastError: row?.last_error ?? null, lastErrorAt,
    messagesLastHour: await repo.countReceivedSince(db, inboxId, new Date(now.getTime() - 3600_000).toISOString()),
    isImapConnected: imapConnected.get(inboxId) ?? false, alertAfterMinutes: alert, warnedAt: row?.warned_at ?? null,
  };
};

export const getEmailHealth = async (ctx: Ctx, inboxId: string) => {
  const inbox = await getInbox(ctx, inboxId);
  if (inbox.channel !== 'email') throw notFound('Email inbox');
  return computeHealth(ctx, inboxId);
};

const isSilent = (h: TEmailHealth, now: Date) =>
  !!h.alertAfterMinutes && (!h.lastSuccessAt || now.getTime() - Date.parse(h.lastSuccessAt) > h.alertAfterMinutes * 60_000);

/** Run every minute: warns once per outage (event + email to every admin), and announces recovery. */
export const checkEmailHealth = async (deps: Deps) => {
  const rows = await deps.db.kysely.selectFrom('email_channels').innerJoin('inboxes', 'inboxes.id', 'email_channels.inbox_id')
    .select(['email_channels.inbox_id', 'email_channels.warned_at', 'inboxes.name']).execute();
  const now = deps.clock.now();
  const ctx = systemCtx(deps);
  const warned: string[] = [];
  for (const r of rows) {
    const health = await computeHealth(deps, r.inbox_id);
    const silent = isSilent(health, now);
    if (silent && !r.warned_at) {
      const admins = (await loadUsers(deps.db.kysely)).filter((u) => u.role === 'admin' && !(u as { isDisabled?: boolean }).isDisabled);
      await deps.db.transaction(async (w) => {
        const at = deps.clock.iso();
        await w.tx.updateTable('email_channels').set({ warned_at: at }).where('inbox_id', '=', r.inbox_id).execute();
        await ctx.events.emit(w, 'inbox.health_changed', r.inbox_id, { health: { ...health, warnedAt: at } });
        const since = health.lastSuccessAt ? `since ${health.lastSuccessAt}` : 'ever';
        for (const admin of admins) {
          await enqueueSystemMail(w, deps, {
            to: admin.email, subject: `Careline: no mail received in "${r.name}" ${since}`,
            text: `The email inbox "${r.name}" has had no successful fetch or received message ${since} (alert after ${health.alertAfterMinutes} minutes).\n\n`
              + `Last error: ${health.lastError ?? 'none'}${health.lastErrorAt ? ` (${health.lastErrorAt})` : ''}\n\nCheck the inbox's email settings and the mail server.`,
          });
        }
      });
      warned.push(r.inbox_id);
    } else if (!silent && r.warned_at && health.lastSuccessAt && health.lastSuccessAt > r.warned_at) {
      await deps.db.transaction(async (w) => {
        await w.tx.updateTable('email_channels').set({ warned_at: null }).where('inbox_id', '=', r.inbox_id).execute();
        await ctx.events.emit(w, 'inbox.health_changed', r.inbox_id, { health: { ...health, warnedAt: null } });
      });
    }
  }
  return warned;
};
