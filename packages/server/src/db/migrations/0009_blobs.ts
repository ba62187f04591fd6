import { sql, type Kysely } from 'kysely';
import { columnTypes, engineOf } from '../dialect.ts';

// Attachment and raw-mail bytes in the database (platform/blob/database-blob-store.ts), keyed by their SHA-256:
// one short insert per blob rides the connection's group commit instead of one fsynced file each, and every
// node of a PostgreSQL cluster sees the same bytes. Files already in <data dir>/blobs stay readable (fallback).
export const up = async (db: Kysely<any>) => {
  const engine = engineOf(db);
  const t = columnTypes(engine);
  await db.schema.createTable('blobs')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('size', t.bigint, (c) => c.notNull())
    .addColumn('data', t.blob, (c) => c.notNull())
    .addColumn('created_at', t.ts, (c) => c.notNull())
    .execute();
  // Mail attachments are mostly compressed already (images, PDFs, archives): out of line but not pglz-compressed,
  // which would spend CPU on every write for next to no space.
  if (engine === 'postgres') await sql`alter table blobs alter column data set storage external`.execute(db);
};
