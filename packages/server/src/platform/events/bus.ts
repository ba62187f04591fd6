import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';

/**
 * Fan-out of realtime messages to every node. In-process by default; with REDIS_URL every node
 * publishes to Redis and receives from it (its own messages included), so all nodes see the same stream.
 */
export type Bus = {
  publish(channel: string, message: unknown): void;
  subscribe(channel: string, handler: (message: any) => void): () => void;
  close(): Promise<void>;
};

export const createLocalBus = (): Bus => {
  const emitter = new EventEmitter().setMaxListeners(0);
  return {
    publish: (channel, message) => queueMicrotask(() => emitter.emit(channel, message)),
    subscribe(channel, handler) { emitter.on(channel, handler); return () => emitter.off(channel, handler); },
    close: async () => { emitter.removeAllListeners(); },
  };
};

export const createRedisBus = async (url: string, onError: (e: Error) => void): Promise<Bus> => {
  const prefix = 'careline:';
  const pub = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true });
  const sub = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true });
  pub.on('error', onError); sub.on('error', onError);
  await Promise.all([pub.connect(), sub.connect()]);
  const local = createLocalBus();
  sub.on('message', (channel: string, raw: string) => {
    try { local.publish(channel.slice(prefix.length), JSON.parse(raw)); } catch (e) { onError(e as Error); }
  });
  const subscribed = new Set<string>();
  return {
    publish: (channel, message) => { void pub.publish(prefix + channel, JSON.stringify(message)).catch(onError); },
    subscribe(channel, handler) {
      if (!subscribed.has(channel)) { subscribed.add(channel); void sub.subscribe(prefix + channel).catch(onError); }
      return local.subscribe(channel, handler);
    },
    async close() { await local.close(); pub.disconnect(); sub.disconnect(); },
  };
};
