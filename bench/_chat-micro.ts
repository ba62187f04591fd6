import { createTestApp } from '../packages/server/src/testing/test-app.ts';
import { sendVisitorMessage } from '../packages/server/src/modules/channels/chat/operations/send-message.ts';
import { newId } from '../packages/server/src/platform/ids.ts';
const t = await createTestApp();
const deps = t.deps;
const inboxId = newId(); const now = deps.clock.iso();
await deps.db.transaction(async ({ tx }) => {
  await tx.insertInto('inboxes').values({ id: inboxId, name: 'w', channel: 'chat', settings: '{}', public_token: 'tok', secret: 's', created_at: now, updated_at: now } as any).execute();
});
const N = 2000;
const ids: string[] = [];
await deps.db.transaction(async ({ tx }) => {
  for (let i = 0; i < N; i++) { const id = newId(); ids.push(id); await tx.insertInto('chat_visitors').values({ id, inbox_id: inboxId, name: `v${i}`, last_seen_at: now, created_at: now, updated_at: now } as any).execute(); }
});
const round = async (label: string, seq: number) => {
  const c0 = process.cpuUsage(); const t0 = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: 50 }, async () => { while (next < N) { const i = next++; await sendVisitorMessage(deps, ids[i]!, { clientId: `${seq}-${i}`, text: `hello ${i} ${seq}` }); } }));
  const c = process.cpuUsage(c0); const ms = performance.now() - t0;
  console.log(label, `${(N / ms * 1000).toFixed(0)} msg/s`, `CPU/msg ${((c.user + c.system) / 1000 / N).toFixed(3)} ms`);
};
await round('first (new conversations)', 1);
await round('second', 2);
await round('third', 3);
await t.close();
