import type { Ctx } from '../../platform/context.ts';
import { notFound } from '../../platform/errors/app-error.ts';
import { newId } from '../../platform/ids.ts';
import { canSeeInbox } from '../inboxes/index.ts';
import type { Write } from '../../db/connection.ts';
import { attachmentUrl } from './conversations.repo.ts';

type NewAttachment = { filename: string; contentType: string; data: Buffer; contentId?: string | null };
type AttachmentRow = { id: string; message_id: string | null; filename: string; content_type: string; size: number; blob_key: string; content_id: string | null; created_at: string };

/**
 * Writes the bytes (fsynced) and returns the row to insert, without a transaction: channels store every
 * part of a message first, then insert the rows in the message's own transaction (insertAttachments).
 */
export const prepareAttachment = async (ctx: Ctx, file: NewAttachment) => {
  const { key, size } = await ctx.blobs.put(file.data);
  const row: AttachmentRow = { id: newId(), message_id: null, filename: file.filename.slice(0, 255) || 'attachment', content_type: file.contentType.slice(0, 200), size, blob_key: key, content_id: file.contentId ?? null, created_at: ctx.clock.iso() };
  return { row, id: row.id, filename: row.filename, contentType: row.content_type, size, url: attachmentUrl(row.id) };
};

/** Rows from prepareAttachment, unclaimed until a message names them in attachmentIds. */
export const insertAttachments = async (w: Write, rows: AttachmentRow[]) => {
  if (rows.length) await w.tx.insertInto('attachments').values(rows).execute();
};

/** Upload first, then reference by id in a reply (the composer uploads while the agent types). */
export const storeAttachment = async (ctx: Ctx, file: NewAttachment) => {
  const { row, ...dto } = await prepareAttachment(ctx, file);
  await ctx.db.transaction((w) => insertAttachments(w, [row]));
  return dto;
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
