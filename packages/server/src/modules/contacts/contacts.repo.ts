import type { Tx } from '../../db/connection.ts';
import type { DB } from '../../db/schema.ts';
import { fromJson } from '../../db/dialect.ts';
import type { IdentityKind, Language, TContact } from '@careline/shared';

export const toContactDto = (c: DB['contacts'], identities: { kind: string; value: string }[]): TContact => ({
  id: c.id, name: c.name, language: c.language as Language | null, timeZone: c.time_zone, birthday: c.birthday,
  isInternal: c.is_internal, customAttributes: fromJson(c.custom_attributes, {}), organizationId: c.organization_id,
  identities: identities.map((i) => ({ kind: i.kind as IdentityKind, value: i.value })), createdAt: c.created_at, updatedAt: c.updated_at,
});

export const loadContacts = async (db: Tx, ids: string[]) => {
  if (!ids.length) return [];
  const [rows, idents] = await Promise.all([
    db.selectFrom('contacts').selectAll().where('id', 'in', ids).execute(),
    db.selectFrom('contact_identities').select(['contact_id', 'kind', 'value']).where('contact_id', 'in', ids).orderBy('created_at').execute(),
  ]);
  const byId = new Map(rows.map((r) => [r.id, toContactDto(r, idents.filter((i) => i.contact_id === r.id))]));
  return ids.map((id) => byId.get(id)).filter((c): c is TContact => !!c);
};

/** Identities are compared normalised: emails lower-case, phones digits only (with a leading +). */
export const normaliseIdentity = (kind: string, value: string) => {
  const v = value.trim();
  if (kind === 'email') return v.toLowerCase();
  if (kind === 'phone') return (v.startsWith('+') ? '+' : '') + v.replace(/\D/g, '');
  return v;
};
