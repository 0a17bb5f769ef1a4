import { TsplayError } from '../errors/index.js';
import type { Ask } from '../types/prompt.js';

/**
 * Questions on the terminal, one at a time, echoing nothing when `echo` is false (like getpass).
 * Questions go to stderr so that `--output json` on stdout stays parseable. Keystrokes typed
 * ahead of a question (or pasted several lines at once) are kept for the next one.
 */
export class TtyPrompter {
  #pending = '';
  #queue: Promise<unknown> = Promise.resolve();

  readonly ask: Ask = (question, opts = {}) => {
    const next = this.#queue.then(() => this.#askNow(question, opts.echo !== false));
    this.#queue = next.catch(() => undefined);
    return next;
  };

  async #askNow(question: string, echo: boolean): Promise<string | undefined> {
    const stdin = process.stdin;
    if (stdin.isTTY !== true) return undefined;
    // raw mode first: an answer typed as soon as the question shows must not be echoed
    stdin.setRawMode(true);
    stdin.resume();
    process.stderr.write(question);
    try {
      return await this.#readLine(echo);
    } finally {
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    }
  }

  #readLine(echo: boolean): Promise<string> {
    return new Promise((done, fail) => {
      let line = '';
      const consume = (text: string): boolean => {
        const chars = [...text];
        for (let i = 0; i < chars.length; i++) {
          const ch = chars[i]!;
          if (ch === '\r' || ch === '\n') {
            // a \r\n pair is one Enter
            this.#pending = chars.slice(ch === '\r' && chars[i + 1] === '\n' ? i + 2 : i + 1).join('');
            done(line);
            return true;
          }
          // Like ansible: Ctrl-C at a prompt is "User interrupted execution" (exit 99 by the CLI).
          if (ch === '\u0003') {
            fail(new TsplayError('interrupted', 'User interrupted execution'));
            return true;
          }
          if (ch === '\u007f' || ch === '\b') {
            if (line.length > 0 && echo) process.stderr.write('\b \b');
            line = [...line].slice(0, -1).join('');
          } else {
            line += ch;
            if (echo) process.stderr.write(ch);
          }
        }
        return false;
      };
      const typedAhead = this.#pending;
      this.#pending = '';
      if (consume(typedAhead)) return;
      const onData = (chunk: Buffer): void => {
        if (consume(chunk.toString('utf8'))) process.stdin.off('data', onData);
      };
      process.stdin.on('data', onData);
    });
  }
}
