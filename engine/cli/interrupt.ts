import { setMaxListeners } from 'node:events';

/**
 * The one SIGINT/SIGTERM handler of a playbook run. Like ansible-playbook: it says
 * "User interrupted execution" and the run exits 99; unlike a bare kill, the run winds down:
 * no new task starts, running remote commands are killed on their hosts (process group),
 * connections close and the recap is printed. A second signal exits at once.
 */
export interface Interrupt {
  readonly signal: AbortSignal;
  readonly interrupted: boolean;
  dispose(): void;
}

export const INTERRUPTED_EXIT = 99;

export function watchInterrupts(writeErr: (text: string) => void, exit: (code: number) => never = process.exit): Interrupt {
  const ctl = new AbortController();
  // every running remote command listens (and stops listening when it ends): with forks > 10
  // more than 10 listen at once, which is no leak
  setMaxListeners(0, ctl.signal);
  const onSignal = (): void => {
    if (ctl.signal.aborted) exit(INTERRUPTED_EXIT);
    writeErr('\n [ERROR]: User interrupted execution\n');
    ctl.abort(new Error('User interrupted execution'));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: ctl.signal,
    get interrupted() {
      return ctl.signal.aborted;
    },
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
