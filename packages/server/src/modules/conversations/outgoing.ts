import type { Write } from '../../db/connection.ts';
import type { Ctx } from '../../platform/context.ts';
import type { DeliveryState } from '@careline/shared';
import type { DB } from '../../db/schema.ts';

/**
 * How an agent's reply leaves Careline, per channel. A channel module registers its sender (email
 * enqueues an SMTP job and answers 'queued'); channels without one deliver through the realtime
 * socket or the API, so the message is 'sent' as soon as it is stored.
 */
export type OutgoingSender = (w: Write, ctx: Ctx, args: { messageId: string; conversation: DB['conversations']; inbox: DB['inboxes'] }) => Promise<DeliveryState>;

const senders = new Map<string, OutgoingSender>();
export const registerOutgoingSender = (channel: string, sender: OutgoingSender) => { senders.set(channel, sender); };
export const outgoingSenderFor = (channel: string) => senders.get(channel);
