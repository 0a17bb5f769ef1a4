import { isatty } from 'node:tty';
import { Command, Option } from 'commander';
import { parseExtraVars, runPlaybook, type RunDeps, type RunRequest } from '../api.js';
import type { AnsibleSettings } from '../config/ansible-cfg.js';
import { OptionError } from '../errors/index.js';
import { INTERRUPTED_EXIT, watchInterrupts } from './interrupt.js';
import { addVaultOptions, readVaultSecrets } from './vault-options.js';
import { TtyPrompter } from './tty-prompt.js';
import { VaultKeyring } from '../vault/keyring.js';
import { Secret } from '../types/secret.js';
import { askHidden } from './prompt.js';
import { TSPLAY_VERSION } from '../version.js';
import type { LaunchHooks } from './code-cache.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function csvList(values: readonly string[]): string[] {
  return values.flatMap((v) => v.split(',')).map((s) => s.trim()).filter((s) => s !== '');
}

export function playbookProgram(): Command {
  return addVaultOptions(new Command('tsplay'))
    .usage('PLAYBOOK... [-i INVENTORY] [options]\n       tsplay inventory|lab|certs|vault ...')
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
    .option('-K, --ask-become-pass', 'ask for the become password (read from stdin when it is not a terminal)')
    .option('-c, --connection <type>', 'connection type when a host sets none (ssh, local)')
    .option('-T, --timeout <seconds>', 'ssh connection timeout in seconds (default from ansible.cfg, else 10)', (v) => Number(v))
    .option('--ssh-common-args <args>', 'ssh arguments for hosts that set no ansible_ssh_common_args')
    .option('--ssh-extra-args <args>', 'extra ssh arguments for hosts that set no ansible_ssh_extra_args')
    .option('--flush-cache', 'clear the fact cache of every host in the inventory first')
    .option('--step', 'not supported: tsplay does not stop to confirm each task')
    .version(`tsplay ${TSPLAY_VERSION} (runs ansible-core 2.14 playbooks)`, '--version')
    .addOption(new Option('--output <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--events <file>', 'write one JSON event per line to FILE as the run goes (- for stdout)')
    .option('--profile', 'after the recap: slowest tasks, role totals, remote commands and bytes per host')
    .option('--no-progress', 'no live status line, even on a terminal')
    .exitOverride()
    // the CLI prints the error once, as an OptionError; commander's own copy is dropped
    .configureOutput({ writeErr: (s) => process.stderr.write(s), outputError: () => undefined });
}

/** argv → RunRequest, the same for a playbook run and `tsplay plan` (vault passwords read here). */
export async function parsePlaybookArgv(argv: string[], cwd: string, settings: AnsibleSettings, prompter: TtyPrompter, program: Command = playbookProgram()): Promise<RunRequest> {
  try {
    program.parse(argv, { from: 'user' });
  } catch (e) {
    const code = (e as { exitCode?: number; code?: string }).code;
    if (code === 'commander.helpDisplayed' || code === 'commander.version') throw new HelpShown();
    throw new OptionError((e as Error).message.replace(/^error: /, ''), { hint: 'see tsplay --help' });
  }
  const o = program.opts();
  const vaultSecrets = await readVaultSecrets(o, settings, cwd, false, prompter);
  const knownSecrets: Secret[] = [];
  const mode: RunRequest['mode'] = o.listHosts ? 'list-hosts' : o.listTasks ? 'list-tasks' : o.listTags ? 'list-tags' : o.syntaxCheck ? 'syntax-check' : 'run';
  if (o.forks !== undefined && (!Number.isInteger(o.forks) || o.forks < 1)) throw new OptionError(`invalid forks: ${String(o.forks)}`, { hint: '-f takes a positive number' });
  if (o.timeout !== undefined && (!Number.isInteger(o.timeout) || o.timeout < 1)) throw new OptionError(`invalid timeout: ${String(o.timeout)}`, { hint: '-T takes a number of seconds' });
  if (o.step === true) {
    throw new OptionError('--step is not supported', { hint: 'tsplay does not stop to confirm each task; use --start-at-task NAME, --tags or -C (check mode) to run part of a playbook' });
  }
  const becomePassword = o.askBecomePass === true ? new Secret(await askHidden('BECOME password: ')) : undefined;
  const callback = settings.stdoutCallback === 'json' ? 'json' : undefined;
  const tty = process.stdout.isTTY === true;
  return {
    playbooks: program.args,
    inventories: o.inventory as string[],
    limit: o.limit as string | undefined,
    tags: csvList(o.tags as string[]),
    skipTags: csvList(o.skipTags as string[]),
    extraVars: parseExtraVars(o.extraVars as string[], cwd, new VaultKeyring(vaultSecrets, (v) => knownSecrets.push(new Secret(v)))),
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
    becomePassword,
    connection: o.connection as string | undefined,
    timeout: o.timeout as number | undefined,
    sshCommonArgs: o.sshCommonArgs as string | undefined,
    sshExtraArgs: o.sshExtraArgs as string | undefined,
    flushCache: o.flushCache === true,
    output: (callback ?? o.output) as 'text' | 'json',
    color: tty && !process.env.NO_COLOR && process.env.ANSIBLE_NOCOLOR === undefined,
    events: o.events as string | undefined,
    profile: o.profile === true,
    // a status line only for a person at a terminal: never in pipes, CI logs or json output
    progress: tty && o.progress !== false && (callback ?? o.output) === 'text' && o.events !== '-' && process.env.CI === undefined,
    vaultSecrets,
    knownSecrets,
  };
}

/** commander printed --help or --version itself: exit 0 without running anything. */
export class HelpShown extends Error {}

/** What a run from the terminal gets: stdout, its width, and prompts when stdin is a TTY. */
export function terminalDeps(settings: AnsibleSettings, cwd: string, prompter: TtyPrompter): RunDeps {
  return {
    write: (t) => process.stdout.write(t), settings, cwd, columns: () => process.stdout.columns ?? 80,
    // isatty(0), not process.stdin.isTTY: touching process.stdin builds a stream a run may never read (start-up)
    ask: isatty(0) ? prompter.ask : undefined, env: process.env,
  };
}

/**
 * Runs with one SIGINT/SIGTERM handler installed: the run stops scheduling and cancels remote
 * commands; the exit code is then 99 like ansible-playbook's "User interrupted execution".
 */
export async function withInterrupts(run: (signal: AbortSignal) => Promise<number>): Promise<number> {
  const interrupt = watchInterrupts((t) => process.stderr.write(t));
  try {
    const code = await run(interrupt.signal);
    return interrupt.interrupted ? INTERRUPTED_EXIT : code;
  } finally {
    interrupt.dispose();
  }
}

export async function runPlaybookCommand(argv: string[], settings: AnsibleSettings, cwd: string, launch?: LaunchHooks): Promise<number> {
  const prompter = new TtyPrompter();
  let req: RunRequest;
  try {
    req = await parsePlaybookArgv(argv, cwd, settings, prompter);
  } catch (e) {
    if (e instanceof HelpShown) return 0;
    throw e;
  }
  if (req.mode === 'run') launch?.ranPlaybook();
  return withInterrupts((signal) => runPlaybook(req, { ...terminalDeps(settings, cwd, prompter), signal }));
}
