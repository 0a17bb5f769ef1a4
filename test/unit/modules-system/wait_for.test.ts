import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wait_for } from '../../../engine/modules/wait_for.js';
import { harness, tempDir, tripsOf, validArgs } from '../modules/context.js';

describe('wait_for polls on the host in one command', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let srv: Server;
  let port: number;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    await writeFile(`${dir}/log`, 'starting\nlistening on port 8443 ok\n');
    // the probe may reset the connection before reading the banner: that is not an error here
    srv = createServer((s) => {
      s.on('error', () => undefined);
      s.end('SSH-2.0-fake\n');
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    port = (srv.address() as AddressInfo).port;
  });
  afterAll(async () => { await cleanup(); await new Promise<void>((r) => srv.close(() => r())); });

  it('a present file with search_regex: match groups and the file stat, like ansible', async () => {
    const { result, trips } = await tripsOf(harness(), wait_for, { path: `${dir}/log`, search_regex: 'port (?P<port>\\d+)' });
    expect(result).toMatchObject({ changed: false, elapsed: 0, path: `${dir}/log`, port: null, search_regex: 'port (?P<port>\\d+)',
      match_groups: ['8443'], match_groupdict: { port: '8443' }, state: 'file', mode: '0644' });
    expect(trips).toBe(1);
  });

  it('times out with ansible\'s message and the elapsed seconds', async () => {
    const r = await harness().run(wait_for, { path: `${dir}/never`, timeout: 1 });
    expect(r).toMatchObject({ failed: true, msg: `Timeout when waiting for file ${dir}/never`, elapsed: 1 });
    const c = await harness().run(wait_for, { path: `${dir}/never`, timeout: 1, msg: 'custom' });
    expect(c.msg).toBe('custom');
  });

  it('path absent is ready at once', async () => {
    expect(await harness().run(wait_for, { path: `${dir}/never`, state: 'absent' })).toMatchObject({ changed: false, elapsed: 0, state: 'absent', path: `${dir}/never` });
  });

  it('port started, port with banner regex, closed port stopped, timeout on a closed port', async () => {
    expect(await harness().run(wait_for, { port, host: '127.0.0.1' })).toMatchObject({ changed: false, port, path: null, state: 'started', match_groups: [] });
    expect((await harness().run(wait_for, { port, search_regex: 'SSH-2', timeout: 3 })).failed).toBeUndefined();
    expect(await harness().run(wait_for, { port: 1, state: 'stopped', timeout: 1 })).toMatchObject({ changed: false, state: 'stopped', port: 1 });
    expect(await harness().run(wait_for, { port: 1, timeout: 1 })).toMatchObject({ failed: true, msg: 'Timeout when waiting for 127.0.0.1:1' });
  });

  it('rejects port with path, drained with a path, and unknown args', async () => {
    await expect(harness().run(wait_for, { port: 1, path: '/x' })).rejects.toThrow('port and path parameter can not both be passed to wait_for');
    await expect(harness().run(wait_for, { path: '/x', state: 'drained' })).rejects.toThrow(/drained/);
    expect(validArgs(wait_for, { port: 1, bogus: 1 })).toBe(false);
    expect(validArgs(wait_for, { port: 1, state: 'running' })).toBe(false);
  });
});
