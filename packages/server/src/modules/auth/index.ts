export { authRoutes } from './auth.routes.ts';
export { resolveActor, checkCsrf, createActorCache, SESSION_COOKIE } from './authenticate.ts';
