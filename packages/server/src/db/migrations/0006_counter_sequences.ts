import { sql, type Kysely } from 'kysely';
import { engineOf } from '../dialect.ts';

// PostgreSQL: conversation numbers from a sequence (no row lock held until commit, which serialised
// every conversation-creating transaction). SQLite keeps the counters row: it has one writer anyway.
export const up = async (db: Kysely<any>) => {
  if (engineOf(db) !== 'postgres') return;
  await sql`create sequence if not exists counter_conversation`.execute(db);
  await sql`select setval('counter_conversation', greatest(1000, (select coalesce(max(value), 1000) from counters where name = 'conversation')))`.execute(db);
};
