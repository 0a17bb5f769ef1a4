import { ModuleArgsError } from '../errors/index.js';
import { joinArgv } from '../transport/shell.js';
import { runScript } from './remote-file/exec.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types/module.js';
import { STR, str } from './remote-file/args.js';
import { errText, failed } from './system/result.js';
import { parseSections, section, sectionText } from './system/sections.js';

const STRATEGIES = ['alpine', 'debian', 'freebsd', 'generic', 'macos', 'macosx', 'darwin', 'openbsd', 'openrc', 'redhat', 'sles', 'solaris', 'systemd'] as const;

export const hostnameSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: { name: STR, use: { enum: STRATEGIES } },
} as const;

interface Probed {
  readonly systemd: boolean;
  readonly current: string;
  readonly permanent: string;
  readonly fqdn: string;
}

/** ONE round trip: whether hostnamectl can be used, the running and the permanent name. */
async function probe(ctx: ModuleContext): Promise<Probed> {
  const script = [
    section('systemd', 'if command -v hostnamectl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then echo yes; else echo no; fi'),
    section('current', 'hostname'),
    section('permanent', 'cat /etc/hostname 2>/dev/null'),
    section('fqdn', 'hostname -f 2>/dev/null || hostname'),
  ].join('\n');
  const sec = parseSections((await runScript(ctx, script)).stdout);
  return {
    systemd: sectionText(sec, 'systemd') === 'yes', current: sectionText(sec, 'current').trim(),
    permanent: sectionText(sec, 'permanent').trim(), fqdn: sectionText(sec, 'fqdn').trim(),
  };
}

/** systemd: hostnamectl (static + pretty, then transient, like ansible); else /etc/hostname + hostname. */
function setScript(name: string, useSystemd: boolean, p: Probed): string {
  const cmds: string[] = [];
  if (useSystemd) {
    if (p.permanent !== name) cmds.push(joinArgv(['hostnamectl', '--pretty', '--static', 'set-hostname', name]));
    if (p.current !== name) cmds.push(joinArgv(['hostnamectl', '--transient', 'set-hostname', name]));
  } else {
    if (p.permanent !== name) cmds.push(`printf '%s\\n' ${joinArgv([name])} > /etc/hostname.tsplay-tmp && mv -f /etc/hostname.tsplay-tmp /etc/hostname`);
    if (p.current !== name) cmds.push(joinArgv(['hostname', name]));
  }
  return cmds.join(' &&\n');
}

function facts(name: string, fqdn: string): Record<string, string> {
  return { hostname: name.split('.')[0]!, nodename: name, fqdn, domain: fqdn.split('.').slice(1).join('.') };
}

/** ansible.builtin.hostname */
export const hostname: ModuleDef = {
  name: 'hostname',
  schema: hostnameSchema,
  supportsCheck: true,
  async run(ctx) {
    const name = str(ctx.args.name)!;
    if (name.length > 64) throw new ModuleArgsError('name cannot be longer than 64 characters on systemd servers, try a shorter name', { where: ctx.loc });
    const p = await probe(ctx);
    const use = str(ctx.args.use);
    const useSystemd = use === undefined ? p.systemd : use === 'systemd';
    const changed = p.current !== name || p.permanent !== name;
    const f = facts(name, changed ? name : p.fqdn);
    const out: ModuleResult = { changed, name, ansible_facts: Object.fromEntries(Object.entries(f).map(([k, v]) => [`ansible_${k}`, v])), effects: [{ kind: 'facts', facts: f }] };
    // like ansible: the name before is the running one when it differs, else the permanent one;
    // shown only in diff mode (ansible's result keeps it regardless: the one place we differ)
    if (changed) Object.assign(out, ctx.diffs.of(() => ({ before: `hostname = ${name !== p.current ? p.current : p.permanent}\n`, after: `hostname = ${name}\n` })));
    if (!changed) return out;
    const done = await ctx.change(`set the hostname to ${name}`, setScript(name, useSystemd, p));
    if (!done.applied) return out;
    const res = done.value;
    if (res.rc !== 0) return failed(`Command failed rc=${res.rc}, out=${res.stdout}, err=${errText(res)}`, { name });
    return out;
  },
};
