import { createHmac } from 'node:crypto';
import { safeEqual } from '../../../platform/ids.ts';

/**
 * Identity verification: the host site's server signs its signed-in user with the inbox secret, so a
 * visitor cannot claim to be someone else. signature = hex(HMAC-SHA256(secret, `${userId}\n${email}`)).
 */
export const identityPayload = (userId: string, email?: string | null) => `${userId}\n${(email ?? '').trim().toLowerCase()}`;

export const signIdentity = (secret: string, userId: string, email?: string | null) =>
  createHmac('sha256', secret).update(identityPayload(userId, email)).digest('hex');

export const isIdentitySigned = (secret: string, identity: { userId: string; email?: string | null; signature: string }) =>
  safeEqual(signIdentity(secret, identity.userId, identity.email), identity.signature.toLowerCase());

/** Attachment links for the widget (an <img> cannot send headers): signed with the inbox secret. */
export const attachmentSignature = (secret: string, attachmentId: string) =>
  createHmac('sha256', secret).update(`attachment\n${attachmentId}`).digest('base64url').slice(0, 32);
