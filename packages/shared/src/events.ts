/** Public event names (webhooks expose them): noun.past_tense. */
export const EVENT_NAMES = [
  'conversation.created',
  'conversation.updated',
  'conversation.status_changed',
  'conversation.assigned',
  'conversation.merged',
  'message.created',
  'message.updated',
  'contact.created',
  'contact.updated',
  'contact.merged',
  'inbox.health_changed',
] as const;
export type EventName = (typeof EVENT_NAMES)[number];

/** What travels on the bus and to webhooks. inboxId scopes who may see it. */
export type DomainEvent = {
  id: string;
  name: EventName;
  occurredAt: string;
  inboxId: string | null;
  data: Record<string, unknown>;
};
