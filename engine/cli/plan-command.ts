import { planPlaybook, type PlanVerdict } from '../api.js';
import { INTERRUPTED_EXIT } from './interrupt.js';
import { TtyPrompter } from './tty-prompt.js';
import type { AnsibleSettings } from '../config/ansible-cfg.js';
import { HelpShown, parsePlaybookArgv, playbookProgram, terminalDeps, withInterrupts } from './playbook-command.js';

/** `tsplay plan`'s exit codes, like `terraform plan -detailed-exitcode`: a CI gate reads them. */
export const PLAN_EXIT = { noChange: 0, failed: 1, changes: 2 } as const;

/**
 * `tsplay plan PLAYBOOK -i INV [playbook options]`: a check + diff run reported per host (what
 * would change, with diffs; what would fail), nothing changed on any host.
 */
export async function runPlanCommand(argv: string[], settings: AnsibleSettings, cwd: string): Promise<number> {
  const program = playbookProgram().name('tsplay plan').description('Shows, per host, what a playbook would change (check + diff), and changes nothing.');
  const prompter = new TtyPrompter();
  let req;
  try {
    req = await parsePlaybookArgv(argv, cwd, settings, prompter, program);
  } catch (e) {
    if (e instanceof HelpShown) return 0;
    throw e;
  }
  const seen: { verdict: PlanVerdict } = { verdict: 'no-change' };
  const code = await withInterrupts(async (signal) => {
    const r = await planPlaybook(req, { ...terminalDeps(settings, cwd, prompter), signal });
    seen.verdict = r.verdict;
    return r.code;
  });
  const verdict = seen.verdict;
  if (code === INTERRUPTED_EXIT) return code;
  if (verdict === 'failed' || (code !== 0 && verdict === 'no-change')) return PLAN_EXIT.failed;
  return verdict === 'changes' ? PLAN_EXIT.changes : PLAN_EXIT.noChange;
}
