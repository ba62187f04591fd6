import { z } from 'zod';
import {
  AVAILABILITY, CHANNELS, CONVERSATION_STATUSES, DELIVERY_STATES, IDENTITY_KINDS, LANGUAGES,
  MESSAGE_KINDS, PRIORITIES, ROLES,
} from './enums.ts';
import { EVENT_NAMES } from './events.ts';

// Shared building blocks. Requests are strict: an unknown field is a 400, not silently dropped.
export const ZId = z.uuid();
export const ZIdParams = z.strictObject({ id: ZId });
export const ZTimestamp = z.string().describe('ISO 8601 UTC timestamp');
const name = z.string().trim().min(1).max(200);
const text = (max: number) => z.string().max(max);
export const ZTimeZone = z.string().max(64).refine(isTimeZone, 'unknown IANA time zone');
export const ZCustomAttributes = z.record(z.string().max(100), z.union([z.string().max(2000), z.number(), z.boolean(), z.null()]))
  .refine((o) => Object.keys(o).length <= 50, 'at most 50 attributes');

function isTimeZone(tz: string) {
  try { new Intl.DateTimeFormat('en', { timeZone: tz }); return true; } catch { return false; }
}

export const ZPage = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });
export const ZPageQuery = z.strictObject({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

// ---- auth
export const ZSignInRequest = z.strictObject({ email: z.email().max(254), password: z.string().min(1).max(200) });
export const ZUser = z.object({
  id: ZId, email: z.string(), name: z.string(), role: z.enum(ROLES), language: z.enum(LANGUAGES),
  timeZone: z.string(), availability: z.enum(AVAILABILITY), createdAt: ZTimestamp,
  isDisabled: z.boolean(), teamIds: z.array(ZId), inboxIds: z.array(ZId),
});
export type TUser = z.infer<typeof ZUser>;
export const ZCreateUserRequest = z.strictObject({
  email: z.email().max(254), name, role: z.enum(ROLES).default('agent'),
  password: z.string().min(10).max(200), language: z.enum(LANGUAGES).default('en'),
  timeZone: ZTimeZone.default('UTC'),
});
export const ZUpdateUserRequest = z.strictObject({
  name: name.optional(), role: z.enum(ROLES).optional(), language: z.enum(LANGUAGES).optional(),
  timeZone: ZTimeZone.optional(), availability: z.enum(AVAILABILITY).optional(),
  password: z.string().min(10).max(200).optional(), isDisabled: z.boolean().optional(),
});
export const ZUpdateProfileRequest = ZUpdateUserRequest.pick({ name: true, language: true, timeZone: true, availability: true })
  .extend({ password: z.string().min(10).max(200).optional(), currentPassword: z.string().max(200).optional() }).strict();

export const ZApiToken = z.object({ id: ZId, name: z.string(), prefix: z.string(), createdAt: ZTimestamp, lastUsedAt: ZTimestamp.nullable(), revokedAt: ZTimestamp.nullable() });
export const ZCreateApiTokenRequest = z.strictObject({ name });
export const ZCreatedApiToken = ZApiToken.extend({ token: z.string().describe('shown once; store it now') });

// ---- teams
export const ZTeam = z.object({ id: ZId, name: z.string(), description: z.string(), memberIds: z.array(ZId), createdAt: ZTimestamp });
export const ZCreateTeamRequest = z.strictObject({ name, description: text(1000).default(''), memberIds: z.array(ZId).max(500).default([]) });
export const ZUpdateTeamRequest = z.strictObject({ name: name.optional(), description: text(1000).optional(), memberIds: z.array(ZId).max(500).optional() });

// ---- inboxes
export const ZInbox = z.object({
  id: ZId, name: z.string(), channel: z.enum(CHANNELS), businessName: z.string(), greeting: z.string(),
  emailAddress: z.string().nullable(), publicToken: z.string(), settings: z.record(z.string(), z.unknown()),
  memberIds: z.array(ZId), createdAt: ZTimestamp,
});
export type TInbox = z.infer<typeof ZInbox>;
export const ZCreateInboxRequest = z.strictObject({
  name, channel: z.enum(CHANNELS), businessName: text(200).default(''), greeting: text(2000).default(''),
  emailAddress: z.email().max(254).nullable().default(null), settings: z.record(z.string().max(100), z.unknown()).default({}),
  memberIds: z.array(ZId).max(1000).default([]),
});
export const ZUpdateInboxRequest = z.strictObject({
  name: name.optional(), businessName: text(200).optional(), greeting: text(2000).optional(),
  emailAddress: z.email().max(254).nullable().optional(), settings: z.record(z.string().max(100), z.unknown()).optional(),
  memberIds: z.array(ZId).max(1000).optional(),
});

// ---- organizations & contacts
export const ZOrganization = z.object({ id: ZId, name: z.string(), domain: z.string().nullable(), customAttributes: ZCustomAttributes, createdAt: ZTimestamp });
export const ZCreateOrganizationRequest = z.strictObject({ name, domain: text(253).nullable().default(null), customAttributes: ZCustomAttributes.default({}) });
export const ZUpdateOrganizationRequest = z.strictObject({ name: name.optional(), domain: text(253).nullable().optional(), customAttributes: ZCustomAttributes.optional() });

export const ZIdentity = z.object({ kind: z.enum(IDENTITY_KINDS), value: z.string() });
export const ZIdentityInput = z.strictObject({ kind: z.enum(IDENTITY_KINDS), value: z.string().trim().min(1).max(320) });
export const ZContact = z.object({
  id: ZId, name: z.string(), language: z.enum(LANGUAGES).nullable(), timeZone: z.string().nullable(),
  birthday: z.string().nullable(), isInternal: z.boolean(), customAttributes: ZCustomAttributes,
  organizationId: ZId.nullable(), identities: z.array(ZIdentity), createdAt: ZTimestamp, updatedAt: ZTimestamp,
});
export type TContact = z.infer<typeof ZContact>;
const birthday = z.iso.date().nullable();
export const ZCreateContactRequest = z.strictObject({
  name: text(200).default(''), language: z.enum(LANGUAGES).nullable().default(null), timeZone: ZTimeZone.nullable().default(null),
  birthday: birthday.default(null), isInternal: z.boolean().default(false), customAttributes: ZCustomAttributes.default({}),
  organizationId: ZId.nullable().default(null), identities: z.array(ZIdentityInput).max(20).default([]),
});
export const ZUpdateContactRequest = z.strictObject({
  name: text(200).optional(), language: z.enum(LANGUAGES).nullable().optional(), timeZone: ZTimeZone.nullable().optional(),
  birthday: birthday.optional(), isInternal: z.boolean().optional(), customAttributes: ZCustomAttributes.optional(),
  organizationId: ZId.nullable().optional(), identities: z.array(ZIdentityInput).max(20).optional(),
});
export const ZListContactsQuery = ZPageQuery.extend({ q: z.string().max(200).optional(), organizationId: ZId.optional() }).strict();
export const ZMergeContactsRequest = z.strictObject({ sourceId: ZId.describe('merged into the path contact, then removed') });

// ---- conversations & messages
export const ZAttachment = z.object({ id: ZId, filename: z.string(), contentType: z.string(), size: z.number(), url: z.string() });
export const ZMessage = z.object({
  id: ZId, conversationId: ZId, kind: z.enum(MESSAGE_KINDS), text: z.string(), html: z.string().nullable(),
  authorUserId: ZId.nullable(), authorContactId: ZId.nullable(), deliveryState: z.enum(DELIVERY_STATES),
  deliveryError: z.string().nullable(), metadata: z.record(z.string(), z.unknown()), attachments: z.array(ZAttachment),
  createdAt: ZTimestamp,
});
export type TMessage = z.infer<typeof ZMessage>;
export const ZConversation = z.object({
  id: ZId, number: z.number().int(), inboxId: ZId, contactId: ZId, status: z.enum(CONVERSATION_STATUSES),
  customStatusId: ZId.nullable(), priority: z.enum(PRIORITIES), assigneeId: ZId.nullable(), teamId: ZId.nullable(),
  subject: z.string(), tags: z.array(z.string()), customAttributes: ZCustomAttributes, snoozedUntil: ZTimestamp.nullable(),
  firstResponseAt: ZTimestamp.nullable(), resolvedAt: ZTimestamp.nullable(), lastActivityAt: ZTimestamp,
  lastIncomingAt: ZTimestamp.nullable(), mergedIntoId: ZId.nullable(), createdAt: ZTimestamp, updatedAt: ZTimestamp,
  lastMessagePreview: z.string(),
});
export type TConversation = z.infer<typeof ZConversation>;
export const ZConversationWithMessages = ZConversation.extend({ messages: z.array(ZMessage) });

const tag = z.string().trim().toLowerCase().min(1).max(50).regex(/^[^\s,]+$/, 'no spaces or commas');
const messageText = z.string().trim().min(1).max(65_536);
export const ZCreateConversationRequest = z.strictObject({
  inboxId: ZId,
  contactId: ZId.optional(),
  contact: ZCreateContactRequest.optional().describe('find-or-create by the first identity when contactId is absent'),
  subject: text(500).default(''),
  message: z.strictObject({ text: messageText, direction: z.enum(['incoming', 'outgoing']).default('incoming') }),
  priority: z.enum(PRIORITIES).default('normal'),
  assigneeId: ZId.nullable().default(null), teamId: ZId.nullable().default(null),
  tags: z.array(tag).max(50).default([]), customAttributes: ZCustomAttributes.default({}),
}).refine((b) => b.contactId || b.contact, { message: 'contactId or contact is required', path: ['contactId'] });
export const ZListConversationsQuery = ZPageQuery.extend({
  status: z.enum(CONVERSATION_STATUSES).optional(),
  assignee: z.union([z.literal('me'), z.literal('unassigned'), ZId]).optional(),
  teamId: ZId.optional(), inboxId: ZId.optional(), tag: tag.optional(), priority: z.enum(PRIORITIES).optional(),
  contactId: ZId.optional(), updatedSince: z.iso.datetime({ offset: true }).optional(),
  q: z.string().trim().min(1).max(200).optional().describe('text in the subject, last message, customer name/email/phone, or #number'),
  sort: z.enum(['newest', 'oldest', 'waiting', 'priority']).default('newest').describe('newest/oldest: by last activity; waiting: customer waiting longest first; priority: urgent first, then newest'),
}).strict();
export const ZReplyRequest = z.strictObject({ text: messageText, html: text(2_000_000).optional(), attachmentIds: z.array(ZId).max(20).optional() });
export const ZNoteRequest = z.strictObject({ text: messageText, attachmentIds: z.array(ZId).max(20).optional() });
export const ZAssignRequest = z.strictObject({ assigneeId: ZId.nullable().optional(), teamId: ZId.nullable().optional() })
  .refine((b) => b.assigneeId !== undefined || b.teamId !== undefined, { message: 'assigneeId or teamId is required', path: ['assigneeId'] });
export const ZUpdateConversationRequest = z.strictObject({
  status: z.enum(CONVERSATION_STATUSES).optional(), customStatusId: ZId.nullable().optional(),
  priority: z.enum(PRIORITIES).optional(), subject: text(500).optional(),
  snoozedUntil: z.iso.datetime({ offset: true }).nullable().optional(), customAttributes: ZCustomAttributes.optional(),
});
export const ZTagsRequest = z.strictObject({ tags: z.array(tag).min(1).max(50) });
export const ZMergeConversationsRequest = z.strictObject({ sourceId: ZId.describe('moved into the path conversation, then closed') });

export const ZCustomStatus = z.object({ id: ZId, name: z.string(), baseStatus: z.enum(CONVERSATION_STATUSES), createdAt: ZTimestamp });
export const ZCreateCustomStatusRequest = z.strictObject({ name: text(100).min(1), baseStatus: z.enum(CONVERSATION_STATUSES) });

// ---- webhooks
export const ZWebhook = z.object({ id: ZId, url: z.string(), events: z.array(z.enum(EVENT_NAMES)), isActive: z.boolean(), createdAt: ZTimestamp });
export const ZCreatedWebhook = ZWebhook.extend({ secret: z.string().describe('HMAC-SHA256 key; shown once') });
export const ZCreateWebhookRequest = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).max(2000), events: z.array(z.enum(EVENT_NAMES)).min(1), isActive: z.boolean().default(true),
});
export const ZUpdateWebhookRequest = z.strictObject({ url: z.url({ protocol: /^https?$/ }).max(2000).optional(), events: z.array(z.enum(EVENT_NAMES)).min(1).optional(), isActive: z.boolean().optional() });
export const ZWebhookDelivery = z.object({
  id: ZId, webhookId: ZId, event: z.string(), eventId: z.string(), status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number(), responseStatus: z.number().nullable(), error: z.string().nullable(), createdAt: ZTimestamp,
  deliveredAt: ZTimestamp.nullable(), nextAttemptAt: ZTimestamp.nullable(),
});

export const ZAuditEntry = z.object({
  id: ZId, actorType: z.string(), actorId: z.string().nullable(), entity: z.string(), entityId: z.string(),
  action: z.string(), before: z.unknown(), after: z.unknown(), createdAt: ZTimestamp,
});
