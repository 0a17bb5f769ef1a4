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
    // a login shell may print its own noise on stderr first: look for our line among the first ones
    const m = new RegExp(`(^|\\n)${MARKER}(\\d+)\\n`).exec(this.#head);
    if (m === null) {
      if (this.#head.length < 4096) return Buffer.alloc(0);
      this.#done = true;
      return Buffer.from(this.#head, 'latin1');
    }
    this.#done = true;
    this.pid = Number(m[2]);
    this.#onPid(this.pid);
    const rest = this.#head.slice(0, m.index + m[1]!.length) + this.#head.slice(m.index + m[0].length);
    return Buffer.from(rest, 'latin1');
  }

  /** At the channel's end: whatever is still held (the announcement never came). */
  flush(): Buffer {
    if (this.#done) return Buffer.alloc(0);
    this.#done = true;
    return Buffer.from(this.#head, 'latin1');
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

/**
 * Stops a persistent shell's command: the subshell `pid` and every process below it. Why a
 * tree and not a group: the subshell shares the persistent shell's process group (no job
 * control without a tty), so the group would take the shell down too. The tree is read from
 * /proc (ppid, field 4 after the command name), TERM first, KILL what is left after at most a
 * second; the tree is read again before KILL so children started meanwhile go too.
 */
export function killTreeScript(pid: number): string {
  const p = quote(String(pid));
  return [
    'tree() { all=$1; gen=$1; while [ -n "$gen" ]; do next=',
    '  for f in /proc/[0-9]*/stat; do read -r l < "$f" 2>/dev/null || continue; set -- ${l##*) }',
    '   for q in $gen; do [ "$2" = "$q" ] && { c=${f#/proc/}; next="$next ${c%/stat}"; }; done; done',
    '  gen=$next; all="$all$next"; done; echo "$all"; }',
    `t=$(tree ${p}); kill -TERM $t 2>/dev/null`,
    `i=0; while kill -0 ${p} 2>/dev/null && [ $i -lt 20 ]; do sleep 0.05; i=$((i+1)); done`,
    `t=$(tree ${p}); kill -KILL $t 2>/dev/null; exit 0`,
  ].join('\n');
}
