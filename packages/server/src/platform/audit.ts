import type { Write } from '../db/connection.ts';
import { toJson } from '../db/dialect.ts';
import { newId } from './ids.ts';
import type { Actor } from './context.ts';

/** Append-only: who changed what, from what to what, when. Never updated or deleted. */
export const audit = async (
  w: Write, actor: Actor, now: string,
  entry: { entity: string; entityId: string; action: string; before?: unknown; after?: unknown },
) => {
  await w.tx.insertInto('audit_log').values({
    id: newId(), actor_type: actor.type, actor_id: actor.type === 'user' ? actor.user.id : actor.type === 'contact' ? actor.contactId : null,
    entity: entry.entity, entity_id: entry.entityId, action: entry.action,
    before: entry.before === undefined ? null : toJson(entry.before), after: entry.after === undefined ? null : toJson(entry.after),
    created_at: now,
  }).execute();
};

/** Only the fields that changed, for compact before → after records. */
export const diff = <T extends Record<string, unknown>>(before: T, after: Partial<T>) => {
  const b: Record<string, unknown> = {}; const a: Record<string, unknown> = {};
  for (const k of Object.keys(after)) {
    if (after[k] !== undefined && JSON.stringify(before[k]) !== JSON.stringify(after[k])) { b[k] = before[k]; a[k] = after[k]; }
  }
  return { before: b, after: a, changed: Object.keys(a).length > 0 };
};
