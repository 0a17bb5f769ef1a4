import { TsplayError } from '../errors/index.js';
import { run } from './exec.js';
import type { LabHostPlan, ResolvedLabOptions } from './options.js';
import { bridgeAddress } from './options.js';

/** Interface names as `ip -o link` prints them (`5: name@if2: <...>` → `name`). */
export function parseLinkNames(text: string): string[] {
  return text.split('\n').map((l) => /^\d+:\s+([^:@\s]+)/.exec(l)?.[1]).filter((n): n is string => n !== undefined);
}

/** Names of `ip netns list` (`name (id: 3)` → `name`). */
export function parseNetnsNames(text: string): string[] {
  return text.split('\n').map((l) => l.trim().split(/\s+/)[0]).filter((n) => n !== '');
}

export async function listLinks(): Promise<string[]> {
  return parseLinkNames((await run(['ip', '-o', 'link', 'show'])).stdout);
}

export async function listNetns(): Promise<string[]> {
  return parseNetnsNames((await run(['ip', 'netns', 'list'])).stdout);
}

/** Refuses a subnet already in use by another interface: two labs must not share one. */
async function checkSubnetFree(o: ResolvedLabOptions): Promise<void> {
  const text = (await run(['ip', '-o', '-4', 'addr', 'show'])).stdout;
  for (const line of text.split('\n')) {
    const m = /^\d+:\s+(\S+)\s+inet\s+(\d+\.\d+\.\d+)\.\d+\//.exec(line);
    if (m && m[2] === o.subnet && m[1] !== o.bridge) {
      throw new TsplayError('lab', `subnet ${o.subnet}.0/24 is already used by interface ${m[1]}`, {
        hint: 'choose another lab subnet (--subnet A.B.C) or take the other lab down',
      });
    }
  }
}

/** The lab bridge with the controller's address on it; reused when it already exists. */
export async function ensureBridge(o: ResolvedLabOptions): Promise<void> {
  await checkSubnetFree(o);
  if (!(await listLinks()).includes(o.bridge)) {
    await run(['ip', 'link', 'add', o.bridge, 'type', 'bridge'], { what: `cannot create bridge ${o.bridge}` });
  }
  await run(['ip', 'addr', 'replace', `${bridgeAddress(o)}/24`, 'dev', o.bridge]);
  await run(['ip', 'link', 'set', o.bridge, 'up']);
}

/**
 * One network namespace per host, a veth into the bridge, eth0 with the host address.
 * No default route anywhere: the lab is air-gapped by construction.
 */
export async function addHostNetwork(o: ResolvedLabOptions, h: LabHostPlan): Promise<void> {
  const what = `cannot set up the network of lab host ${h.name}`;
  await run(['ip', 'netns', 'add', h.netns], { what });
  await run(['ip', 'link', 'add', h.veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', h.netns], { what });
  await run(['ip', 'link', 'set', h.veth, 'master', o.bridge, 'up'], { what });
  await run(['ip', '-n', h.netns, 'addr', 'add', `${h.ip}/24`, 'dev', 'eth0'], { what });
  await run(['ip', '-n', h.netns, 'link', 'set', 'eth0', 'up'], { what });
  await run(['ip', '-n', h.netns, 'link', 'set', 'lo', 'up'], { what });
}

/** Deleting the namespace deletes its end of the veth pair, and with it ours. */
export async function removeNetns(netns: string): Promise<void> {
  await run(['ip', 'netns', 'delete', netns], { okCodes: [0, 1] });
}

export async function removeLink(name: string): Promise<void> {
  await run(['ip', 'link', 'delete', name], { okCodes: [0, 1, 2] });
}

/** PIDs of every process whose network namespace is this lab namespace. */
export async function netnsPids(netns: string): Promise<number[]> {
  const res = await run(['ip', 'netns', 'pids', netns], { okCodes: [0, 1] });
  return res.stdout.split('\n').map((s) => Number(s.trim())).filter((n) => Number.isInteger(n) && n > 0);
}
