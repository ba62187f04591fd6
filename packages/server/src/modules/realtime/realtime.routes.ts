import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../platform/context.ts';
import { getVisibleConversationRow } from '../conversations/index.ts';
import { type Hub, type PresenceMessage } from './hub.ts';
import { PRESENCE_CHANNEL } from '../../platform/events/channels.ts';

const ZClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('presence'), conversationId: z.uuid(), state: z.enum(['viewing', 'typing', 'left']) }),
  z.object({ type: z.literal('ping') }),
]);

/**
 * GET /api/v1/realtime (WebSocket). Authenticated by the session cookie (or a Bearer token); the
 * Origin check in app.ts protects it against cross-site WebSocket hijacking. Server → client:
 * {type:'event', event} and {type:'presence', …}. Client → server: presence and ping.
 */
export const realtimeRoutes = (deps: Deps, hub: Hub): FastifyPluginAsync => async (app) => {
  app.get('/realtime', { websocket: true, config: { access: 'user' }, schema: { tags: ['realtime'], summary: 'WebSocket: live conversation, message and presence events' } }, async (socket, req) => {
    const actor = req.ctx.actor;
    if (actor.type !== 'user') { socket.close(4401, 'unauthenticated'); return; }
    await hub.add(socket, actor.user);
    socket.send(JSON.stringify({ type: 'ready', userId: actor.user.id }));
    const alive = setInterval(() => socket.ping(), 30_000);
    // Conversations this socket announced itself in, so a closed tab does not leave a ghost "viewing".
    const present = new Map<string, string>();
    socket.on('close', () => {
      clearInterval(alive);
      for (const [conversationId, inboxId] of present) {
        deps.bus.publish(PRESENCE_CHANNEL, { type: 'presence', conversationId, inboxId, user: { id: actor.user.id, name: actor.user.name }, state: 'left', at: deps.clock.iso() } satisfies PresenceMessage);
      }
    });
    socket.on('message', async (raw) => {
      const parsed = ZClientMessage.safeParse((() => { try { return JSON.parse(String(raw)); } catch { return null; } })());
      if (!parsed.success) { socket.send(JSON.stringify({ type: 'error', code: 'VALIDATION_FAILED', detail: 'Unknown message' })); return; }
      const msg = parsed.data;
      if (msg.type === 'ping') { socket.send(JSON.stringify({ type: 'pong' })); return; }
      try {
        const conversation = await getVisibleConversationRow(req.ctx, msg.conversationId);
        const presence: PresenceMessage = {
          type: 'presence', conversationId: conversation.id, inboxId: conversation.inbox_id,
          user: { id: actor.user.id, name: actor.user.name }, state: msg.state, at: deps.clock.iso(),
        };
        if (msg.state === 'left') present.delete(conversation.id); else present.set(conversation.id, conversation.inbox_id);
        deps.bus.publish(PRESENCE_CHANNEL, presence);
      } catch {
        socket.send(JSON.stringify({ type: 'error', code: 'NOT_FOUND', detail: 'Conversation not found' }));
      }
    });
  });
};
