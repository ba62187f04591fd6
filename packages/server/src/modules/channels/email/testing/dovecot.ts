import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';

/**
 * A private Dovecot IMAP server for tests: its own config, state and maildirs in a temp dir, passwd-file
 * users, plain IMAP on a free loopback port. Works as root (drops to the dovecot users) and unprivileged.
 */
export const DOVECOT = '/usr/sbin/dovecot';
export const hasDovecot = fs.existsSync(DOVECOT);

const freePort = () => new Promise<number>((resolve, reject) => {
  const s = net.createServer();
  s.listen(0, '127.0.0.1', () => { const { port } = s.address() as net.AddressInfo; s.close(() => resolve(port)); });
  s.on('error', reject);
});

const idOf = (flag: string, name?: string) => Number(execFileSync('id', [flag, ...(name ? [name] : [])]).toString().trim());

/**
 * oauth2: also accept XOAUTH2 sign-in, each token checked at this RFC 7662 introspection
 * endpoint (POST token=…; the answer must say active: true and the user's name as username).
 */
export type DovecotOptions = { oauth2IntrospectionUrl?: string };

export const startDovecot = async (users: Record<string, string>, opts: DovecotOptions = {}) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'careline-dovecot-'));
  fs.chmodSync(dir, 0o755);
  for (const d of ['run', 'state', 'mail']) fs.mkdirSync(path.join(dir, d));
  const isRoot = process.getuid?.() === 0;
  const me = os.userInfo().username;
  const group = execFileSync('id', ['-gn']).toString().trim();
  const mailUid = isRoot ? idOf('-u', 'dovecot') : idOf('-u');
  const mailGid = isRoot ? idOf('-g', 'dovecot') : idOf('-g');
  if (isRoot) fs.chownSync(path.join(dir, 'mail'), mailUid, mailGid);
  fs.writeFileSync(path.join(dir, 'passwd'), Object.entries(users).map(([u, p]) => `${u}:{PLAIN}${p}::::::`).join('\n') + '\n');
  const port = await freePort();
  if (opts.oauth2IntrospectionUrl) {
    fs.writeFileSync(path.join(dir, 'oauth2.conf.ext'), [
      'introspection_mode = post', `introspection_url = ${opts.oauth2IntrospectionUrl}`,
      'username_attribute = username', 'active_attribute = active', 'active_value = true', '',
    ].join('\n'));
  }
  const oauth2 = opts.oauth2IntrospectionUrl ? `
passdb {
  driver = oauth2
  mechanisms = xoauth2
  args = ${dir}/oauth2.conf.ext
}` : '';
  fs.writeFileSync(path.join(dir, 'dovecot.conf'), `
protocols = imap
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/log
info_log_path = ${dir}/log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login${opts.oauth2IntrospectionUrl ? ' xoauth2' : ''}
default_internal_user = ${isRoot ? 'dovecot' : me}
default_internal_group = ${isRoot ? 'dovecot' : group}
default_login_user = ${isRoot ? 'dovenull' : me}
first_valid_uid = 0
first_valid_gid = 0
mail_location = maildir:${dir}/mail/%u
passdb {
  driver = passwd-file
  mechanisms = plain login
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}${oauth2}
userdb {
  driver = static
  args = uid=${mailUid} gid=${mailGid} home=${dir}/mail/%u
}
service imap-login {
  chroot =
  inet_listener imap {
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
service stats {
  unix_listener stats-writer {
    mode = 0666
  }
}
`);
  let child: ChildProcess | null = null;
  const waitPort = async (up: boolean) => {
    for (let i = 0; i < 200; i++) {
      const open = await new Promise<boolean>((r) => { const s = net.connect(port, '127.0.0.1'); s.once('connect', () => { s.destroy(); r(true); }); s.once('error', () => r(false)); });
      if (open === up) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`dovecot did not ${up ? 'start' : 'stop'}: ${fs.existsSync(path.join(dir, 'log')) ? fs.readFileSync(path.join(dir, 'log'), 'utf8').slice(-2000) : ''}`);
  };
  const start = async () => {
    child = spawn(DOVECOT, ['-F', '-c', path.join(dir, 'dovecot.conf')], { stdio: 'ignore' });
    await waitPort(true);
  };
  const stop = async () => {
    if (!child) return;
    const c = child; child = null;
    await new Promise<void>((r) => { c.once('exit', () => r()); c.kill('SIGTERM'); });
    await waitPort(false);
  };
  await start();
  return { port, dir, start, stop, async close() { await stop(); fs.rmSync(dir, { recursive: true, force: true }); } };
};
