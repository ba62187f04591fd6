import type { Ctx } from '../../../platform/context.ts';
import type { Write } from '../../../db/connection.ts';
import type { DB } from '../../../db/schema.ts';
import type { ConversationStatus, Priority } from '@careline/shared';
import { AppError } from '../../../platform/errors/app-error.ts';
import { audit, diff } from '../../../platform/audit.ts';
import { toJson } from '../../../db/dialect.ts';
import { stripUndefined } from '../../../platform/objects.ts';
import { getVisibleConversationRow, getConversation } from './get-conversation.ts';
import { assertAssignable } from './create-conversation.ts';
import { emitConversationEvent } from '../conversations.events.ts';

export const UNSNOOZE_QUEUE = 'conversation.unsnooze';

export type UpdateConversationInput = {
  status?: ConversationStatus; customStatusId?: string | null; priority?: Priority; subject?: string;
  snoozedUntil?: string | null; customAttributes?: Record<string, unknown>;
};

/** Status, custom status, priority, subject, snooze and custom attributes; each change audited. */
export const updateConversation = async (ctx: Ctx, id: string, input: UpdateConversationInput) => {
  await getVisibleConversationRow(ctx, id);
  await ctx.db.transaction(async (w) => {
    const before = await w.tx.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const now = ctx.clock.iso();
    let status = input.status;
    let customStatusId = input.customStatusId;
    if (customStatusId) {
      const custom = await w.tx.selectFrom('custom_statuses').selectAll().where('id', '=', customStatusId).executeTakeFirst();
      if (!custom) throw new AppError('VALIDATION_FAILED', { userMessage: 'Unknown custom status', fields: [{ field: 'body.customStatusId', message: 'unknown' }] });
      if (status && status !== custom.base_status) throw new AppError('VALIDATION_FAILED', { userMessage: `This custom status means "${custom.base_status}"`, fields: [{ field: 'body.status', message: 'contradicts customStatusId' }] });
      status = custom.base_status as ConversationStatus;
    } else if (status && customStatusId === undefined) customStatusId = null;

    const set: Partial<DB['conversations']> = stripUndefined({
      status, custom_status_id: customStatusId, priority: input.priority, subject: input.subject,
      custom_attributes: input.customAttributes ? toJson(input.customAttributes) : undefined,
    });
    const nextStatus = status ?? before.status;
    if (nextStatus === 'snoozed') {
      const until = input.snoozedUntil !== undefined ? input.snoozedUntil : before.snoozed_until;
      if (until && Date.parse(until) <= ctx.clock.now().getTime()) throw new AppError('VALIDATION_FAILED', { userMessage: 'Snooze until a time in the future', fields: [{ field: 'body.snoozedUntil', message: 'in the past' }] });
      set.snoozed_until = until ? new Date(until).toISOString() : null;
    } else set.snoozed_until = null;
    if (status && status !== before.status) set.resolved_at = status === 'resolved' || status === 'closed' ? now : null;

    const d = diff(before as unknown as Record<string, unknown>, set as Record<string, unknown>);
    if (!d.changed) return;
    await w.tx.updateTable('conversations').set({ ...set, updated_at: now }).where('id', '=', id).execute();
    await audit(w, ctx.actor, now, { entity: 'conversation', entityId: id, action: 'updated', before: d.before, after: d.after });
    if (set.snoozed_until && set.snoozed_until !== before.snoozed_until) {
      await ctx.jobs.enqueue(w, UNSNOOZE_QUEUE, { conversationId: id, until: set.snoozed_until }, { runAt: new Date(set.snoozed_until), dedupeKey: `unsnooze:${id}:${set.snoozed_until}` });
    }
    const statusChanged = status !== undefined && status !== before.status;
    await emitConversationEvent(w, ctx, statusChanged ? 'conversation.status_changed' : 'conversation.updated', id,
      statusChanged ? { from: before.status, to: status, changes: d.after } : { changes: d.after });
  });
  return getConversation(ctx, id);
};

/** Job: a snoozed conversation opens again at its time (unless it was changed meanwhile). */
export const unsnoozeConversation = async (ctx: Ctx, conversationId: string, until: string) => {
  await ctx.db.transaction(async (w: Write) => {
    const c = await w.tx.selectFrom('conversations').selectAll().where('id', '=', conversationId).executeTakeFirst();
    if (!c || c.status !== 'snoozed' || c.snoozed_until !== until) return;
    const now = ctx.clock.iso();
    await w.tx.updateTable('conversations').set({ status: 'open', snoozed_until: null, custom_status_id: null, updated_at: now }).where('id', '=', conversationId).execute();
    await audit(w, ctx.actor, now, { entity: 'conversation', entityId: conversationId, action: 'unsnoozed', before: { status: 'snoozed' }, after: { status: 'open' } });
    await emitConversationEvent(w, ctx, 'conversation.status_changed', conversationId, { from: 'snoozed', to: 'open' });
  });
};

export const assignConversation = async (ctx: Ctx, id: string, input: { assigneeId?: string | null; teamId?: string | null }) => {
  await getVisibleConversationRow(ctx, id);
  await ctx.db.transaction(async (w) => {
    const before = await w.tx.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    await assertAssignable(w, input.assigneeId, input.teamId);
    const set = stripUndefined({ assignee_id: input.assigneeId, team_id: input.teamId });
    const d = diff(before as unknown as Record<string, unknown>, set);
    if (!d.changed) return;
    const now = ctx.clock.iso();
    await w.tx.updateTable('conversations').set({ ...set, updated_at: now }).where('id', '=', id).execute();
    await audit(w, ctx.actor, now, { entity: 'conversation', entityId: id, action: 'assigned', before: d.before, after: d.after });
    await emitConversationEvent(w, ctx, 'conversation.assigned', id, { from: { assigneeId: before.assignee_id, teamId: before.team_id } });
  });
  return getConversation(ctx, id);
};

export const changeTags = async (ctx: Ctx, id: string, tags: string[], mode: 'add' | 'remove') => {
  await getVisibleConversationRow(ctx, id);
  await ctx.db.transaction(async (w) => {
    const existing = (await w.tx.selectFrom('conversation_tags').select('tag').where('conversation_id', '=', id).execute()).map((t) => t.tag);
    const unique = [...new Set(tags)];
    const changed = mode === 'add' ? unique.filter((t) => !existing.includes(t)) : unique.filter((t) => existing.includes(t));
    if (!changed.length) return;
    if (mode === 'add') await w.tx.insertInto('conversation_tags').values(changed.map((tag) => ({ conversation_id: id, tag }))).execute();
    else await w.tx.deleteFrom('conversation_tags').where('conversation_id', '=', id).where('tag', 'in', changed).execute();
    const now = ctx.clock.iso();
    await w.tx.updateTable('conversations').set({ updated_at: now }).where('id', '=', id).execute();
    await audit(w, ctx.actor, now, { entity: 'conversation', entityId: id, action: mode === 'add' ? 'tagged' : 'untagged', before: existing, after: changed });
    await emitConversationEvent(w, ctx, 'conversation.updated', id, { changes: { tags: { [mode === 'add' ? 'added' : 'removed']: changed } } });
  });
  return getConversation(ctx, id);
};
