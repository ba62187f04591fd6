import type { FastifyInstance } from 'fastify';
import { portalRoutes } from './portal.routes.ts';

export { requestSignInLink, consumeSignInLink, findPortalCustomer, PORTAL_COOKIE } from './portal.ts';

/** Customer portal under /portal/*: magic-link sign-in, own conversations across channels, reply and close. */
export const portalModule = async (app: FastifyInstance) => {
  await app.register(portalRoutes);
};
