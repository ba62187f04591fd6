export { cannedReplyRoutes } from './canned-replies.routes.ts';
export { listCannedReplies } from './canned-replies.ts';
