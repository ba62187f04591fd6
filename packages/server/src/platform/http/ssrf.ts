import { lookup } from 'node:dns/promises';
import net from 'node:net';
import { PermanentJobError } from '../jobs/job-queue.ts';

// Outbound requests to URLs that users configure (webhooks, push endpoints) must not reach our own network.

export const isPrivateAddress = (ip: string): boolean => {
  if (net.isIPv4(ip)) {
    const [a, b] = ip.split('.').map(Number) as [number, number];
    return a === 10 || a === 127 || a === 0 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
  }
  const v = ip.toLowerCase();
  return v === '::1' || v === '::' || v.startsWith('fc') || v.startsWith('fd') || v.startsWith('fe80') || (v.startsWith('::ffff:') && isPrivateAddress(v.slice(7)));
};

/** Refuses URLs that resolve to a private or loopback address (a permanent job failure), unless allowed. */
export const assertPublicUrl = async (url: string, allowPrivate: boolean, resolve = lookup) => {
  if (allowPrivate) return;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  const addresses = net.isIP(host) ? [host] : (await resolve(host, { all: true })).map((a) => a.address);
  if (addresses.some(isPrivateAddress)) throw new PermanentJobError(`${host} resolves to a private address`);
};
