import type { Ctx } from '../../platform/context.ts';
import { notFound } from '../../platform/errors/app-error.ts';
import { newId } from '../../platform/ids.ts';
import { canSeeInbox } from '../inboxes/index.ts';
import { attachmentUrl } from './conversations.repo.ts';

/** Upload first, then reference by id in a reply (the composer uploads while the agent types). */
export const storeAttachment = async (ctx: Ctx, file: { filename: string; contentType: string; data: Buffer; contentId?: string | null }, messageId: string | null = null) => {
  const { key, size } = await ctx.blobs.put(file.data);
  const row = { id: newId(), message_id: messageId, filename: file.filename.slice(0, 255) || 'attachment', content_type: file.contentType.slice(0, 200), size, blob_key: key, content_id: file.contentId ?? null, created_at: ctx.clock.iso() };
  await ctx.db.transaction(({ tx }) => tx.insertInto('attachments').values(row).execute());
  return { id: row.id, filename: row.filename, contentType: row.content_type, size, url: attachmentUrl(row.id) };
};

/** Bytes of an attachment the actor may see (via its message's conversation's inbox). */
export const readAttachment = async (ctx: Ctx, id: string) => {
  const row = await ctx.db.kysely.selectFrom('attachments')
    .leftJoin('messages', 'messages.id', 'attachments.message_id')
    .leftJoin('conversations', 'conversations.id', 'messages.conversation_id')
    .select(['attachments.filename', 'attachments.content_type', 'attachments.blob_key', 'conversations.inbox_id', 'attachments.message_id'])
    .where('attachments.id', '=', id).executeTakeFirst();
  if (!row || (row.inbox_id && !(await canSeeInbox(ctx.db.kysely, ctx.actor, row.inbox_id)))) throw notFound('Attachment');
  const data = await ctx.blobs.get(row.blob_key);
  if (!data) throw notFound('Attachment');
  return { filename: row.filename, contentType: row.content_type, data };
};
