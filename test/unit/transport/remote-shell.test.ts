import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CancelledError } from '../../../engine/errors/index.js';
import { receiveLines } from '../../../engine/modules/remote-file/write.js';
import { killTreeScript } from '../../../engine/transport/remote-pid.js';
import { RemoteShell, type ShellChannel, type ShellHooks } from '../../../engine/transport/remote-shell.js';
import { EndScanner } from '../../../engine/transport/shell-frame.js';

const dir = mkdtempSync(join(tmpdir(), 'tsplay-rshell-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A persistent shell on this machine: /bin/sh over pipes stands in for the ssh channel. */
function localChannel(): ShellChannel & { pid: number } {
  const child = spawn('/bin/sh', [], { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.on('error', () => undefined);
  return {
    pid: child.pid!,
    write: (d) => void child.stdin.write(d),
    onStdout: (cb) => void child.stdout.on('data', cb),
    onStderr: (cb) => void child.stderr.on('data', cb),
    onClose: (cb) => void child.on('close', (code) => cb(code ?? undefined)),
    close: () => {
      child.stdin.end();
      child.kill();
    },
  };
}

const hooks: ShellHooks = {
  killTree: async (pid) => void spawnSync('/bin/sh', ['-c', killTreeScript(pid)]),
  lost: () => undefined,
};

async function startShell(): Promise<{ shell: RemoteShell; ch: ReturnType<typeof localChannel> }> {
  const ch = localChannel();
  return { shell: await RemoteShell.start(ch, { command: 'exec /bin/sh' }, 5000), ch };
}

describe('the persistent shell protocol', () => {
  it('frames rc, stdout and stderr, and nothing leaks from one command to the next', async () => {
    const { shell } = await startShell();
    expect(await shell.run({ command: 'echo out; echo err >&2; exit 3' }, hooks)).toEqual({ rc: 3, stdout: 'out\n', stderr: 'err\n' });
    expect(await shell.run({ command: `cd ${dir}; export TSPLAY_X=1; umask 077; trap 'echo bye' EXIT; set -e; tsplay_y=2` }, hooks)).toMatchObject({ rc: 0, stdout: 'bye\n' });
    const next = await shell.run({ command: 'pwd; echo "x=${TSPLAY_X-unset} y=${tsplay_y-unset}"; umask; false; echo still' }, hooks);
    expect(next.stdout).not.toContain(dir);
    expect(next.stdout).toContain('x=unset y=unset\n');
    expect(next.stdout).toMatch(/0022\nstill\n$/);
    shell.close();
  });

  it('a syntax error or an unbalanced quote fails that command only', async () => {
    const { shell } = await startShell();
    const bad = await shell.run({ command: "echo 'unterminated" }, hooks);
    expect(bad.rc).toBe(2);
    expect(bad.stderr).toMatch(/unterminated|Syntax error|EOF/i);
    expect(await shell.run({ command: 'if then fi; )' }, hooks)).toMatchObject({ rc: 2 });
    expect(await shell.run({ command: 'echo fine' }, hooks)).toEqual({ rc: 0, stdout: 'fine\n', stderr: '' });
    shell.close();
  });

  it('carries binary and large output without a trailing newline byte for byte', async () => {
    const { shell } = await startShell();
    const r = await shell.run({ command: 'head -c 3000000 /dev/zero | tr "\\0" x; printf "\\001\\377end"' }, hooks);
    expect(r.rc).toBe(0);
    expect(r.stdout.length).toBe(3_000_000 + 5);
    expect(r.stdout.endsWith('\u0001\ufffdend')).toBe(true);
    shell.close();
  });

  it('passes stdin payloads: text as a here-doc, binary through base64, nothing else reads the stream', async () => {
    const { shell } = await startShell();
    expect(shell.caps.base64).toBe(true);
    expect(await shell.run({ command: 'cat; echo .', stdin: 'line one\nTSPLAY-END\n' }, hooks)).toMatchObject({ stdout: 'line one\nTSPLAY-END\n.\n' });
    const bin = Buffer.from([0, 1, 2, 255, 10, 13, 0x81, 0x88]);
    const r = await shell.run({ command: 'od -An -tx1 | tr -s " \\n" " "', stdin: bin }, hooks);
    expect(r.stdout.trim()).toBe('00 01 02 ff 0a 0d 81 88');
    expect(await shell.run({ command: 'cat', stdin: 'no newline' }, hooks)).toMatchObject({ stdout: 'no newline' });
    expect(await shell.run({ command: 'cat; echo done' }, hooks)).toMatchObject({ stdout: 'done\n' });
    shell.close();
  });

  it('runs the atomic write receive lines (traps in the subshell) and leaves no temp file on a short payload', async () => {
    const { shell } = await startShell();
    const tmp = join(dir, '.w.tmp');
    const data = Buffer.from('complete\n');
    const ok = await shell.run({ command: [...receiveLines(tmp, data), `mv -f -- ${tmp} ${join(dir, 'w')}`].join('\n'), stdin: data }, hooks);
    expect(ok.rc).toBe(0);
    expect(readFileSync(join(dir, 'w'), 'utf8')).toBe('complete\n');
    const short = await shell.run({ command: [...receiveLines(tmp, Buffer.from('complete and longer\n')), 'echo never'].join('\n'), stdin: data }, hooks);
    expect(short.rc).toBe(1);
    expect(short.stderr).toContain('incomplete upload');
    expect(readdirSync(dir).filter((f) => f.startsWith('.w'))).toEqual([]);
    shell.close();
  });

  it('a timeout kills the command tree and the shell takes the next command', async () => {
    const { shell } = await startShell();
    const marker = join(dir, 'survivor');
    const t0 = Date.now();
    const r = await shell.run({ command: `sh -c 'sleep 3; touch ${marker}' & sleep 5`, timeoutMs: 300 }, hooks);
    expect(r.rc).toBe(137);
    expect(r.stderr).toContain('timed out after 300 ms');
    expect(Date.now() - t0).toBeLessThan(2500);
    await new Promise((res) => setTimeout(res, 200));
    expect(shell.available).toBe(true);
    expect(await shell.run({ command: 'echo next' }, hooks)).toMatchObject({ rc: 0, stdout: 'next\n' });
    await new Promise((res) => setTimeout(res, 3200));
    expect(existsSync(marker)).toBe(false);
    shell.close();
  }, 10_000);

  it('an abort rejects with CancelledError', async () => {
    const { shell } = await startShell();
    const ac = new AbortController();
    const p = shell.run({ command: 'sleep 5', signal: ac.signal }, hooks);
    setTimeout(() => ac.abort(new Error('interrupted')), 100);
    await expect(p).rejects.toBeInstanceOf(CancelledError);
    shell.close();
  });

  it('a request aborted before it starts sends nothing and leaves the shell free', async () => {
    const { shell } = await startShell();
    const ac = new AbortController();
    ac.abort(new Error('already stopped'));
    await expect(shell.run({ command: 'echo never', signal: ac.signal }, hooks)).rejects.toBeInstanceOf(CancelledError);
    expect(shell.available).toBe(true);
    expect(await shell.run({ command: 'echo next' }, hooks)).toEqual({ rc: 0, stdout: 'next\n', stderr: '' });
    shell.close();
  });

  it('a shell that dies under a command answers rc 255 and is dead', async () => {
    const { shell, ch } = await startShell();
    expect(await shell.run({ command: `kill -9 ${ch.pid}; sleep 1` }, hooks)).toMatchObject({ rc: 255, stderr: expect.stringContaining('outcome is unknown') });
    expect(shell.dead).toBe(true);
  });

  it('a background process still writing to the shell after its command ends retires the shell', async () => {
    const { shell } = await startShell();
    expect(await shell.run({ command: '(sleep 0.3; echo late) &' }, hooks)).toMatchObject({ rc: 0, stdout: '' });
    expect(shell.available).toBe(true);
    await new Promise((res) => setTimeout(res, 800));
    expect(shell.dead).toBe(true);
    expect(shell.retired).toBe(true);
  });
});

describe('the end word scanner', () => {
  it('finds the word split across chunks, also inside the kept tail', () => {
    for (let cut = 1; cut < 14; cut++) {
      const s = new EndScanner('END-WORD-1234');
      const text = Buffer.from('abcEND-WORD-1234 7\n');
      s.push(text.subarray(0, cut));
      s.push(text.subarray(cut, cut + 2));
      expect(s.push(text.subarray(cut + 2))).toBe(true);
      expect(s.body.toString()).toBe('abc');
      expect(s.tail).toBe(' 7');
    }
  });
});
