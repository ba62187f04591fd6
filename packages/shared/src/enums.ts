export const ROLES = ['admin', 'supervisor', 'agent'] as const;
export type Role = (typeof ROLES)[number];

export const LANGUAGES = ['en', 'vi', 'pl'] as const;
export type Language = (typeof LANGUAGES)[number];

export const AVAILABILITY = ['online', 'busy', 'offline'] as const;
export type Availability = (typeof AVAILABILITY)[number];

export const CHANNELS = ['email', 'chat', 'webform', 'api', 'phone', 'messaging'] as const;
export type Channel = (typeof CHANNELS)[number];

/** The five base states; custom statuses map onto one of them. */
export const CONVERSATION_STATUSES = ['open', 'pending', 'snoozed', 'resolved', 'closed'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** incoming = from the customer, outgoing = from us, note = internal, activity = system line. */
export const MESSAGE_KINDS = ['incoming', 'outgoing', 'note', 'activity'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

export const DELIVERY_STATES = ['received', 'queued', 'sent', 'delivered', 'read', 'failed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export const IDENTITY_KINDS = ['email', 'phone', 'visitor', 'external'] as const;
export type IdentityKind = (typeof IDENTITY_KINDS)[number];
