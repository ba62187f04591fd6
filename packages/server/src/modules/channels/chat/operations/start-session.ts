import type { TWidgetIdentity, TWidgetSession, TWidgetVisitor } from '@careline/shared';
import type { Deps } from '../../../../platform/context.ts';
import { AppError } from '../../../../platform/errors/app-error.ts';
import { newId, newSecret } from '../../../../platform/ids.ts';
import { findVisitorByExternalId, findVisitorByToken, insertSession, insertVisitor, updateVisitor, type VisitorRow } from '../chat.repo.ts';
import { isIdentitySigned } from '../identity.ts';
import type { ChatInbox } from '../inbox-cache.ts';

export type StartSessionInput = { visitorToken?: string; identity?: TWidgetIdentity; name?: string; email?: string; language?: string };

export const toVisitorDto = (v: VisitorRow): TWidgetVisitor => ({
  id: v.id, name: v.name, email: v.email, isIdentified: v.is_identified, hasConversation: !!v.conversation_id,
});

/**
 * Starts or resumes a visitor of a chat inbox. A stored visitor token resumes the same visitor (history
 * across reloads) unless the signed-in user changed. An identity must carry a valid HMAC signature; the
 * same user is then found again on any device.
 */
export const startSession = async (deps: Deps, inbox: ChatInbox, input: StartSessionInput): Promise<TWidgetSession> => {
  const now = deps.clock.iso();
  const identity = input.identity;
  if (identity && !isIdentitySigned(inbox.row.secret, identity)) {
    throw new AppError('IDENTITY_INVALID', { userMessage: 'The identity signature is wrong: sign `userId\\nemail` with the inbox secret (HMAC-SHA256, hex).' });
  }
  const current = input.visitorToken ? await findVisitorByToken(deps.db.kysely, input.visitorToken) : undefined;
  const resumable = current && current.inbox_id === inbox.row.id && (current.external_id ?? null) === (identity?.userId ?? null);

  return deps.db.transaction(async ({ tx }) => {
    const profile = {
      ...(identity?.name || input.name ? { name: (identity?.name || input.name)! } : {}),
      ...(identity?.email || input.email ? { email: (identity?.email ?? input.email)!.toLowerCase() } : {}),
      ...(input.language ? { language: input.language } : {}),
    };
    let visitor = resumable ? current : identity ? await findVisitorByExternalId(tx, inbox.row.id, identity.userId) : undefined;
    if (visitor) {
      if (Object.keys(profile).length) {
        await updateVisitor(tx, visitor.id, { ...profile, updated_at: now });
        visitor = { ...visitor, ...profile };
      }
      if (resumable) return { visitorToken: input.visitorToken!, visitor: toVisitorDto(visitor), isNew: false };
    } else {
      visitor = {
        id: newId(), inbox_id: inbox.row.id, contact_id: null, conversation_id: null, external_id: identity?.userId ?? null,
        name: profile.name ?? '', email: profile.email ?? null, language: profile.language ?? null, is_identified: !!identity,
        emailed_through: null, last_seen_at: now, created_at: now, updated_at: now,
      };
      await insertVisitor(tx, visitor);
    }
    const visitorToken = newSecret('cvt_');
    await insertSession(tx, visitorToken, visitor.id, now);
    return { visitorToken, visitor: toVisitorDto(visitor), isNew: true };
  });
};
