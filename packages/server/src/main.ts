import { ConfigError, loadConfig } from './config.ts';
import { createApp, registerModules } from './app.ts';
import { closeDeps, createDeps } from './platform/runtime.ts';
import { seedIfEmpty } from './modules/demo/seed.ts';

// load config -> open db (migrate) -> wire modules -> seed on first start -> listen -> start jobs
const main = async () => {
  let config;
  try { config = loadConfig(); } catch (e) {
    if (e instanceof ConfigError) { console.error(e.message); process.exit(2); }
    throw e;
  }
  const deps = await createDeps(config);
  const services = registerModules(deps);
  const seeded = await seedIfEmpty(deps);
  const app = await createApp(deps);
  await app.listen({ host: config.HOST, port: config.PORT });
  deps.jobs.start();
  for (const service of services) await service.start();
  const engine = config.engine === 'postgres' ? 'PostgreSQL' : `SQLite in ${config.dataDir}`;
  console.log(`\nCareline is running at ${config.publicUrl} (${engine}${config.REDIS_URL ? ', Redis fan-out' : ''})`);
  if (seeded.created) {
    console.log('First start: created these sign-ins (shown once; change the passwords in your profile):');
    for (const l of seeded.logins) console.log(`  ${l.role.padEnd(10)} ${l.email.padEnd(28)} ${l.password}`);
  }
  console.log(`API docs: ${config.publicUrl}/api/docs\n`);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    deps.log.info({ signal }, 'shutting down');
    for (const service of services) await service.stop().catch((e) => deps.log.error({ err: e, service: service.name }, 'stop failed'));
    await app.close();
    await closeDeps(deps);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
};

await main();
