import { parseArgs } from 'node:util';
import { OptionError } from '../errors/index.js';
import { labDown } from './down.js';
import type { LabKind, LabOptions } from './options.js';
import type { LabState } from './state.js';
import { labStatus, type LabHostStatus } from './status.js';
import { labUp } from './up.js';

const USAGE = `usage: tsplay lab up [--hosts N] [--kind systemd|netns] [--name NAME] [--subnet A.B.C] [--containers] [--mirror]
       tsplay lab down [--name NAME]
       tsplay lab status [--name NAME]`;

type Print = (line: string) => void;

/**
 * `tsplay lab ...`, mounted by the main CLI. Returns the exit code; user mistakes and
 * environment problems are thrown as TsplayError for the CLI to print once.
 */
export async function runLabCommand(argv: string[], print: Print = console.log): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === 'help' || sub === '--help' || sub === '-h') {
    print(USAGE);
    return sub === undefined ? 2 : 0;
  }
  const opts = { ...parseLabArgs(sub, rest), log: print };
  switch (sub) {
    case 'up':
      printLab(await labUp(opts), print);
      return 0;
    case 'down':
      await labDown(opts);
      return 0;
    case 'status':
      return printStatus(opts, print);
    default:
      throw new OptionError(`unknown lab command '${sub}'`, { hint: USAGE });
  }
}

function parseLabArgs(sub: string, args: string[]): LabOptions {
  const upOnly = sub === 'up';
  let values;
  try {
    values = parseArgs({
      args, allowPositionals: false, strict: true,
      options: upOnly
        ? { name: { type: 'string' }, hosts: { type: 'string' }, kind: { type: 'string' }, subnet: { type: 'string' }, containers: { type: 'boolean' }, mirror: { type: 'boolean' } }
        : { name: { type: 'string' } },
    }).values as Record<string, string | boolean | undefined>;
  } catch (e) {
    throw new OptionError(`tsplay lab ${sub}: ${(e as Error).message}`, { hint: USAGE });
  }
  const hosts = values.hosts === undefined ? undefined : Number(values.hosts);
  return {
    name: values.name as string | undefined,
    hosts,
    kind: values.kind as LabKind | undefined,
    subnet: values.subnet as string | undefined,
    containers: values.containers as boolean | undefined,
    mirror: values.mirror as boolean | undefined,
  };
}

function printLab(state: LabState, print: Print): void {
  print(`inventory: ${state.inventory}`);
  for (const h of state.hosts) {
    print(`  ${h.name.padEnd(8)} ${h.ip.padEnd(15)} ${state.kind} pid ${h.pid}  ssh -i ${state.privateKey} -o UserKnownHostsFile=${state.knownHosts} root@${h.ip}`);
  }
  if (state.mirror) print(`  ${'mirror'.padEnd(8)} ${state.mirror.ip.padEnd(15)} files http://${state.mirror.ip}  registry ${state.mirror.ip}:5000  (group_vars/all/lab-mirror.yml)`);
}

/** A host whose launcher is gone may still run (its processes, even its sshd): say so, never just "stopped". */
function stoppedHealth(h: LabHostStatus): string {
  if (h.leftoverProcesses === 0) return 'stopped';
  return `launcher gone, but ${h.leftoverProcesses} processes still run in its namespace${h.ssh ? ' (sshd answers)' : ''}: \`tsplay lab down\` cleans up`;
}

async function printStatus(opts: LabOptions, print: Print): Promise<number> {
  const st = await labStatus(opts);
  if (st.state === null) {
    print(`lab ${st.name}: down (no state in ${st.stateDir})`);
    return 3;
  }
  print(`lab ${st.name}: ${st.state.kind}, ${st.hosts.length} hosts, subnet ${st.state.subnet}.0/24`);
  print(`inventory: ${st.state.inventory}`);
  for (const h of st.hosts) {
    const health = h.running ? (h.ssh ? 'up' : 'booting (no ssh yet)') : stoppedHealth(h);
    print(`  ${h.name.padEnd(8)} ${h.ip.padEnd(15)} pid ${String(h.pid).padEnd(8)} ${health}`);
  }
  const allUp = st.hosts.every((h) => h.running && h.ssh);
  if (!allUp) print(`some hosts are not up: \`tsplay lab up --name ${st.name}\` recreates them`);
  return allUp ? 0 : 1;
}
