import type { Role } from '@careline/shared';
import { AppError } from '../errors/app-error.ts';
import type { Actor, SessionUser } from '../context.ts';

/**
 * Who may call a route. Every /api route declares one (app.ts refuses to start otherwise).
 * - public: anyone; user: any signed-in role; supervisor: admins and supervisors; admin: settings.
 * Agents are further limited to their inboxes inside the operations (404 outside them).
 */
export type Access = 'public' | 'user' | 'supervisor' | 'admin';

const ALLOWED: Record<Exclude<Access, 'public'>, Role[]> = {
  user: ['admin', 'supervisor', 'agent'],
  supervisor: ['admin', 'supervisor'],
  admin: ['admin'],
};

export const checkAccess = (access: Access, actor: Actor) => {
  if (access === 'public') return;
  if (actor.type !== 'user') throw new AppError('UNAUTHENTICATED');
  if (!ALLOWED[access].includes(actor.user.role)) throw new AppError('FORBIDDEN');
};

export const requireUser = (actor: Actor): SessionUser => {
  if (actor.type !== 'user') throw new AppError('UNAUTHENTICATED');
  return actor.user;
};

