import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsonFileFactCache } from '../../../engine/facts/cache.js';
import { gatherFacts } from '../../../engine/facts/gather.js';
import { createConnectionFactory } from '../../../engine/transport/connect.js';
import type { Connection } from '../../../engine/types/connection.js';
import { createUser, makeKey, startSshd, type TestSshd, type TestUser } from '../../fixtures/sshd/sshd.js';

let sshd: TestSshd;
let user: TestUser;
let dir: string;
let conn: Connection;
let sudoers: string;
let facts: Record<string, unknown>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsplay-facts-e2e-'));
  [sshd, user] = await Promise.all([startSshd(), createUser('tspf')]);
  const key = await makeKey(dir, 'id');
  await sshd.authorize(user.name, key.publicKey);
  sudoers = `/etc/sudoers.d/tsplay-facts-${user.name}`;
  await writeFile(sudoers, `${user.name} ALL=(root) NOPASSWD: ALL\n`, { mode: 0o440 });
  conn = await createConnectionFactory({ env: {} }).connect({
    inventoryHostname: 'loopback',
    connection: 'ssh',
    host: '127.0.0.1',
    port: sshd.port,
    user: user.name,
    privateKeyFile: key.privateFile,
    timeoutSec: 10,
    retries: 0,
    hostKeyChecking: 'strict',
    knownHostsFile: sshd.knownHostsFile,
  });
  const t0 = performance.now();
  facts = await gatherFacts(conn);
  console.log(`gather_facts (all) over ssh: ${(performance.now() - t0).toFixed(1)} ms`);
});

afterAll(async () => {
  await conn?.close();
  await rm(sudoers, { force: true });
  await sshd?.stop();
  await user?.remove();
  await rm(dir, { recursive: true, force: true });
});

describe('facts of the loopback sshd host match what the host reports', () => {
  it('hostname and nodename', () => {
    expect(facts.nodename).toBe(hostname());
    expect(facts.hostname).toBe(hostname().split('.')[0]);
  });

  it('default IPv4 matches `ip route`', () => {
    const def = execFileSync('ip', ['-4', 'route', 'show', 'default'], { encoding: 'utf8' }).split(/\s+/);
    const src = execFileSync('ip', ['-4', 'route', 'get', '8.8.8.8'], { encoding: 'utf8' }).split(/\s+/);
    expect(facts.default_ipv4).toMatchObject({
      gateway: def[def.indexOf('via') + 1],
      interface: def[def.indexOf('dev') + 1],
      address: src[src.indexOf('src') + 1],
    });
    expect(facts.all_ipv4_addresses).toContain(src[src.indexOf('src') + 1]);
  });

  it('distribution from /etc/os-release', async () => {
    const os = Object.fromEntries(
      (await readFile('/etc/os-release', 'utf8')).split('\n').filter((l) => l.includes('=')).map((l) => [l.split('=')[0], l.slice(l.indexOf('=') + 1).replace(/^"|"$/g, '')]),
    );
    expect(String(facts.distribution).toLowerCase()).toBe(os.ID);
    expect(facts.distribution_major_version).toBe(os.VERSION_ID.split('.')[0]);
    expect(facts.distribution_release).toBe(os.VERSION_CODENAME);
  });

  it('memtotal_mb from /proc/meminfo', async () => {
    const kb = Number(/MemTotal:\s+(\d+)/.exec(await readFile('/proc/meminfo', 'utf8'))?.[1]);
    expect(facts.memtotal_mb).toBe(Math.floor(kb / 1024));
  });

  it('user facts describe the login user', () => {
    expect(facts).toMatchObject({ user_id: user.name, user_dir: user.home, user_shell: '/bin/sh' });
  });
});

describe('subset, filter, become and cache over ssh', () => {
  it('min is a subset, filter narrows names', async () => {
    const t0 = performance.now();
    const min = await gatherFacts(conn, { subset: ['min'] });
    console.log(`gather_facts (min) over ssh: ${(performance.now() - t0).toFixed(1)} ms`);
    expect(min).not.toHaveProperty('default_ipv4');
    expect(min.distribution).toBe(facts.distribution);
    expect(Object.keys(await gatherFacts(conn, { filter: ['ansible_distribution*'] })).every((k) => k.startsWith('distribution'))).toBe(true);
  });

  it('gathers as root through become', async () => {
    const root = await gatherFacts(conn, { subset: ['min'], become: { method: 'sudo', user: 'root' } });
    expect(root).toMatchObject({ user_id: 'root', user_uid: 0 });
  });

  it('round-trips through the jsonfile cache', async () => {
    const cache = new JsonFileFactCache({ dir: join(dir, 'cache'), timeoutSec: 3600 });
    await cache.save('loopback', facts);
    expect(await cache.load('loopback')).toEqual(facts);
  });
});
