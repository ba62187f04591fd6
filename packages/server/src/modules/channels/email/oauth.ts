import type { Deps } from '../../../platform/context.ts';
import { saveTokens, type Channel } from './operations/settings.ts';

/**
 * XOAUTH2 sign-in (Microsoft 365, Google Workspace): a stored refresh token is exchanged for a short-lived
 * access token at the provider's token endpoint, refreshed a minute before it expires, and the new
 * token (and a rotated refresh token, when the provider sends one) is saved for the next connection.
 */
export class OAuthError extends Error {}

const inFlight = new Map<string, Promise<string>>();
/**
 * The last token refreshed per inbox, with the refresh token it came from and the one now current: a
 * channel loaded just before another send or fetch saved its refresh uses it instead of refreshing again
 * (which, with rotating refresh tokens, would present one already used).
 */
const latest = new Map<string, { accessToken: string; expiresAt: string; usedRefreshToken: string; refreshToken: string }>();

export const accessTokenFor = async (deps: Deps, channel: Channel, opts: { force?: boolean } = {}): Promise<string> => {
  const s = channel.secrets;
  const known = latest.get(channel.inboxId);
  if (known && s.oauth2RefreshToken && [known.usedRefreshToken, known.refreshToken].includes(s.oauth2RefreshToken)
    && Date.parse(known.expiresAt) > (s.oauth2AccessTokenExpiresAt ? Date.parse(s.oauth2AccessTokenExpiresAt) : 0)) {
    Object.assign(s, { oauth2AccessToken: known.accessToken, oauth2AccessTokenExpiresAt: known.expiresAt, oauth2RefreshToken: known.refreshToken });
  }
  const expires = s.oauth2AccessTokenExpiresAt ? Date.parse(s.oauth2AccessTokenExpiresAt) : 0;
  if (!opts.force && s.oauth2AccessToken && expires - 60_000 > deps.clock.now().getTime()) return s.oauth2AccessToken;
  const running = inFlight.get(channel.inboxId);
  if (running) return running;
  const p = refresh(deps, channel).finally(() => inFlight.delete(channel.inboxId));
  inFlight.set(channel.inboxId, p);
  return p;
};

const refresh = async (deps: Deps, channel: Channel) => {
  const o = channel.config.oauth2;
  if (!o || !channel.secrets.oauth2RefreshToken) throw new OAuthError('OAuth2 is not set up for this inbox (token URL, client id and refresh token are needed).');
  const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: channel.secrets.oauth2RefreshToken, client_id: o.clientId });
  if (channel.secrets.oauth2ClientSecret) body.set('client_secret', channel.secrets.oauth2ClientSecret);
  if (o.scope) body.set('scope', o.scope);
  const res = await fetch(o.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body, signal: AbortSignal.timeout(30_000) });
  const json = await res.json().catch(() => ({})) as { access_token?: string; expires_in?: number; refresh_token?: string; error?: string; error_description?: string };
  if (!res.ok || !json.access_token) throw new OAuthError(`Token refresh failed (${res.status}): ${json.error_description ?? json.error ?? 'no access token'}`);
  const expiresAt = new Date(deps.clock.now().getTime() + (json.expires_in ?? 3600) * 1000).toISOString();
  await saveTokens(deps, channel.inboxId, { accessToken: json.access_token, expiresAt, refreshToken: json.refresh_token });
  const used = channel.secrets.oauth2RefreshToken;
  latest.set(channel.inboxId, { accessToken: json.access_token, expiresAt, usedRefreshToken: used, refreshToken: json.refresh_token ?? used });
  channel.secrets.oauth2AccessToken = json.access_token;
  channel.secrets.oauth2AccessTokenExpiresAt = expiresAt;
  if (json.refresh_token) channel.secrets.oauth2RefreshToken = json.refresh_token;
  return json.access_token;
};
