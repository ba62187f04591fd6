import { useSyncExternalStore } from 'react';

/** A tiny observable value (no state library): set() notifies React components using useStore(). */
export type Store<T> = { get(): T; set(next: T | ((prev: T) => T)): void; subscribe(fn: () => void): () => void };

export const createStore = <T>(initial: T): Store<T> => {
  let value = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    set(next) {
      const v = typeof next === 'function' ? (next as (p: T) => T)(value) : next;
      if (Object.is(v, value)) return;
      value = v;
      listeners.forEach((l) => l());
    },
    subscribe(fn) { listeners.add(fn); return () => listeners.delete(fn); },
  };
};

export const useStore = <T>(store: Store<T>): T => useSyncExternalStore(store.subscribe, store.get, store.get);
