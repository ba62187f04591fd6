import type { Channel, DeliveryState } from '@careline/shared';

// Inline SVG icons (no icon font: every byte of the first screen counts). 16px, currentColor.
const P: Record<string, string> = {
  email: 'M2 4h12v8H2z M2 4l6 5 6-5',
  chat: 'M2 3h12v8H7l-3 3v-3H2z',
  webform: 'M3 2h10v12H3z M5 5h6 M5 8h6 M5 11h3',
  api: 'M5 4L1 8l4 4 M11 4l4 4-4 4 M9 3L7 13',
  phone: 'M4 2h3l1 3-2 1a8 8 0 0 0 4 4l1-2 3 1v3a1 1 0 0 1-1 1A11 11 0 0 1 3 3a1 1 0 0 1 1-1z',
  messaging: 'M2 3h9v7H6l-3 2v-2H2z M11 6h3v6h-1v2l-2-2H7',
  inbox: 'M2 9l2-6h8l2 6v4H2z M2 9h4l1 2h2l1-2h4',
  user: 'M8 8a3 3 0 1 0 0-6 3 3 0 0 0 0 6z M2 14c0-3 3-5 6-5s6 2 6 5',
  users: 'M6 7a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5z M1 13c0-2.5 2.2-4 5-4s5 1.5 5 4 M11 2.5a2.5 2.5 0 0 1 0 4.5 M12 9c2 .5 3 2 3 4',
  layers: 'M8 2l6 3-6 3-6-3z M2 8l6 3 6-3 M2 11l6 3 6-3',
  copy: 'M5.5 5.5h8v8.5h-8z M3 11V2.5h7.5',
  // Email composer: forward, links, new email.
  forward: 'M9 3l5 5-5 5 M14 8H6a4 4 0 0 0-4 4v1',
  link: 'M7 9a3 3 0 0 0 4 .5l2.5-2.5a3 3 0 0 0-4.2-4.2L8 4 M9 7a3 3 0 0 0-4-.5L2.5 9a3 3 0 0 0 4.2 4.2L8 12',
  plus: 'M8 3v10 M3 8h10',
  'new-email': 'M14 8v5H2V4h7 M2 4l6 5 2.5-2 M13 1v5 M10.5 3.5h5',
  article: 'M3 2h10v12H3z M5 5h6 M5 8h6 M5 11h4',
  download: 'M8 2v8 M4.5 6.5L8 10l3.5-3.5 M3 13h10',
  circle: 'M8 14A6 6 0 1 0 8 2a6 6 0 0 0 0 12z',
  check: 'M3 8l3 3 7-7',
  checks: 'M1 8l3 3 6-6 M7 11l1 0 7-7',
  clock: 'M8 14A6 6 0 1 0 8 2a6 6 0 0 0 0 12z M8 5v3l2 2',
  alert: 'M8 2l6.5 11h-13z M8 6v3 M8 11v.5',
  paperclip: 'M11 5l-5 5a1.5 1.5 0 0 0 2 2l6-6a3 3 0 0 0-4-4L4 8a4.5 4.5 0 0 0 6 6l4-4',
  search: 'M7 12A5 5 0 1 0 7 2a5 5 0 0 0 0 10z M11 11l3.5 3.5',
  settings: 'M8 10a2 2 0 1 0 0-4 2 2 0 0 0 0 4z M8 1v2 M8 13v2 M1 8h2 M13 8h2 M3 3l1.5 1.5 M11.5 11.5L13 13 M3 13l1.5-1.5 M11.5 4.5L13 3',
  shield: 'M8 1l6 2v5c0 3.5-2.5 6-6 7-3.5-1-6-3.5-6-7V3z',
  logout: 'M6 2H2v12h4 M10 5l3 3-3 3 M13 8H6',
  keyboard: 'M1 4h14v8H1z M4 7h1 M7 7h1 M10 7h1 M5 10h6',
  eye: 'M1 8s2.5-5 7-5 7 5 7 5-2.5 5-7 5-7-5-7-5z M8 10a2 2 0 1 0 0-4 2 2 0 0 0 0 4z',
  pen: 'M11 2l3 3-8 8H3v-3z',
  note: 'M3 2h7l3 3v9H3z M10 2v3h3 M5 8h6 M5 11h4',
  merge: 'M4 2v4c0 2 2 3 4 3s4 1 4 3v2 M12 2v4 M4 14v-2',
  split: 'M8 14V8L3 3 M8 8l5-5 M3 7V3h4 M13 7V3H9',
  x: 'M4 4l8 8 M12 4l-8 8',
  snooze: 'M8 14A6 6 0 1 0 8 2 M8 5v3l2 2 M2 2h3L2 6h3',
  tag: 'M2 2h6l6 6-6 6-6-6z M5 5h.5',
  flag: 'M3 14V2 M3 2h9l-2 3 2 3H3',
  back: 'M10 3L5 8l5 5',
  bell: 'M4 11V7a4 4 0 0 1 8 0v4l1 2H3z M6.5 14a1.5 1.5 0 0 0 3 0',
};

export const Icon = ({ name, size = 16, className, label }: { name: string; size?: number; className?: string; label?: string }) => (
  <svg width={size} height={size} viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth={1.5} strokeLinecap="round" strokeLinejoin="round"
    className={`icon ${className ?? ''}`} role={label ? 'img' : undefined} aria-label={label} aria-hidden={label ? undefined : true}>
    {(P[name] ?? P.circle)!.split(' M').map((d, i) => <path key={i} d={i ? `M${d}` : d} />)}
  </svg>
);

export const ChannelIcon = ({ channel, label }: { channel: Channel; label: string }) => <Icon name={channel} className={`ch ch-${channel}`} label={label} />;

export const DELIVERY_ICON: Record<DeliveryState, string> = { received: 'check', queued: 'clock', sent: 'check', delivered: 'checks', read: 'checks', failed: 'alert' };
