import { quote } from './shell.js';

/**
 * Every remote command first prints its shell's PID on stderr, so a cancelled command (task
 * `timeout:`, Ctrl-C) can be stopped on the host. Why the process group: sshd starts each
 * session's command with setsid(), so the command and all its children (a `sleep` under a
 * shell, sudo and what it runs) share one process group, and signalling only the channel
 * (ssh2's signal request) reaches the first process alone.
 */
const MARKER = 'TSPLAY-PID:';

/** Prefix for the login user's `/bin/sh -c` text. */
export function announcePid(command: string): string {
  return `echo ${MARKER}$$ >&2; ${command}`;
}

/**
 * Strips the announcement from the head of stderr. Feed chunks in order; until the first
 * line is complete nothing is passed on.
 */
export class PidReader {
  #head = '';
  #done = false;
  pid: number | undefined;
  readonly #onPid: (pid: number) => void;

  constructor(onPid: (pid: number) => void) {
    this.#onPid = onPid;
  }

  onStderr(chunk: Buffer): Buffer {
    if (this.#done) return chunk;
    this.#head += chunk.toString('latin1');
    const nl = this.#head.indexOf('\n');
    if (nl < 0 && this.#head.length < 64) return Buffer.alloc(0);
    this.#done = true;
    const first = nl < 0 ? this.#head : this.#head.slice(0, nl);
    const m = first.startsWith(MARKER) ? /^\d+$/.exec(first.slice(MARKER.length)) : null;
    if (m === null) return Buffer.from(this.#head, 'latin1');
    this.pid = Number(m[0]);
    this.#onPid(this.pid);
    return Buffer.from(this.#head.slice(nl + 1), 'latin1');
  }
}

/**
 * Stops the process group of `pid`: TERM first (sudo relays it to what it runs), KILL what is
 * left after at most a second. Reads the group from /proc: the shell is the group leader when
 * sshd exec'd it directly, and a child of the leader when a login shell kept itself in between.
 */
export function killGroupScript(pid: number): string {
  const p = quote(String(pid));
  return [
    `pg=${p}; if [ -r /proc/${p}/stat ]; then read -r _ _ _ _ pg _ < /proc/${p}/stat || pg=${p}; fi`,
    // no `--`: dash's kill builtin takes "-PGID" after the signal but rejects "--"
    'kill -TERM "-$pg" 2>/dev/null || kill -TERM "$pg" 2>/dev/null || exit 0',
    'i=0; while kill -0 "-$pg" 2>/dev/null && [ $i -lt 20 ]; do sleep 0.05; i=$((i+1)); done',
    'kill -KILL "-$pg" 2>/dev/null; exit 0',
  ].join('\n');
}
