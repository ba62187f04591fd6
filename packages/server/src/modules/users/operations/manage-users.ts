import type { Ctx } from '../../../platform/context.ts';
import { AppError, notFound } from '../../../platform/errors/app-error.ts';
import { hashPassword, verifyPassword } from '../../../platform/auth/passwords.ts';
import { requireUser } from '../../../platform/auth/access.ts';
import { newId } from '../../../platform/ids.ts';
import { audit, diff } from '../../../platform/audit.ts';
import type { Write } from '../../../db/connection.ts';
import { loadUsers } from '../users.repo.ts';
import { stripUndefined } from '../../../platform/objects.ts';
import { AUTH_CHANNEL } from '../../../platform/events/channels.ts';
import type { Role, Language } from '@careline/shared';

export const getUser = async (ctx: Ctx, id: string) => {
  const [user] = await loadUsers(ctx.db.kysely, [id]);
  if (!user) throw notFound('User');
  return user;
};

export const listUsers = (ctx: Ctx) => loadUsers(ctx.db.kysely);

export type CreateUserInput = { email: string; name: string; role: Role; password: string; language: Language; timeZone: string };
type NewUserRow = Omit<CreateUserInput, 'password'> & { passwordHash: string };

/** Also used by the demo seed and the admin CLI (with w from their own transaction). */
export const insertUser = async (w: Write, ctx: Ctx, input: NewUserRow) => {
  const email = input.email.toLowerCase();
  const taken = await w.tx.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
  if (taken) throw new AppError('EMAIL_TAKEN');
  const now = ctx.clock.iso();
  const id = newId();
  await w.tx.insertInto('users').values({
    id, email, name: input.name, role: input.role, password_hash: input.passwordHash, language: input.language,
    time_zone: input.timeZone, availability: 'offline', is_disabled: false, created_at: now, updated_at: now,
  }).execute();
  await audit(w, ctx.actor, now, { entity: 'user', entityId: id, action: 'created', after: { email, name: input.name, role: input.role } });
  return id;
};

export const createUser = async (ctx: Ctx, input: CreateUserInput) => {
  // Hash outside the write transaction: scrypt takes ~50 ms and SQLite writes are serialised.
  const passwordHash = await hashPassword(input.password);
  const { password: _, ...rest } = input;
  const id = await ctx.db.transaction((w) => insertUser(w, ctx, { ...rest, passwordHash }));
  return getUser(ctx, id);
};

export type UpdateUserInput = Partial<{ name: string; role: Role; language: Language; timeZone: string; availability: string; password: string; isDisabled: boolean }>;

export const updateUser = async (ctx: Ctx, id: string, input: UpdateUserInput) => {
  const before = await ctx.db.kysely.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  if (!before) throw notFound('User');
  const me = requireUser(ctx.actor);
  if (id === me.id && (input.role && input.role !== before.role || input.isDisabled)) {
    throw new AppError('CONFLICT', { userMessage: 'You cannot change your own role or disable yourself.' });
  }
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  const set = {
    name: input.name, role: input.role, language: input.language, time_zone: input.timeZone,
    availability: input.availability, is_disabled: input.isDisabled,
  };
  await ctx.db.transaction(async (w) => {
    const now = ctx.clock.iso();
    await w.tx.updateTable('users').set({ ...stripUndefined(set), ...(passwordHash ? { password_hash: passwordHash } : {}), updated_at: now }).where('id', '=', id).execute();
    // Disabling or a new password ends every session of that user.
    if (input.isDisabled || passwordHash) await w.tx.deleteFrom('sessions').where('user_id', '=', id).execute();
    const d = diff(before as Record<string, unknown>, stripUndefined(set));
    await audit(w, ctx.actor, now, { entity: 'user', entityId: id, action: passwordHash ? 'updated_with_password' : 'updated', before: d.before, after: d.after });
    w.afterCommit(() => ctx.bus.publish(AUTH_CHANNEL, {}));
  });
  return getUser(ctx, id);
};

export const updateProfile = async (ctx: Ctx, input: UpdateUserInput & { currentPassword?: string }) => {
  const me = requireUser(ctx.actor);
  if (input.password) {
    const row = await ctx.db.kysely.selectFrom('users').select('password_hash').where('id', '=', me.id).executeTakeFirstOrThrow();
    if (!input.currentPassword || !(await verifyPassword(input.currentPassword, row.password_hash))) {
      throw new AppError('INVALID_CREDENTIALS', { userMessage: 'Your current password is wrong.' });
    }
  }
  const { currentPassword: _, ...rest } = input;
  return updateUser(ctx, me.id, rest);
};

