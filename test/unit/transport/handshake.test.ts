import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { UnreachableError } from '../../../engine/errors/index.js';
import { HandshakeGate } from '../../../engine/transport/handshake-gate.js';
import { dial, type DialOptions } from '../../../engine/transport/ssh-dial.js';

describe('HandshakeGate', () => {
  it('lets at most N handshakes per server run at once and passes freed slots on in order', async () => {
    const gate = new HandshakeGate(2);
    const order: string[] = [];
    const a = await gate.enter('h:22');
    const b = await gate.enter('h:22');
    const other = await gate.enter('k:22'); // another server has its own slots
    const c = gate.enter('h:22').then((leave) => (order.push('c'), leave));
    const d = gate.enter('h:22').then((leave) => (order.push('d'), leave));
    await new Promise((r) => setTimeout(r, 10));
    expect(order).toEqual([]);
    a();
    a(); // freeing twice frees once
    await new Promise((r) => setTimeout(r, 10));
    expect(order).toEqual(['c']);
    b();
    (await c)();
    (await d)();
    other();
    expect(order).toEqual(['c', 'd']);
  });
});

// A server that behaves like sshd past MaxStartups: it accepts and hangs up at once, or
// sends garbage and resets. Before the fix a second ssh2 'error' event had no listener and
// crashed the process; now the dial retries a few times and ends in UnreachableError.
let server: Server | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
});

function startServer(onConn: (s: Socket) => void): Promise<number> {
  return new Promise((resolve) => {
    server = createServer((s) => (sockets.push(s), onConn(s))).listen(0, '127.0.0.1', () => resolve((server!.address() as { port: number }).port));
  });
}

function opts(log: string[]): DialOptions {
  return {
    auth: {}, timeoutMs: 2000, keepaliveMs: 0, keepaliveCountMax: 3, retries: 0, hostKeyMode: 'off',
    knownHostsFile: '/dev/null', verbosity: 0, log: (l) => log.push(l), gate: new HandshakeGate(2),
  };
}

describe('dialling a server that drops connections before login', () => {
  it.each([
    ['closes at once', (s: Socket) => s.end()],
    ['resets at once', (s: Socket) => s.resetAndDestroy()],
  ])('%s: retried quickly, then UnreachableError (no crash)', async (_name, behave) => {
    let conns = 0;
    const port = await startServer((s) => { conns++; s.on('error', () => undefined); behave(s); });
    const log: string[] = [];
    const err = await dial({ user: 'u', host: '127.0.0.1', port }, [], opts(log)).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(UnreachableError);
    expect(conns).toBe(7); // the first try and 6 quick retries, though ansible_ssh_retries is 0
    expect(log.filter((l) => l.includes('retrying in'))).toHaveLength(6);
  });

  it('a protocol error followed by a reset (two ssh2 errors) is one UnreachableError, not retried, no crash', async () => {
    let conns = 0;
    const port = await startServer((s) => {
      conns++;
      s.on('error', () => undefined);
      s.write('SSH-2.0-x\r\n\x00\x00\x00\x05garbage');
      setTimeout(() => s.resetAndDestroy(), 5);
    });
    const err = await dial({ user: 'u', host: '127.0.0.1', port }, [], opts([])).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(UnreachableError);
    expect(conns).toBe(1);
  });

  it('a server that accepts again after two drops gets through the retries', async () => {
    let conns = 0;
    const port = await startServer((s) => {
      conns++;
      s.on('error', () => undefined);
      if (conns <= 2) s.end();
      else s.write('SSH-2.0-OpenSSH_9.2\r\n'); // then silence: not a drop, the handshake times out
    });
    const log: string[] = [];
    const err = await dial({ user: 'u', host: '127.0.0.1', port }, [], opts(log)).then(() => undefined, (e: unknown) => e);
    expect(conns).toBe(3);
    expect((err as Error).message).toMatch(/Timed out while waiting for handshake/);
  });
});
