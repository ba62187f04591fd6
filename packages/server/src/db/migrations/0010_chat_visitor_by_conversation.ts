import type { Kysely } from 'kysely';

// Every chat reply looks up the conversation's newest visitor (conversation_id, newest updated_at first): with
// updated_at in the index that is one index probe instead of a probe plus a sort.
export const up = async (db: Kysely<any>) => {
  await db.schema.dropIndex('chat_visitors_conversation').execute();
  await db.schema.createIndex('chat_visitors_conversation').on('chat_visitors').columns(['conversation_id', 'updated_at']).execute();
};
