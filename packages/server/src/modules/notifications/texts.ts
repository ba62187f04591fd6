import type { Language, NotificationKind } from '@careline/shared';

// Push notifications are shown by the browser, so the server writes them in the recipient's language.
type Texts = Record<NotificationKind, (v: { number: number; customer: string; author: string }) => string>;
export const PUSH_TITLES: Record<Language, Texts> = {
  en: {
    assigned: (v) => `#${v.number} assigned to you · ${v.customer}`,
    mention: (v) => `${v.author} mentioned you in #${v.number}`,
    customer_reply: (v) => `${v.customer} replied in #${v.number}`,
  },
  vi: {
    assigned: (v) => `#${v.number} đã được giao cho bạn · ${v.customer}`,
    mention: (v) => `${v.author} đã nhắc đến bạn trong #${v.number}`,
    customer_reply: (v) => `${v.customer} đã trả lời trong #${v.number}`,
  },
  pl: {
    assigned: (v) => `#${v.number} przypisano do Ciebie · ${v.customer}`,
    mention: (v) => `${v.author} wspomniał(a) o Tobie w #${v.number}`,
    customer_reply: (v) => `${v.customer} odpowiedział(a) w #${v.number}`,
  },
};
export const UNKNOWN_CUSTOMER: Record<Language, string> = { en: 'Customer', vi: 'Khách hàng', pl: 'Klient' };
