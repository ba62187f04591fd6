import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as m0001 from './migrations/0001_foundation.ts';

// Listed explicitly (not read from disk) so the set is the same in every build. Append, never edit.
const MIGRATIONS: Record<string, Migration> = {
  '0001_foundation': m0001,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/**
 * Kysely's migrator takes a lock (a row lock on PostgreSQL, the writer lock on SQLite), so two nodes
 * starting together migrate once. SQLite may answer "busy" to the loser; it retries, then finds the work done.
 */
export const migrateToLatest = async (db: Kysely<any>) => {
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
    if (!error) return results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
    const busy = /locked|busy|duplicate key|already exists/i.test(String((error as Error).message));
    if (!busy || attempt >= 20) throw error;
    await new Promise((r) => setTimeout(r, 100 * attempt));
  }
};
