import { createStore, useStore } from './store.ts';

// A small history-API router: the app has a handful of routes, a library would be most of the bundle.
export const location$ = createStore({ path: window.location.pathname, search: window.location.search });

/** A screen with unsaved work can refuse to be left (returns false); used by the article editor. */
let leaveGuard: (() => boolean) | null = null;
export const setLeaveGuard = (fn: (() => boolean) | null) => { leaveGuard = fn; };

window.addEventListener('popstate', () => {
  const here = location$.get();
  if (leaveGuard && !leaveGuard()) { window.history.pushState(null, '', here.path + here.search); return; }
  location$.set({ path: window.location.pathname, search: window.location.search });
});

export const navigate = (to: string, opts: { replace?: boolean } = {}) => {
  const url = new URL(to, window.location.origin);
  if (url.pathname + url.search === window.location.pathname + window.location.search) return;
  if (leaveGuard && !leaveGuard()) return;
  window.history[opts.replace ? 'replaceState' : 'pushState'](null, '', url.pathname + url.search);
  location$.set({ path: url.pathname, search: url.search });
};

export const useLocation = () => useStore(location$);

/** Matches "/inbox/:view/c/:id"-style patterns; returns params or null. */
export const match = (pattern: string, path: string): Record<string, string> | null => {
  const p = pattern.split('/').filter(Boolean);
  const s = path.split('/').filter(Boolean);
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i]!.startsWith(':')) params[p[i]!.slice(1)] = decodeURIComponent(s[i]!);
    else if (p[i] !== s[i]) return null;
  }
  return params;
};
