import type { Ctx } from '../../../platform/context.ts';
import type { Tx } from '../../../db/connection.ts';
import { notFound } from '../../../platform/errors/app-error.ts';
import { canSeeInbox } from '../../inboxes/index.ts';
import { findConversationRow, loadConversations, loadMessages } from '../conversations.repo.ts';

/** The row, if the actor may see it. Outside the actor's inboxes it does not exist (404, not 403). */
export const getVisibleConversationRow = async (ctx: Ctx, id: string, db: Tx = ctx.db.kysely) => {
  const row = await findConversationRow(db, id);
  if (!row || !(await canSeeInbox(db, ctx.actor, row.inbox_id))) throw notFound('Conversation');
  return row;
};

export const getConversation = async (ctx: Ctx, id: string) => {
  await getVisibleConversationRow(ctx, id);
  const [conversation] = await loadConversations(ctx.db.kysely, [id]);
  return { ...conversation!, messages: await loadMessages(ctx.db.kysely, { conversationId: id }) };
};
