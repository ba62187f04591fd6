export { inboxRoutes } from './inboxes.routes.ts';
export { visibleInboxIds, canSeeInbox, findInboxRow, getInbox } from './inboxes.ts';
