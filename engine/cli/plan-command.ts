import { relative } from 'node:path';
import { runPlaybook } from '../api.js';
import type { AnsibleSettings } from '../config/ansible-cfg.js';
import { PlanReporter } from '../report/plan-reporter.js';
import { HelpShown, parsePlaybookArgv, playbookProgram, terminalDeps } from './playbook-command.js';

/** `tsplay plan`'s exit codes, like `terraform plan -detailed-exitcode`: a CI gate reads them. */
export const PLAN_EXIT = { noChange: 0, failed: 1, changes: 2 } as const;

/**
 * `tsplay plan PLAYBOOK -i INV [playbook options]`: a check + diff run reported per host (what
 * would change, with diffs; what would fail), nothing changed on any host.
 */
export async function runPlanCommand(argv: string[], settings: AnsibleSettings, cwd: string): Promise<number> {
  const program = playbookProgram().name('tsplay plan').description('Shows, per host, what a playbook would change (check + diff), and changes nothing.');
  let req;
  try {
    req = parsePlaybookArgv(argv, cwd, settings, program);
  } catch (e) {
    if (e instanceof HelpShown) return 0;
    throw e;
  }
  const deps = terminalDeps(settings, cwd);
  const plan = new PlanReporter(deps.write, (file) => relative(cwd, file) || file);
  const code = await runPlaybook({ ...req, check: true, diff: true, output: 'none', progress: false }, { ...deps, reporters: [plan] });
  if (code !== 0 && plan.verdict === 'no-change') return PLAN_EXIT.failed;
  return plan.verdict === 'changes' ? PLAN_EXIT.changes : plan.verdict === 'failed' ? PLAN_EXIT.failed : PLAN_EXIT.noChange;
}
