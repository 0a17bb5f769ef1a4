import { describe, expect, it } from 'vitest';
import { announcePid, killGroupScript, PidReader } from '../../../engine/transport/remote-pid.js';

describe('the PID announcement on stderr', () => {
  it('is stripped and read, even split across chunks', () => {
    const seen: number[] = [];
    const r = new PidReader((p) => seen.push(p));
    const out = [r.onStderr(Buffer.from('TSPLAY-P')), r.onStderr(Buffer.from('ID:4242\nreal error\n')), r.onStderr(Buffer.from('more\n'))];
    expect(Buffer.concat(out).toString()).toBe('real error\nmore\n');
    expect(seen).toEqual([4242]);
  });

  it('is found after a login shell\'s own stderr noise, which is kept', () => {
    const r = new PidReader(() => undefined);
    expect(r.onStderr(Buffer.from('bashrc: warning\nTSPLAY-PID:7\nerr\n')).toString()).toBe('bashrc: warning\nerr\n');
    expect(r.pid).toBe(7);
  });

  it('gives everything back when the announcement never comes (flush at the end)', () => {
    const r = new PidReader(() => undefined);
    expect(r.onStderr(Buffer.from('sh: not found\n')).length).toBe(0);
    expect(r.flush().toString()).toBe('sh: not found\n');
    expect(r.pid).toBeUndefined();
  });

  it('the announcement and the kill script are plain POSIX sh', () => {
    expect(announcePid('true')).toBe('echo TSPLAY-PID:$$ >&2; true');
    const script = killGroupScript(123);
    expect(script).toContain('read -r _ _ _ _ pg _ < /proc/123/stat');
    expect(script).not.toContain('kill -TERM --');
  });
});
