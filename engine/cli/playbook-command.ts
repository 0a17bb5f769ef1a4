import { Command, Option } from 'commander';
import { runPlaybook, type RunRequest } from '../api.js';
import type { AnsibleSettings } from '../config/ansible-cfg.js';
import { OptionError } from '../errors/index.js';
import { parseExtraVars } from './extra-vars.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function csvList(values: readonly string[]): string[] {
  return values.flatMap((v) => v.split(',')).map((s) => s.trim()).filter((s) => s !== '');
}

export function playbookProgram(): Command {
  return new Command('tsplay')
    .usage('PLAYBOOK... [-i INVENTORY] [options]\n       tsplay inventory|lab|certs ...')
    .description('Runs Ansible playbooks, fast.')
    .argument('<playbooks...>')
    .option('-i, --inventory <path>', 'inventory file, folder or host list (repeatable)', collect, [])
    .option('-l, --limit <pattern>', 'further limit hosts to a pattern (or @file)')
    .option('-t, --tags <tags>', 'only run tasks tagged with these (repeatable, comma separated)', collect, [])
    .option('--skip-tags <tags>', 'skip tasks tagged with these', collect, [])
    .option('-e, --extra-vars <vars>', 'k=v, JSON/YAML, or @file (repeatable)', collect, [])
    .option('-C, --check', 'check mode: change nothing, report what would change')
    .option('-D, --diff', 'show differences in changed files')
    .option('-f, --forks <n>', 'parallel hosts', (v) => Number(v))
    .option('-v, --verbose', 'more output (-vvvv for the most)', (_v: string, prev: number) => prev + 1, 0)
    .option('--list-hosts', 'list the hosts each play would run on')
    .option('--list-tasks', 'list the tasks each play would run')
    .option('--list-tags', 'list the tags of each play')
    .option('--syntax-check', 'parse the playbooks and stop')
    .option('--start-at-task <name>', 'start at the task with this name')
    .option('--force-handlers', 'run handlers even on hosts that failed')
    .option('-u, --user <user>', 'connect as this user')
    .option('--private-key, --key-file <file>', 'ssh private key')
    .option('-b, --become', 'run operations with become')
    .option('--become-user <user>', 'become this user (default root)')
    .option('--become-method <method>', 'sudo or su')
    .addOption(new Option('--output <format>', 'output format').choices(['text', 'json']).default('text'))
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
}

export async function runPlaybookCommand(argv: string[], settings: AnsibleSettings, cwd: string): Promise<number> {
  const program = playbookProgram();
  try {
    program.parse(argv, { from: 'user' });
  } catch (e) {
    const code = (e as { exitCode?: number; code?: string }).code;
    if (code === 'commander.helpDisplayed' || code === 'commander.version') return 0;
    throw new OptionError((e as Error).message.replace(/^error: /, ''), { hint: 'see tsplay --help' });
  }
  const o = program.opts();
  const mode: RunRequest['mode'] = o.listHosts ? 'list-hosts' : o.listTasks ? 'list-tasks' : o.listTags ? 'list-tags' : o.syntaxCheck ? 'syntax-check' : 'run';
  if (o.forks !== undefined && (!Number.isInteger(o.forks) || o.forks < 1)) throw new OptionError(`invalid forks: ${String(o.forks)}`, { hint: '-f takes a positive number' });
  const callback = settings.stdoutCallback === 'json' ? 'json' : undefined;
  const req: RunRequest = {
    playbooks: program.args,
    inventories: o.inventory as string[],
    limit: o.limit as string | undefined,
    tags: csvList(o.tags as string[]),
    skipTags: csvList(o.skipTags as string[]),
    extraVars: parseExtraVars(o.extraVars as string[], cwd),
    check: o.check === true,
    diff: o.diff === true,
    forks: o.forks as number | undefined,
    verbosity: o.verbose as number,
    mode,
    startAtTask: o.startAtTask as string | undefined,
    forceHandlers: o.forceHandlers === true ? true : undefined,
    user: o.user as string | undefined,
    privateKey: o.privateKey as string | undefined,
    become: o.become === true ? true : undefined,
    becomeUser: o.becomeUser as string | undefined,
    becomeMethod: o.becomeMethod as string | undefined,
    output: (callback ?? o.output) as 'text' | 'json',
    color: process.stdout.isTTY === true && !process.env.NO_COLOR && process.env.ANSIBLE_NOCOLOR === undefined,
  };
  return runPlaybook(req, { write: (t) => process.stdout.write(t), settings, cwd, env: process.env });
}
