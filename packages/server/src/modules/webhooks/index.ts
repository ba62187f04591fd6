import type { Deps } from '../../platform/context.ts';
import { createSubscriptionCache, deliverWebhook, recordDeliveries, webhookBackoff } from './deliver.ts';
import { DELIVER_QUEUE } from './webhooks.ts';

export { webhookRoutes } from './webhooks.routes.ts';

/** Every emitted event records its deliveries in the same transaction; a job sends each. */
export const registerWebhooks = (deps: Deps) => {
  deps.events.addTxListener(recordDeliveries(deps, createSubscriptionCache(deps)));
  deps.jobs.register(DELIVER_QUEUE, deliverWebhook(deps), { backoffMs: webhookBackoff });
};
