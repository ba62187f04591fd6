import { z } from 'zod';
import { CONVERSATION_STATUSES } from './enums.ts';

// Contracts of the agent web app's own endpoints: canned replies, notifications, counts, reads, split.
const ZUuid = z.uuid();
const ZTs = z.string().describe('ISO 8601 UTC timestamp');

// ---- canned replies
export const ZCannedReply = z.object({
  id: ZUuid, shortcut: z.string(), title: z.string(), text: z.string(), createdById: ZUuid.nullable(), createdAt: ZTs, updatedAt: ZTs,
});
export type TCannedReply = z.infer<typeof ZCannedReply>;
const shortcut = z.string().trim().toLowerCase().min(1).max(50).regex(/^[a-z0-9][a-z0-9_-]*$/, 'letters, digits, - and _ only');
export const ZCreateCannedReplyRequest = z.strictObject({
  shortcut, title: z.string().trim().min(1).max(200), text: z.string().trim().min(1).max(20_000),
});
export type TCreateCannedReplyRequest = z.infer<typeof ZCreateCannedReplyRequest>;
export const ZUpdateCannedReplyRequest = ZCreateCannedReplyRequest.partial().strict();
export const ZListCannedRepliesQuery = z.strictObject({ q: z.string().trim().max(100).optional() });

// ---- notifications (Web Push)
export const NOTIFICATION_KINDS = ['assigned', 'mention', 'customer_reply'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export const ZNotificationPreferences = z.object({ assigned: z.boolean(), mention: z.boolean(), customerReply: z.boolean() });
export type TNotificationPreferences = z.infer<typeof ZNotificationPreferences>;
export const ZUpdateNotificationPreferences = ZNotificationPreferences.partial().strict();
export const ZPushSubscriptionRequest = z.strictObject({
  endpoint: z.url({ protocol: /^https?$/ }).max(2000),
  expirationTime: z.number().nullable().optional(),
  keys: z.strictObject({ p256dh: z.string().min(10).max(200), auth: z.string().min(10).max(100) }),
});
export type TPushSubscriptionRequest = z.infer<typeof ZPushSubscriptionRequest>;
export const ZUnsubscribeRequest = z.strictObject({ endpoint: z.string().max(2000) });
export const ZVapidPublicKey = z.object({ publicKey: z.string() });
/** What the service worker receives in a push message. */
export type PushPayload = { kind: NotificationKind; title: string; body: string; conversationId: string; url: string; tag: string };

// ---- counts and reads
export const ZConversationCounts = z.object({
  mine: z.number(), unassigned: z.number(), all: z.number(),
  status: z.record(z.enum(CONVERSATION_STATUSES), z.number()),
  inboxes: z.record(z.string(), z.number()), teams: z.record(z.string(), z.number()),
  unread: z.object({ mine: z.number(), unassigned: z.number(), all: z.number() }),
});
export type TConversationCounts = z.infer<typeof ZConversationCounts>;
export const ZRowDetailsQuery = z.strictObject({ ids: z.string().max(40 * 100).describe('comma-separated conversation ids (max 100)') });
/** What a list row needs beyond the conversation: the customer's name and handle, and my read marker. */
export const ZRowDetail = z.object({ contactName: z.string(), contactHandle: z.string().nullable(), lastReadAt: ZTs.nullable() });
export type TRowDetail = z.infer<typeof ZRowDetail>;
export const ZRowDetails = z.record(z.string(), ZRowDetail);

// ---- split
export const ZSplitMessageParams = z.strictObject({ id: ZUuid, messageId: ZUuid });
