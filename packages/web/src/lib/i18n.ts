import type { Language } from '@careline/shared';
import { en, type MessageKey } from '../i18n/en.ts';
import { vi } from '../i18n/vi.ts';
import { pl } from '../i18n/pl.ts';
import { createStore, useStore } from './store.ts';

const DICTS = { en, vi, pl } as const;
export const LANGS: Language[] = ['en', 'vi', 'pl'];

const guess = (): Language => {
  const stored = localStorage.getItem('careline.lang');
  if (stored && (LANGS as string[]).includes(stored)) return stored as Language;
  const nav = navigator.language.slice(0, 2);
  return (LANGS as string[]).includes(nav) ? (nav as Language) : 'en';
};

export const lang$ = createStore<Language>(guess());
export const setLanguage = (l: Language) => {
  localStorage.setItem('careline.lang', l);
  document.documentElement.lang = l;
  lang$.set(l);
};
document.documentElement.lang = lang$.get();

export type T = (key: MessageKey, vars?: Record<string, string | number>) => string;
export const translate = (l: Language): T => (key, vars) => {
  const s: string = DICTS[l][key] ?? en[key];
  return vars ? s.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m)) : s;
};

/** The current language's translate function; components re-render when the language changes. */
export const useT = (): T => {
  const l = useStore(lang$);
  return translate(l);
};
