import type { RunEvent } from '../types/events.js';

/** A reporter sees events only (design.md: report reads events, nothing else). */
export interface Reporter {
  handle(event: RunEvent): void;
  /** Called once after the run; returns when output is flushed. */
  finish(): void;
}

export function fanOut(reporters: readonly Reporter[]): Reporter {
  return {
    handle: (e) => reporters.forEach((r) => r.handle(e)),
    finish: () => reporters.forEach((r) => r.finish()),
  };
}
