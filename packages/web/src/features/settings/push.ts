import { get, post } from '../../lib/api.ts';

export const pushSupported = () => 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;

const keyBytes = (base64url: string) => {
  const s = atob(base64url.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (base64url.length % 4)) % 4));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
};

/** Asks permission, subscribes this browser with the server's VAPID key and registers the subscription. */
export const enablePush = async () => {
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') return permission;
  const reg = await navigator.serviceWorker.ready;
  const { publicKey } = await get<{ publicKey: string }>('/notifications/vapid-public-key');
  const existing = await reg.pushManager.getSubscription();
  const sub = existing ?? await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) });
  await post('/notifications/subscriptions', sub.toJSON());
  return permission;
};

export const showTestNotification = async (title: string, body: string) => {
  const reg = await navigator.serviceWorker.ready;
  await reg.showNotification(title, { body, tag: 'careline-test', icon: '/icon-192.png', data: { url: '/' } });
};

// The browser offers installation once; keep the event for the "Install" button.
type InstallEvent = Event & { prompt(): Promise<void> };
let installEvent: InstallEvent | null = null;
window.addEventListener('beforeinstallprompt', (e) => { e.preventDefault(); installEvent = e as InstallEvent; });
export const canInstall = () => installEvent !== null;
export const install = async () => { await installEvent?.prompt(); installEvent = null; };
