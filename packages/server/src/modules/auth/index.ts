export { authRoutes } from './auth.routes.ts';
export { resolveActor, checkCsrf, SESSION_COOKIE } from './authenticate.ts';
