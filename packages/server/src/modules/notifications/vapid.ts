import webPush from 'web-push';
import type { Deps } from '../../platform/context.ts';
import { fromJson, toJson } from '../../db/dialect.ts';

export type VapidKeys = { publicKey: string; privateKey: string; subject: string };
const SETTINGS_KEY = 'vapid';
const cache = new WeakMap<Deps['db'], Promise<VapidKeys>>();

/**
 * The installation's VAPID key pair: generated on first use and kept in the settings table, so every
 * node signs with the same key and browsers' subscriptions survive restarts. Two nodes racing insert
 * once (primary key) and both read back the winner.
 */
export const getVapidKeys = (deps: Deps): Promise<VapidKeys> => {
  let keys = cache.get(deps.db);
  if (!keys) {
    keys = loadOrCreate(deps);
    keys.catch(() => cache.delete(deps.db));
    cache.set(deps.db, keys);
  }
  return keys;
};

const loadOrCreate = async (deps: Deps): Promise<VapidKeys> => {
  const subject = `mailto:${deps.config.CARELINE_ADMIN_EMAIL}`;
  const read = async () => {
    const row = await deps.db.kysely.selectFrom('settings').select('value').where('key', '=', SETTINGS_KEY).executeTakeFirst();
    return row ? fromJson<{ publicKey: string; privateKey: string } | null>(row.value, null) : null;
  };
  let stored = await read();
  if (!stored) {
    const fresh = webPush.generateVAPIDKeys();
    await deps.db.transaction(({ tx }) => tx.insertInto('settings').values({ key: SETTINGS_KEY, value: toJson(fresh) })
      .onConflict((oc) => oc.column('key').doNothing()).execute());
    stored = await read();
  }
  if (!stored) throw new Error('VAPID keys could not be stored');
  return { ...stored, subject };
};
