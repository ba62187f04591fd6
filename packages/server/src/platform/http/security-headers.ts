import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';

// Helmet's headers never change between requests here (no CSP nonces), so they are computed once:
// @fastify/helmet rebuilds the whole helmet middleware, CSP parsing included, on every request.
const HELMET_OPTIONS = {
  contentSecurityPolicy: { directives: { 'script-src': ["'self'"], 'img-src': ["'self'", 'data:', 'blob:'], 'connect-src': ["'self'", 'ws:', 'wss:'] } },
  crossOriginEmbedderPolicy: false,
} as const;

/** The security headers every response carries (CSP, HSTS, no-sniff, frame and referrer policies…). */
export const securityHeaders = (): Record<string, string> => {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: string | number | readonly string[]) => { headers[name.toLowerCase()] = String(value); },
    removeHeader: (name: string) => { delete headers[name.toLowerCase()]; },
  };
  let failure: unknown;
  helmet(HELMET_OPTIONS)({} as IncomingMessage, res as unknown as ServerResponse, (error?: unknown) => { failure = error; });
  if (failure) throw failure;
  return headers;
};
