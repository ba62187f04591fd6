import type { Ctx } from '../../platform/context.ts';
import type { Write } from '../../db/connection.ts';
import { AppError, notFound } from '../../platform/errors/app-error.ts';
import { newId } from '../../platform/ids.ts';
import { audit, diff } from '../../platform/audit.ts';
import { toJson } from '../../db/dialect.ts';
import { stripUndefined } from '../../platform/objects.ts';
import { decodeCursor, encodeCursor } from '../../platform/http/cursor.ts';
import { loadContacts, normaliseIdentity } from './contacts.repo.ts';
import type { TContact } from '@careline/shared';

export type ContactInput = {
  name?: string; language?: string | null; timeZone?: string | null; birthday?: string | null; isInternal?: boolean;
  customAttributes?: Record<string, unknown>; organizationId?: string | null; identities?: { kind: string; value: string }[];
};

export const getContact = async (ctx: Ctx, id: string) => {
  const [c] = await loadContacts(ctx.db.kysely, [id]);
  if (!c) throw notFound('Customer');
  return c;
};

export const listContacts = async (ctx: Ctx, q: { q?: string; organizationId?: string; cursor?: string; limit: number }) => {
  let query = ctx.db.kysely.selectFrom('contacts').select(['id', 'updated_at']).orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(q.limit + 1);
  if (q.organizationId) query = query.where('organization_id', '=', q.organizationId);
  if (q.q) {
    const like = `%${q.q.toLowerCase().replace(/[%_\\]/g, (m) => `\\${m}`)}%`;
    query = query.where((eb) => eb.or([
      eb(eb.fn('lower', ['name']), 'like', like),
      eb('id', 'in', eb.selectFrom('contact_identities').select('contact_id').where('value', 'like', like)),
    ]));
  }
  const cursor = decodeCursor(q.cursor);
  if (cursor) query = query.where((eb) => eb.or([eb('updated_at', '<', cursor.t), eb.and([eb('updated_at', '=', cursor.t), eb('id', '<', cursor.id)])]));
  const rows = await query.execute();
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return { items: await loadContacts(ctx.db.kysely, page.map((r) => r.id)), nextCursor: rows.length > q.limit && last ? encodeCursor(last.updated_at, last.id) : null };
};

const setIdentities = async (w: Write, contactId: string, identities: { kind: string; value: string }[], now: string, isNew = false) => {
  if (!isNew) await w.tx.deleteFrom('contact_identities').where('contact_id', '=', contactId).execute();
  for (const i of identities) {
    const value = normaliseIdentity(i.kind, i.value);
    const owner = await w.tx.selectFrom('contact_identities').select('contact_id').where('kind', '=', i.kind).where('value', '=', value).executeTakeFirst();
    if (owner) throw new AppError('IDENTITY_TAKEN', { userMessage: `${i.kind} ${value} already belongs to another customer.`, fields: [{ field: 'body.identities', message: `${i.kind} taken` }] });
    await w.tx.insertInto('contact_identities').values({ id: newId(), contact_id: contactId, kind: i.kind, value, created_at: now }).execute();
  }
};

const assertOrganization = async (w: Write, id: string | null | undefined) => {
  if (id && !(await w.tx.selectFrom('organizations').select('id').where('id', '=', id).executeTakeFirst())) {
    throw new AppError('VALIDATION_FAILED', { userMessage: 'Unknown organization', fields: [{ field: 'body.organizationId', message: 'unknown organization' }] });
  }
};

/** Inside the caller's transaction: channels create contacts as part of storing a message. */
export const insertContact = async (w: Write, ctx: Ctx, input: ContactInput) => {
  const id = newId(); const now = ctx.clock.iso();
  await assertOrganization(w, input.organizationId);
  await w.tx.insertInto('contacts').values({
    id, name: input.name ?? '', language: input.language ?? null, time_zone: input.timeZone ?? null, birthday: input.birthday ?? null,
    is_internal: input.isInternal ?? false, custom_attributes: toJson(input.customAttributes ?? {}), organization_id: input.organizationId ?? null,
    created_at: now, updated_at: now,
  }).execute();
  await setIdentities(w, id, input.identities ?? [], now, true);
  await audit(w, ctx.actor, now, { entity: 'contact', entityId: id, action: 'created', after: input });
  await ctx.events.emit(w, 'contact.created', null, { contactId: id });
  return id;
};

/** Finds the contact owning one of the identities, else creates one. */
export const findOrCreateContact = async (w: Write, ctx: Ctx, input: ContactInput) => {
  for (const i of input.identities ?? []) {
    const hit = await w.tx.selectFrom('contact_identities').select('contact_id')
      .where('kind', '=', i.kind).where('value', '=', normaliseIdentity(i.kind, i.value)).executeTakeFirst();
    if (hit) return { id: hit.contact_id, created: false };
  }
  return { id: await insertContact(w, ctx, input), created: true };
};

export const createContact = async (ctx: Ctx, input: ContactInput) => {
  const id = await ctx.db.transaction((w) => insertContact(w, ctx, input));
  return getContact(ctx, id);
};

export const updateContact = async (ctx: Ctx, id: string, input: ContactInput) => {
  const before = await getContact(ctx, id);
  await ctx.db.transaction(async (w) => {
    const now = ctx.clock.iso();
    await assertOrganization(w, input.organizationId);
    const set = stripUndefined({
      name: input.name, language: input.language, time_zone: input.timeZone, birthday: input.birthday, is_internal: input.isInternal,
      organization_id: input.organizationId, custom_attributes: input.customAttributes ? toJson(input.customAttributes) : undefined,
    });
    await w.tx.updateTable('contacts').set({ ...set, updated_at: now }).where('id', '=', id).execute();
    if (input.identities) await setIdentities(w, id, input.identities, now);
    const d = diff(before as unknown as Record<string, unknown>, input as Record<string, unknown>);
    await audit(w, ctx.actor, now, { entity: 'contact', entityId: id, action: 'updated', before: d.before, after: d.after });
    await ctx.events.emit(w, 'contact.updated', null, { contactId: id, changes: d.after });
  });
  return getContact(ctx, id);
};

export const deleteContact = async (ctx: Ctx, id: string) => {
  const before = await getContact(ctx, id);
  const has = await ctx.db.kysely.selectFrom('conversations').select('id').where('contact_id', '=', id).limit(1).executeTakeFirst();
  if (has) throw new AppError('CONFLICT', { userMessage: 'This customer has conversations; merge them into another customer instead.' });
  await ctx.db.transaction(async (w) => {
    await w.tx.deleteFrom('contacts').where('id', '=', id).execute();
    await audit(w, ctx.actor, ctx.clock.iso(), { entity: 'contact', entityId: id, action: 'deleted', before });
  });
};

/**
 * Merges source into target: identities, conversations and messages move; empty fields of the target
 * are filled from the source; custom attributes are combined (target wins); the source is removed.
 */
export const mergeContacts = async (ctx: Ctx, targetId: string, sourceId: string): Promise<TContact> => {
  if (targetId === sourceId) throw new AppError('MERGE_INVALID', { userMessage: 'A customer cannot be merged into itself.' });
  const [target, source] = [await getContact(ctx, targetId), await getContact(ctx, sourceId)];
  await ctx.db.transaction(async (w) => {
    const now = ctx.clock.iso();
    await w.tx.updateTable('contact_identities').set({ contact_id: targetId }).where('contact_id', '=', sourceId).execute();
    await w.tx.updateTable('conversations').set({ contact_id: targetId, updated_at: now }).where('contact_id', '=', sourceId).execute();
    await w.tx.updateTable('messages').set({ author_contact_id: targetId }).where('author_contact_id', '=', sourceId).execute();
    await w.tx.updateTable('contacts').set({
      name: target.name || source.name, language: target.language ?? source.language, time_zone: target.timeZone ?? source.timeZone,
      birthday: target.birthday ?? source.birthday, organization_id: target.organizationId ?? source.organizationId,
      is_internal: target.isInternal || source.isInternal,
      custom_attributes: toJson({ ...source.customAttributes, ...target.customAttributes }), updated_at: now,
    }).where('id', '=', targetId).execute();
    await w.tx.deleteFrom('contacts').where('id', '=', sourceId).execute();
    await audit(w, ctx.actor, now, { entity: 'contact', entityId: targetId, action: 'merged', before: { target, source } });
    await ctx.events.emit(w, 'contact.merged', null, { contactId: targetId, mergedContactId: sourceId });
  });
  return getContact(ctx, targetId);
};
