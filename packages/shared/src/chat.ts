import { z } from 'zod';

// Live chat: the widget's public API (/widget-api/*), its WebSocket protocol and the chat inbox settings.
// The widget bundle imports only the *types* from here (zod stays out of its 30 KB budget).

export const CHAT_LANGUAGES = ['en', 'vi', 'pl'] as const;
export type ChatLanguage = (typeof CHAT_LANGUAGES)[number];

/** Limits shared by the server and the widget (the widget checks first, the server enforces). */
export const CHAT_LIMITS = {
  textMax: 5000,
  attachmentBytes: 10 * 1024 * 1024,
  /** Messages a visitor may send in a burst, then one more per `refillMs`. */
  burst: 20,
  refillMs: 1000,
} as const;

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:MM');
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Opening hours in the business's time zone; a day without intervals is closed. */
export const ZBusinessHours = z.object({
  timeZone: z.string().max(64).default('UTC'),
  days: z.partialRecord(z.enum(WEEKDAYS), z.array(z.object({ open: hhmm, close: hhmm })).max(4)).default({}),
});
export type TBusinessHours = z.infer<typeof ZBusinessHours>;

/** What a chat inbox's `settings` JSON may hold (unknown keys are kept but ignored). */
export const ZChatSettings = z.object({
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/).default('#2563eb'),
  position: z.enum(['right', 'left']).default('right'),
  /** 'auto' follows the visitor's browser. */
  language: z.enum(['auto', ...CHAT_LANGUAGES]).default('auto'),
  /** Sites allowed to embed the widget, as origins (https://shop.example.com). Empty: any site. */
  allowedOrigins: z.array(z.string().max(300)).max(100).default([]),
  preChatForm: z.object({
    enabled: z.boolean().default(false),
    requireName: z.boolean().default(false),
    requireEmail: z.boolean().default(true),
  }).default({ enabled: false, requireName: false, requireEmail: true }),
  /** null: no schedule, online whenever an agent is. */
  businessHours: ZBusinessHours.nullable().default(null),
  /** A reply the visitor has not read after this many minutes is sent to their email address. */
  emailFollowUpMinutes: z.number().min(0).max(24 * 60).default(2),
  /** Reply-To of follow-up emails, e.g. the address of an email inbox, so the conversation continues by email. */
  replyToEmail: z.email().nullable().default(null),
});
export type TChatSettings = z.infer<typeof ZChatSettings>;

/** Parses stored settings leniently: a bad field falls back to its default, never breaks the widget. */
export const parseChatSettings = (raw: unknown): TChatSettings => {
  const input = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const full = ZChatSettings.safeParse(input);
  if (full.success) return full.data;
  const bad = new Set(full.error.issues.map((i) => String(i.path[0])));
  return ZChatSettings.parse(Object.fromEntries(Object.entries(input).filter(([k]) => !bad.has(k))));
};

// ---- HTTP (/widget-api/*)

export const ZWidgetPresence = z.object({
  isOnline: z.boolean(),
  /** When the team is next online (start of the next business-hours interval); null when unknown or online. */
  backAt: z.string().nullable(),
});
export type TWidgetPresence = z.infer<typeof ZWidgetPresence>;

export const ZWidgetConfig = z.object({
  businessName: z.string(), greeting: z.string(), color: z.string(), position: z.enum(['right', 'left']),
  language: z.enum(['auto', ...CHAT_LANGUAGES]), preChatForm: ZChatSettings.shape.preChatForm,
  presence: ZWidgetPresence, limits: z.object({ textMax: z.number(), attachmentBytes: z.number() }),
});
export type TWidgetConfig = z.infer<typeof ZWidgetConfig>;

/**
 * Identity of a signed-in user of the host site. signature = hex HMAC-SHA256 with the inbox secret over
 * `${userId}\n${email ?? ''}` (computed on the host site's server, never in the browser).
 */
export const ZWidgetIdentity = z.strictObject({
  userId: z.string().trim().min(1).max(200).regex(/^[^\n]+$/),
  email: z.email().max(254).optional(),
  name: z.string().trim().max(200).optional(),
  signature: z.string().regex(/^[0-9a-fA-F]{64}$/, 'hex HMAC-SHA256'),
});
export type TWidgetIdentity = z.infer<typeof ZWidgetIdentity>;

export const ZWidgetSessionRequest = z.strictObject({
  token: z.string().min(1).max(100).describe("the inbox's public token"),
  visitorToken: z.string().max(200).optional().describe('resume this visitor (kept by the widget in localStorage)'),
  identity: ZWidgetIdentity.optional(),
  name: z.string().trim().max(200).optional(),
  email: z.email().max(254).optional(),
  language: z.enum(CHAT_LANGUAGES).optional(),
});

export const ZWidgetVisitor = z.object({
  id: z.string(), name: z.string(), email: z.string().nullable(), isIdentified: z.boolean(), hasConversation: z.boolean(),
});
export type TWidgetVisitor = z.infer<typeof ZWidgetVisitor>;

export const ZWidgetSession = z.object({ visitorToken: z.string(), visitor: ZWidgetVisitor, isNew: z.boolean() });
export type TWidgetSession = z.infer<typeof ZWidgetSession>;

export const ZChatAttachment = z.object({ id: z.string(), filename: z.string(), contentType: z.string(), size: z.number(), url: z.string() });
/** A message as the visitor sees it: only customer and agent messages, never internal notes. */
export const ZChatMessage = z.object({
  id: z.string(),
  kind: z.enum(['incoming', 'outgoing']),
  text: z.string(),
  createdAt: z.string(),
  author: z.object({ type: z.enum(['visitor', 'agent']), name: z.string() }),
  attachments: z.array(ZChatAttachment),
  /** For the visitor's own messages: whether an agent has read it; for agent messages: sent | read. */
  deliveryState: z.string(),
  clientId: z.string().nullable(),
});
export type TChatMessage = z.infer<typeof ZChatMessage>;

export const ZWidgetSendRequest = z.strictObject({
  text: z.string().trim().max(CHAT_LIMITS.textMax).default(''),
  clientId: z.string().min(1).max(64).describe('chosen by the widget; a resend with the same id is not stored twice'),
  attachmentIds: z.array(z.uuid()).max(5).default([]),
});
export const ZWidgetEmailRequest = z.strictObject({ email: z.email().max(254), name: z.string().trim().max(200).optional() });
export const ZWidgetTranscriptRequest = z.strictObject({ email: z.email().max(254).optional() });
export const ZWidgetArticle = z.object({ id: z.string(), title: z.string(), url: z.string(), snippet: z.string() });
export type TWidgetArticle = z.infer<typeof ZWidgetArticle>;

// ---- WebSocket /widget-api/socket (JSON text frames)

/** Client → server. The first frame must be `hello`; `after` is the id of the last message the widget has. */
export const ZChatClientFrame = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), visitorToken: z.string().max(200), after: z.string().max(64).nullable().optional() }),
  z.object({ type: z.literal('message'), clientId: z.string().min(1).max(64), text: z.string().max(CHAT_LIMITS.textMax), attachmentIds: z.array(z.uuid()).max(5).optional() }),
  z.object({ type: z.literal('typing'), isTyping: z.boolean() }),
  z.object({ type: z.literal('read'), messageId: z.string().max(64) }),
  z.object({ type: z.literal('ping') }),
]);
export type TChatClientFrame = z.infer<typeof ZChatClientFrame>;

/** Server → client. */
export type TChatServerFrame =
  | { type: 'ready'; visitor: TWidgetVisitor; presence: TWidgetPresence }
  /** A new or changed message (replace by id; order by createdAt, id). */
  | { type: 'message'; message: TChatMessage }
  /** The stored message for a `message` frame the client sent. */
  | { type: 'ack'; clientId: string; message: TChatMessage }
  | { type: 'typing'; agent: { name: string }; isTyping: boolean }
  | { type: 'presence'; presence: TWidgetPresence }
  | { type: 'pong' }
  | { type: 'error'; code: string; detail: string; clientId?: string };
