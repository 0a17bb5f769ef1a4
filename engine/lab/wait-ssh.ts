import { connect } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { TsplayError } from '../errors/index.js';

/** One attempt: connect and read the server's identification line (`SSH-2.0-...`). */
function sshBanner(ip: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host: ip, port });
    let data = '';
    const done = (ok: boolean): void => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.on('error', () => done(false));
    sock.on('data', (b: Buffer) => {
      data += b.toString('latin1');
      if (data.includes('\n')) done(data.startsWith('SSH-'));
    });
    sock.on('end', () => done(false));
  });
}

/**
 * Waits until sshd on ip:22 greets, polling with a short backoff (25 ms → 250 ms) instead
 * of fixed sleeps: a booting systemd host answers after 0.6-1.4 s, a netns host sooner.
 */
export async function waitForSsh(host: string, ip: string, timeoutMs: number, isUp: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pause = 25;
  for (;;) {
    if (await sshBanner(ip, 22, 1_000)) return;
    if (!(await isUp())) {
      throw new TsplayError('lab', `lab host ${host} (${ip}) stopped while booting`, { hint: 'see its console log in the lab state directory (hosts/<host>/console.log)' });
    }
    if (Date.now() >= deadline) {
      throw new TsplayError('lab', `lab host ${host} (${ip}): sshd did not answer within ${Math.round(timeoutMs / 1000)} s`, {
        hint: 'see hosts/<host>/console.log in the lab state directory; the machine may be overloaded (raise the timeout)',
      });
    }
    await delay(pause);
    pause = Math.min(pause * 2, 250);
  }
}

export async function sshAnswers(ip: string): Promise<boolean> {
  return sshBanner(ip, 22, 1_000);
}
