import type { FastifyBaseLogger } from 'fastify';
import type { Role } from '@careline/shared';
import type { Config } from '../config.ts';
import type { Database } from '../db/connection.ts';
import type { BlobStore } from './blob/blob-store.ts';
import type { Clock } from './clock.ts';
import type { Bus } from './events/bus.ts';
import type { Events } from './events/events.ts';
import type { JobQueue } from './jobs/job-queue.ts';

export type SessionUser = { id: string; role: Role; name: string; email: string; language: string; timeZone: string };

export type Actor =
  | { type: 'user'; user: SessionUser; via: 'session' | 'token' }
  | { type: 'contact'; contactId: string }
  | { type: 'system' }
  | { type: 'anonymous' };

/** Everything an operation may use, passed in (never imported as a singleton). */
export type Deps = {
  config: Config;
  db: Database;
  clock: Clock;
  bus: Bus;
  events: Events;
  jobs: JobQueue;
  blobs: BlobStore;
  log: FastifyBaseLogger;
};

export type Ctx = Deps & { actor: Actor };

export const SYSTEM: Actor = { type: 'system' };
export const systemCtx = (deps: Deps): Ctx => ({ ...deps, actor: SYSTEM });
