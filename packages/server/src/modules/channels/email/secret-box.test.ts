import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../config.ts';
import { KEY_FILE, open, seal, secretKeyOf } from './secret-box.ts';

const dirs: string[] = [];
const tmp = () => { const d = fs.mkdtempSync(path.join(os.tmpdir(), 'careline-key-')); dirs.push(d); return d; };
afterAll(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

describe('mailbox credential encryption', () => {
  it('generates the key file once (mode 0600) when CARELINE_SECRET_KEY is unset, and reuses it', () => {
    const dir = path.join(tmp(), 'data');
    const key = secretKeyOf({ dataDir: dir, CARELINE_SECRET_KEY: undefined });
    const file = path.join(dir, KEY_FILE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(key).toHaveLength(32);
    expect(Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64').equals(key)).toBe(true);
    const sealed = seal(key, 'inbox-1', { imapPassword: 'hunter2-hunter2' });
    // Another process (a restart) reads the same file, keeps it, and opens what the first one sealed.
    const module = pathToFileURL(path.join(import.meta.dirname, 'secret-box.ts')).href;
    const script = `const { secretKeyOf } = await import(${JSON.stringify(module)}); process.stdout.write(secretKeyOf({ dataDir: ${JSON.stringify(dir)} }).toString('base64'));`;
    const again = Buffer.from(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }), 'base64');
    expect(open(again, 'inbox-1', sealed)).toEqual({ imapPassword: 'hunter2-hunter2' });
    expect(fs.readFileSync(file, 'utf8').trim()).toBe(key.toString('base64'));
  });

  it('uses CARELINE_SECRET_KEY (hex or base64) and refuses a key of the wrong size at start', () => {
    const hex = 'ab'.repeat(32);
    const fromHex = secretKeyOf(loadConfig({ CARELINE_SECRET_KEY: hex, CARELINE_DATA_DIR: tmp() }));
    const fromB64 = secretKeyOf(loadConfig({ CARELINE_SECRET_KEY: Buffer.from(hex, 'hex').toString('base64'), CARELINE_DATA_DIR: tmp() }));
    expect(fromHex.equals(fromB64)).toBe(true);
    expect(() => loadConfig({ CARELINE_SECRET_KEY: 'too-short' })).toThrow(ConfigError);
    expect(() => loadConfig({ CARELINE_SECRET_KEY: Buffer.alloc(16).toString('base64') })).toThrow(/CARELINE_SECRET_KEY/);
  });

  it('seals with a fresh nonce each time, binds the value to its inbox, and detects tampering', () => {
    const key = Buffer.alloc(32, 1);
    const a = seal(key, 'inbox-1', { smtpPassword: 'p' });
    const b = seal(key, 'inbox-1', { smtpPassword: 'p' });
    expect(a).not.toBe(b);
    expect(open(key, 'inbox-1', b)).toEqual({ smtpPassword: 'p' });
    expect(() => open(key, 'inbox-2', a)).toThrow(/cannot be decrypted/);
    expect(() => open(Buffer.alloc(32, 2), 'inbox-1', a)).toThrow(/cannot be decrypted/);
    const bytes = Buffer.from(a.split(':')[2]!, 'base64');
    bytes[bytes.length - 1]! ^= 1;
    expect(() => open(key, 'inbox-1', `aes-256-gcm:v1:${bytes.toString('base64')}`)).toThrow(/cannot be decrypted/);
    // Rows from before encryption are plain JSON and still read.
    expect(open(key, 'inbox-1', '{"imapPassword":"old"}')).toEqual({ imapPassword: 'old' });
    expect(open(key, 'inbox-1', null)).toEqual({});
  });
});
