import type { TUser } from '@careline/shared';
import { loadDirectory, me$, refreshCounts } from './data.ts';
import { setLanguage } from './i18n.ts';
import { connect } from './realtime.ts';

/** After sign-in (or a remembered session): language, directory, live socket, counts. */
export const startSession = async (user: TUser) => {
  setLanguage(user.language);
  await loadDirectory();
  me$.set(user);
  connect();
  refreshCounts();
};
