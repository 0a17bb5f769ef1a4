import { relative } from 'node:path';
import { PlanReporter, type PlanVerdict } from '../report/plan-reporter.js';
import type { Reporter } from '../report/reporter.js';
import type { RunRequest } from './request.js';

export type { PlanVerdict };

/** The plan's reporter and the request that feeds it: check + diff, no other output. */
export function planSetup(req: RunRequest, write: (text: string) => void, cwd: string): { req: RunRequest; reporter: Reporter; verdict: () => PlanVerdict } {
  const plan = new PlanReporter(write, (file) => relative(cwd, file) || file);
  return { req: { ...req, check: true, diff: true, output: 'none', progress: false }, reporter: plan, verdict: () => plan.verdict };
}
