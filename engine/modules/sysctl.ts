import { ModuleArgsError } from '../errors/index.js';
import { joinArgv, sh } from '../transport/shell.js';
import { runScript } from './remote-file/exec.js';
import type { HostAccess, ModuleContext, ModuleDef, ModuleResult } from '../types/module.js';
import { bool, BOOL, STR, str } from './remote-file/args.js';
import { parseProbe, probeScript } from './remote-file/probe.js';
import { atomicWrite } from './remote-file/write.js';
import { decideSysctl, fileValue, parseSysctlValue, rewriteSysctl } from './system/sysctl-conf.js';
import { errText, failed } from './system/result.js';
import { parseSections, section, sectionText } from './system/sections.js';

export const sysctlSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: STR, key: STR, value: { type: ['string', 'number', 'boolean'] }, val: { type: ['string', 'number', 'boolean'] },
    state: { enum: ['present', 'absent'] }, reload: BOOL, sysctl_file: STR, sysctl_set: BOOL, ignoreerrors: BOOL,
  },
  oneOf: [{ required: ['name'] }, { required: ['key'] }],
} as const;

const STDERR_FAILED = /^sysctl: setting key "[^"]+": (Invalid argument|Read-only file system)$/m;

interface Probed {
  readonly text: string;
  readonly proc?: string;
  readonly st: ReturnType<typeof parseProbe>[number];
}

/** ONE round trip: the file (stat + bytes) and the live value. */
async function probe(ctx: ModuleContext, name: string, file: string): Promise<Probed> {
  const script = [section('proc', sh`sysctl -e -n ${name} 2>/dev/null && echo @@OK`), section('file', probeScript([{ path: file, content: true, follow: true }]))].join('\n');
  const res = await runScript(ctx, script);
  const sec = parseSections(res.stdout);
  const procText = sectionText(sec, 'proc');
  const [st] = parseProbe([{ path: file, content: true }], sec.get('file') ?? '');
  // like ansible: `sysctl -e -n` of an unknown key prints nothing and exits 0 -> value ''
  const proc = procText.endsWith('@@OK') ? procText.slice(0, -'@@OK'.length).replace(/\n$/, '') : undefined;
  return { text: st!.exists && st!.content !== undefined ? st!.content.toString('utf8') : '', proc, st: st! };
}

function setCommands(name: string, value: string, file: string, o: { setProc: boolean; reload: boolean; ignore: boolean }): string {
  const e = o.ignore ? ['-e'] : [];
  const cmds: string[] = [];
  if (o.setProc) cmds.push(`${joinArgv(['sysctl', ...e, '-w', `${name}=${value}`])} || exit 1`);
  if (o.reload) cmds.push(`${joinArgv(['sysctl', ...e, '-p', file])} || exit 2`);
  return cmds.join('\n');
}

async function apply(host: HostAccess, p: Probed, o: { name: string; value: string; file: string; present: boolean; writeFile: boolean; setProc: boolean; reload: boolean; ignore: boolean }): Promise<ModuleResult | undefined> {
  if (o.writeFile) {
    const data = Buffer.from(rewriteSysctl(p.text, o.name, o.value, o.present));
    const w = await atomicWrite(host, { dest: o.file, data, existing: p.st.exists ? p.st : undefined, changes: {} });
    if (!w.ok) return failed(`Failed to write to file ${o.file}: ${w.msg}`);
  }
  const cmds = setCommands(o.name, o.value, o.file, o);
  if (cmds === '') return undefined;
  const res = await host.exec(cmds);
  if (res.rc === 1 || (o.setProc && STDERR_FAILED.test(res.stderr))) return failed(`setting ${o.name} failed: ${res.stdout}${res.stderr}`);
  if (res.rc !== 0 || STDERR_FAILED.test(res.stderr)) return failed(`Failed to reload sysctl: ${res.stdout}${errText(res)}`);
  return undefined;
}

/** ansible.posix.sysctl: file entry + live value; a no-change run is one probe. */
export const sysctl: ModuleDef = {
  name: 'sysctl',
  aliases: ['ansible.posix.sysctl'],
  schema: sysctlSchema,
  supportsCheck: true,
  async run(ctx) {
    const a = ctx.args;
    const name = (str(a.name) ?? str(a.key) ?? '').trim();
    const present = (str(a.state) ?? 'present') === 'present';
    const rawValue = a.value ?? a.val;
    if (name === '') throw new ModuleArgsError('name cannot be blank', { where: ctx.loc });
    if (present && (rawValue === undefined || rawValue === null)) throw new ModuleArgsError('value cannot be None', { where: ctx.loc });
    const value = parseSysctlValue(rawValue);
    if (present && value === '') throw new ModuleArgsError('value cannot be blank', { where: ctx.loc });
    const file = str(a.sysctl_file) ?? '/etc/sysctl.conf';
    const reload = bool(a.reload, true);
    const p = await probe(ctx, name, file);
    const d = decideSysctl({ fileValue: fileValue(p.text, name), procValue: p.proc, value, present, reload, sysctlSet: bool(a.sysctl_set, false) });
    if (!d.changed) return { changed: false };
    const done = await ctx.change(`set ${name} to ${value}`, (host) => apply(host, p, { name, value, file, present, writeFile: d.writeFile, setProc: d.setProc, reload, ignore: bool(a.ignoreerrors, false) }));
    return done.value ?? { changed: true };
  },
};
