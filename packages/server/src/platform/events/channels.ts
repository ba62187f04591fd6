// Bus channels besides committed domain events.
export const PRESENCE_CHANNEL = 'presence';
/** Published after inbox or team membership changes, so realtime sockets re-check what they may see. */
export const MEMBERSHIP_CHANNEL = 'membership';
/** Published after sign-out, token revocation or a user change, so every node drops cached identities. */
export const AUTH_CHANNEL = 'auth.changed';
