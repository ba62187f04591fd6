// Admin command line, safe to run next to a live server on the same data directory or database:
//   npm run admin -- reset-password <email>          prints a new random password, ends that user's sessions
//   npm run admin -- create-admin <email> <name>     creates an admin with a random password (printed once)
//   npm run admin -- migrate                         applies pending migrations and exits
import { randomBytes } from 'node:crypto';
import { loadConfig, ConfigError } from './config.ts';
import { openDatabase } from './db/connection.ts';
import { hashPassword } from './platform/auth/passwords.ts';
import { newId } from './platform/ids.ts';

const [command, ...args] = process.argv.slice(2);
const usage = () => { console.error('usage: npm run admin -- reset-password <email> | create-admin <email> <name> | migrate'); process.exit(64); };

let config;
try { config = loadConfig(); } catch (e) { if (e instanceof ConfigError) { console.error(e.message); process.exit(2); } throw e; }
const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir });
const now = new Date().toISOString();
const password = randomBytes(12).toString('base64url');
try {
  if (command === 'migrate') console.log('Database is up to date.');
  else if (command === 'reset-password' && args[0]) {
    const email = args[0].toLowerCase();
    const hash = await hashPassword(password);
    const found = await db.transaction(async ({ tx }) => {
      const u = await tx.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
      if (!u) return false;
      await tx.updateTable('users').set({ password_hash: hash, updated_at: now }).where('id', '=', u.id).execute();
      await tx.deleteFrom('sessions').where('user_id', '=', u.id).execute();
      await tx.insertInto('audit_log').values({ id: newId(), actor_type: 'system', actor_id: 'cli', entity: 'user', entity_id: u.id, action: 'password_reset', before: null, after: null, created_at: now }).execute();
      return true;
    });
    if (!found) { console.error(`No user with email ${email}`); process.exitCode = 1; } else console.log(`New password for ${email}: ${password}`);
  } else if (command === 'create-admin' && args[0] && args[1]) {
    const email = args[0].toLowerCase();
    const hash = await hashPassword(password);
    await db.transaction(async ({ tx }) => {
      await tx.insertInto('users').values({ id: newId(), email, name: args[1]!, role: 'admin', password_hash: hash, language: 'en', time_zone: 'UTC', availability: 'offline', is_disabled: false, created_at: now, updated_at: now }).execute();
    });
    console.log(`Admin ${email} created. Password: ${password}`);
  } else usage();
} finally {
  await db.close();
}
