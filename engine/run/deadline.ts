import { setMaxListeners } from 'node:events';
import type { Connection } from '../types/connection.js';

/**
 * A task's `timeout:` and the run's interrupt, as one AbortSignal handed to every remote
 * command of the task (the transports kill the remote process group when it aborts).
 */
export interface TaskDeadline {
  readonly signal?: AbortSignal;
  readonly timeoutSec?: number;
  /** Runs the module; when the deadline passes first, cancels it and answers with ansible's failure. */
  race<T extends Record<string, unknown>>(work: Promise<T>, action: string): Promise<T | { changed: false; failed: true; msg: string }>;
  dispose(): void;
}

export function taskDeadline(timeoutSec: number | undefined, runSignal: AbortSignal | undefined): TaskDeadline {
  if (timeoutSec === undefined || timeoutSec <= 0) {
    return { signal: runSignal, race: (work) => work, dispose: () => undefined };
  }
  const ctl = new AbortController();
  const signal = runSignal === undefined ? ctl.signal : AbortSignal.any([ctl.signal, runSignal]);
  setMaxListeners(0, signal); // one listener per running remote command, removed when it ends
  let timer: NodeJS.Timeout | undefined;
  return {
    signal,
    timeoutSec,
    async race(work, action) {
      const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), timeoutSec * 1000)));
      const first = await Promise.race([work, late]);
      if (first !== 'late') return first;
      // like ansible: "The shell action failed to execute in the expected time frame (3) and was terminated"
      const msg = `The ${action} action failed to execute in the expected time frame (${timeoutSec}) and was terminated`;
      ctl.abort(new Error(msg));
      // Wait (bounded) for the cancelled commands to be killed on the host before reporting.
      await Promise.race([work.catch(() => undefined), new Promise((r) => setTimeout(r, 10_000).unref())]);
      return { changed: false, failed: true, msg };
    },
    dispose: () => clearTimeout(timer),
  };
}

/** A connection whose every command carries the task's signal (modules need not know). */
export function withSignal(conn: Connection, signal: AbortSignal | undefined): Connection {
  if (signal === undefined) return conn;
  return {
    hostName: conn.hostName,
    exec: (req) => conn.exec({ ...req, signal: req.signal ?? signal }),
    putFile: (p, d, m) => conn.putFile(p, d, m),
    getFile: (p) => conn.getFile(p),
    close: () => conn.close(),
  };
}
