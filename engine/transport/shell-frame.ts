import { quote, randomWord } from './shell.js';

/**
 * The framed protocol of the persistent remote shell (remote-shell.ts). The controller writes
 * one frame at a time to a plain `/bin/sh` reading its stdin; a frame is ordinary shell text:
 *
 *   ( <announce the subshell's PID on stderr>; eval '<command>' ) </dev/null     (or a here-doc)
 *   tsplay_rc=$?; printf '%s %d\n' <END> "$tsplay_rc"; printf '%s\n' <END> >&2
 *
 * Why this shape:
 * - the command runs in a subshell, so cd, exports, umask, traps and `exit` cannot leak into
 *   the next command; `eval` of one quoted word means a command with a syntax error (or an
 *   unbalanced quote) fails in its subshell and can never desynchronise the outer stream;
 * - the command never reads the shell's own stdin (the next frames): stdin is /dev/null or
 *   the payload as a here-doc, which the shell has read whole before the command starts, so a
 *   payload cut short (controller killed, connection lost) never runs the command at all;
 * - END is a fresh random word per frame that only the outer shell prints, after the
 *   subshell is gone: output is everything before it, whatever bytes the command wrote.
 */

/** Printed (as `READY <caps>`) once the shell reads frames; caps says which payload forms work. */
export interface ShellCaps {
  /** `base64 -d` exists: binary payloads can be sent. */
  readonly base64: boolean;
}

/** Payloads above this go through a channel of their own (the shell holds a here-doc in memory). */
export const MAX_FRAME_PAYLOAD = 4 * 1024 * 1024;

/** Reads the subshell's own PID (dash has no $BASHPID) without starting a program. */
const ANNOUNCE = 'read -r tsplay_pid _ < /proc/self/stat 2>/dev/null || tsplay_pid=$$; echo "TSPLAY-PID:$tsplay_pid" >&2; unset tsplay_pid';

export interface Frame {
  /** Shell text to write to the persistent shell's stdin. */
  readonly text: string;
  /** The word that ends this frame's stdout (followed by ` RC\n`) and stderr (followed by `\n`). */
  readonly end: string;
}

export function newEndWord(): string {
  return `TSPLAY-END-${randomWord(true)}`;
}

/** Text that a quoted here-doc carries byte for byte: printable ASCII lines ending in a newline. */
function plainHereDoc(data: Buffer, delimiter: string): boolean {
  if (data.length === 0 || data[data.length - 1] !== 0x0a) return false;
  for (const b of data) if (b !== 0x0a && b !== 0x09 && (b < 0x20 || b > 0x7e)) return false;
  return !data.toString('latin1').split('\n').includes(delimiter);
}

/** `( ... ) <stdin redirection>` with the here-doc body (if any) after the line. */
function subshell(command: string, stdin: Buffer | undefined, caps: ShellCaps, end: string): string {
  const body = `( ${ANNOUNCE}; eval ${quote(command)} )`;
  if (stdin === undefined || stdin.length === 0) return `${body} </dev/null`;
  const delimiter = `${end}-IN`;
  if (plainHereDoc(stdin, delimiter)) return `${body} <<'${delimiter}'\n${stdin.toString('latin1')}${delimiter}`;
  if (!caps.base64) throw new Error('binary payload without base64 on the host');
  const b64 = stdin.toString('base64').replace(/.{1,4096}/g, '$&\n');
  return `base64 -d <<'${delimiter}' | ${body}\n${b64}${delimiter}`;
}

/** True when a frame can carry this payload (else the command takes a channel of its own). */
export function framesPayload(stdin: Buffer | string | undefined, caps: ShellCaps): boolean {
  if (stdin === undefined) return true;
  const data = typeof stdin === 'string' ? Buffer.from(stdin) : stdin;
  if (data.length > MAX_FRAME_PAYLOAD) return false;
  return caps.base64 || data.length === 0 || plainHereDoc(data, 'TSPLAY-END');
}

export function buildFrame(command: string, stdin: Buffer | string | undefined, caps: ShellCaps): Frame {
  const end = newEndWord();
  const data = typeof stdin === 'string' ? Buffer.from(stdin) : stdin;
  const text = `${subshell(command, data, caps, end)}\ntsplay_rc=$?; printf '%s %d\\n' ${end} "$tsplay_rc"; printf '%s\\n' ${end} >&2\n`;
  return { text, end };
}

/**
 * The first frame: says the shell is reading frames and what it can do. Sent right after the
 * channel opens (or once sudo let it through); nothing else is written before READY comes back.
 */
export function readyFrame(end: string): string {
  return `if command -v base64 >/dev/null 2>&1; then tsplay_b=base64; else tsplay_b=; fi; printf '%s READY %s\\n' ${end} "$tsplay_b"; unset tsplay_b\n`;
}

export function parseReady(line: string): ShellCaps {
  return { base64: line.split(' ').includes('base64') };
}

/**
 * Finds the end word in one output stream fed chunk by chunk, without joining the whole
 * output again for every chunk: only the last few bytes are kept to catch a word split
 * across chunks. `body` is what came before the word; `tail` the rest of that line.
 */
export class EndScanner {
  readonly #word: Buffer;
  readonly #chunks: Buffer[] = [];
  /** The last bytes stored (fewer than the word): where a split word starts. */
  #tail: Buffer = Buffer.alloc(0);
  #after: Buffer | undefined;

  constructor(word: string) {
    this.#word = Buffer.from(word, 'latin1');
  }

  /** Feeds a chunk; returns true once the word and the newline after it have arrived. */
  push(chunk: Buffer): boolean {
    if (this.#after !== undefined) {
      this.#after = Buffer.concat([this.#after, chunk]);
      return this.done;
    }
    const window = Buffer.concat([this.#tail, chunk]);
    const at = window.indexOf(this.#word);
    if (at < 0) {
      this.#chunks.push(chunk);
      this.#tail = window.subarray(Math.max(0, window.length - (this.#word.length - 1)));
      return false;
    }
    // the word may start inside the kept tail: those bytes come off the stored output
    const cut = this.#tail.length - at;
    if (cut > 0) this.#trim(cut);
    else this.#chunks.push(window.subarray(this.#tail.length, at));
    this.#after = window.subarray(at + this.#word.length);
    return this.done;
  }

  #trim(n: number): void {
    let left = n;
    while (left > 0) {
      const last = this.#chunks.pop()!;
      if (last.length > left) this.#chunks.push(last.subarray(0, last.length - left));
      left -= Math.min(left, last.length);
    }
  }

  get done(): boolean {
    return this.#after !== undefined && this.#after.includes(0x0a);
  }

  get body(): Buffer {
    return Buffer.concat(this.#chunks);
  }

  /** The rest of the end word's line (` RC` on stdout, empty on stderr). */
  get tail(): string {
    const a = this.#after ?? Buffer.alloc(0);
    return a.subarray(0, a.indexOf(0x0a)).toString('latin1');
  }

  /** Bytes after the end line: should be none (a background job still writing). */
  get extra(): number {
    const a = this.#after ?? Buffer.alloc(0);
    return a.length - a.indexOf(0x0a) - 1;
  }
}
