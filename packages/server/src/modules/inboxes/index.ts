export { inboxRoutes } from './inboxes.routes.ts';
export { visibleInboxIds, canSeeInbox, createInbox, findInboxRow, getInbox, listInboxes } from './inboxes.ts';
