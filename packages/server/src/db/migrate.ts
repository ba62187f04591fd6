import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as m0001 from './migrations/0001_foundation.ts';
import * as m0002 from './migrations/0002_email.ts';
import * as m0004 from './migrations/0004_knowledge.ts';
import * as m0003 from './migrations/0003_chat.ts';
import * as m0005 from './migrations/0005_agent_app.ts';
import * as m0006 from './migrations/0006_counter_sequences.ts';
import * as m0008 from './migrations/0008_knowledge_search_public.ts';
import * as m0009 from './migrations/0009_blobs.ts';
import * as m0010 from './migrations/0010_chat_visitor_by_conversation.ts';

// Listed explicitly (not read from disk) so the set is the same in every build. Append, never edit.
const MIGRATIONS: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_email': m0002,
  '0004_knowledge': m0004,
  '0003_chat': m0003,
  '0005_agent_app': m0005,
  '0006_counter_sequences': m0006,
  '0008_knowledge_search_public': m0008,
  '0009_blobs': m0009,
  '0010_chat_visitor_by_conversation': m0010,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/**
 * Kysely's migrator takes a lock (a row lock on PostgreSQL, the writer lock on SQLite), so two nodes
 * starting together migrate once. SQLite may answer "busy" to the loser; it retries, then finds the work done.
 */
export const migrateToLatest = async (db: Kysely<any>) => {
  for (let attempt = 1; ; attempt++) {
    // Unordered: migrations written on parallel branches may land in either order.
    const { error, results } = await new Migrator({ db, provider, allowUnorderedMigrations: true }).migrateToLatest();
    if (!error) return results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
    const busy = /locked|busy|duplicate key|already exists/i.test(String((error as Error).message));
    if (!busy || attempt >= 20) throw error;
    await new Promise((r) => setTimeout(r, 100 * attempt));
  }
};
