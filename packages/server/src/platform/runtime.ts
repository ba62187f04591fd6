import path from 'node:path';
import pino from 'pino';
import type { Config } from '../config.ts';
import { openDatabase } from '../db/connection.ts';
import { createDiskBlobStore } from './blob/blob-store.ts';
import { createDatabaseBlobStore } from './blob/database-blob-store.ts';
import { systemClock, type Clock } from './clock.ts';
import { createLocalBus, createRedisBus } from './events/bus.ts';
import { createEvents } from './events/events.ts';
import { createJobQueue } from './jobs/job-queue.ts';
import type { Deps } from './context.ts';

/** Opens everything a node needs, in order: logger, database (migrated), bus, events, jobs, blobs. */
export const createDeps = async (config: Config, opts: { clock?: Clock; logger?: Deps['log']; migrate?: boolean } = {}): Promise<Deps> => {
  const log = opts.logger ?? pino({
    level: config.LOG_LEVEL,
    redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
  });
  const clock = opts.clock ?? systemClock;
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir, migrate: opts.migrate });
  const bus = config.REDIS_URL ? await createRedisBus(config.REDIS_URL, (e) => log.error({ err: e }, 'redis')) : createLocalBus();
  const events = createEvents(bus, () => clock.iso());
  const jobs = createJobQueue(db, clock, log);
  const blobDir = path.join(config.dataDir, 'blobs');
  const blobs = config.BLOB_STORE === 'disk' ? createDiskBlobStore(blobDir) : createDatabaseBlobStore(db, { legacyDir: blobDir, clock });
  return { config, db, clock, bus, events, jobs, blobs, log };
};

export const closeDeps = async (deps: Deps) => {
  await deps.jobs.stop();
  await deps.bus.close();
  await deps.db.close();
};
