import type { Deps } from '../../platform/context.ts';
import { enqueueNotifications, PUSH_QUEUE } from './notify.ts';
import { sendPush } from './push.ts';

export { notificationRoutes } from './notifications.routes.ts';
export { getVapidKeys } from './vapid.ts';

/** Assignment, @mention and customer-reply events become durable Web Push jobs. */
export const registerNotifications = (deps: Deps) => {
  deps.events.addTxListener(enqueueNotifications(deps));
  deps.jobs.register(PUSH_QUEUE, sendPush(deps));
};
