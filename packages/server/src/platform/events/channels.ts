// Bus channels besides committed domain events.
export const PRESENCE_CHANNEL = 'presence';
/** Published after inbox or team membership changes, so realtime sockets re-check what they may see. */
export const MEMBERSHIP_CHANNEL = 'membership';
