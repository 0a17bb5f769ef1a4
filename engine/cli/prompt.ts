import { createRequire } from 'node:module';
import { Writable } from 'node:stream';

const requireCjs = createRequire(import.meta.url);

/**
 * Reads one line without echoing it (-K/--ask-become-pass), like ansible's getpass prompt.
 * On a terminal the prompt goes to stderr and the typing stays invisible; from a pipe the
 * first line of stdin is taken, so scripts can feed it without putting it in argv.
 * node:readline is loaded here, not at start: most runs never prompt (issue 17, start-up).
 */
export function askHidden(prompt: string, input: NodeJS.ReadableStream = process.stdin, err: NodeJS.WritableStream = process.stderr): Promise<string> {
  const { createInterface } = requireCjs('node:readline') as typeof import('node:readline');
  err.write(prompt);
  const muted = new Writable({ write: (_c, _e, cb) => cb() });
  const rl = createInterface({ input, output: muted, terminal: (input as { isTTY?: boolean }).isTTY === true });
  return new Promise((resolve) => {
    let answered = false;
    rl.once('line', (line) => {
      answered = true;
      rl.close();
      err.write('\n');
      resolve(line);
    });
    rl.once('close', () => {
      if (!answered) resolve('');
    });
  });
}
