import type { DomainEvent, EventName } from '@careline/shared';
import type { Write } from '../../db/connection.ts';
import { newId } from '../ids.ts';
import type { Bus } from './bus.ts';

export const EVENTS_CHANNEL = 'events';

/** Runs inside the emitting transaction (e.g. webhooks record their deliveries), so nothing is lost between commit and delivery. */
export type TxListener = (w: Write, event: DomainEvent) => Promise<void>;

export type Events = {
  emit(w: Write, name: EventName, inboxId: string | null, data: Record<string, unknown>): Promise<DomainEvent>;
  addTxListener(listener: TxListener): void;
  /** Committed events from every node. */
  onEvent(handler: (event: DomainEvent) => void): () => void;
};

export const createEvents = (bus: Bus, now: () => string): Events => {
  const txListeners: TxListener[] = [];
  return {
    async emit(w, name, inboxId, data) {
      const event: DomainEvent = { id: newId(), name, occurredAt: now(), inboxId, data };
      for (const listener of txListeners) await listener(w, event);
      w.afterCommit(() => bus.publish(EVENTS_CHANNEL, event));
      return event;
    },
    addTxListener: (listener) => { txListeners.push(listener); },
    onEvent: (handler) => bus.subscribe(EVENTS_CHANNEL, handler),
  };
};
