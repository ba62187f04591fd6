import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../main.ts');
export const ADMIN = { email: 'admin@careline.local', password: 'test-admin-password' };

export const freePort = () => new Promise<number>((resolve, reject) => {
  const srv = net.createServer();
  srv.listen(0, '127.0.0.1', () => { const { port } = srv.address() as net.AddressInfo; srv.close(() => resolve(port)); });
  srv.on('error', reject);
});

export type ChildServer = { url: string; port: number; process: ChildProcess; output: () => string; kill(signal?: NodeJS.Signals): Promise<void> };

/** A real Careline server in its own process (node main.ts), as an operator would run it. */
export const startChildServer = async (env: Record<string, string | undefined>, port?: number): Promise<ChildServer> => {
  port ??= await freePort();
  const child = spawn(process.execPath, [MAIN], {
    // BENCH_SERVER_NODE_OPTIONS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) profiles the server of any benchmark.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS, LOG_LEVEL: 'warn', CARELINE_DEMO: 'off', CARELINE_ADMIN_PASSWORD: ADMIN.password, RATE_LIMIT_PER_MINUTE: '1000000', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { out += d; });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${out}`);
    try { if ((await fetch(`${url}/api/health`)).ok) break; } catch { /* not up yet */ }
    if (Date.now() > deadline) { child.kill('SIGKILL'); throw new Error(`server did not start:\n${out}`); }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url, port, process: child, output: () => out,
    kill: (signal = 'SIGTERM') => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill(signal);
    }),
  };
};

/** Signs in as the first admin and returns a Bearer token (API tokens need no CSRF origin). */
export const adminToken = async (url: string) => {
  const res = await fetch(`${url}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
  if (!res.ok) throw new Error(`sign-in failed ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const tok = await fetch(`${url}/api/v1/api-tokens`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, origin: url }, body: JSON.stringify({ name: 'test' }) });
  return { authorization: `Bearer ${((await tok.json()) as { token: string }).token}`, cookie };
};
