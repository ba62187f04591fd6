import type { FastifyInstance } from 'fastify';
import { registerOutgoingSender } from '../../conversations/index.ts';
import { webformRoutes } from './webform.routes.ts';
import { sendWebformReply } from './reply.ts';

export { submitWebform, customFieldsOf } from './webform.ts';

/** The public contact form of 'webform' inboxes (/contact/:token); agent replies reach the customer by email. */
export const webformModule = async (app: FastifyInstance) => {
  registerOutgoingSender('webform', sendWebformReply);
  await app.register(webformRoutes);
};
