import { TsplayError } from '../errors/index.js';

/** Asks one question on the terminal; resolves undefined when stdin is not a TTY. */
export type Ask = (question: string, opts?: { readonly echo?: boolean }) => Promise<string | undefined>;

/**
 * Reads one line from the TTY, echoing `*`-less nothing when `echo` is false (like getpass).
 * The question goes to stderr so that `--output json` on stdout stays parseable.
 */
export const askOnTty: Ask = async (question, opts = {}) => {
  const stdin = process.stdin;
  if (stdin.isTTY !== true) return undefined;
  process.stderr.write(question);
  const echo = opts.echo !== false;
  stdin.setRawMode(true);
  stdin.resume();
  try {
    return await readLine(echo);
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
    process.stderr.write('\n');
  }
};

function readLine(echo: boolean): Promise<string> {
  return new Promise((done, fail) => {
    let line = '';
    const onData = (chunk: Buffer): void => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish(() => done(line));
        // Like ansible: Ctrl-C at a prompt is "User interrupted execution" (exit 99 by the CLI).
        if (ch === '\u0003') return finish(() => fail(new TsplayError('interrupted', 'User interrupted execution')));
        if (ch === '\u007f' || ch === '\b') {
          if (line.length > 0 && echo) process.stderr.write('\b \b');
          line = [...line].slice(0, -1).join('');
        } else {
          line += ch;
          if (echo) process.stderr.write(ch);
        }
      }
    };
    const finish = (then: () => void): void => {
      process.stdin.off('data', onData);
      then();
    };
    process.stdin.on('data', onData);
  });
}
