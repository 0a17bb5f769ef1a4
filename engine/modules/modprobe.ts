import { splitModuleText } from './remote-file/shlex.js';
import { joinArgv, sh, verbatim } from '../transport/shell.js';
import { runScript } from './remote-file/exec.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types/module.js';
import { STR, str } from './remote-file/args.js';
import { errText, failed } from './system/result.js';
import { parseSections, section, sectionText } from './system/sections.js';

export const modprobeSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: { name: STR, state: { enum: ['present', 'absent'] }, params: STR, persistent: { enum: ['disabled', 'absent', 'present'] } },
} as const;

const LOAD_DIR = '/etc/modules-load.d';
const PARAMS_DIR = '/etc/modprobe.d';

type Loaded = 'module' | 'builtin' | 'no';

/**
 * Built-in modules without parameters have no /sys/module entry, and hosts without
 * /lib/modules have no modules.builtin: for the modules Kubernetes needs, the kernel's own
 * interfaces prove the code is there (br_netfilter registers net.bridge.bridge-nf-call-*).
 */
const EVIDENCE: Readonly<Record<string, string>> = {
  br_netfilter: '[ -e /proc/sys/net/bridge/bridge-nf-call-iptables ]',
  // a container's /sys may not show /sys/module/overlay; the registered file system is proof
  overlay: 'grep -qw overlay /proc/filesystems',
  nf_conntrack: '[ -e /proc/sys/net/netfilter/nf_conntrack_max ]',
};

function evidence(name: string): string[] {
  const test = EVIDENCE[name.replace(/-/g, '_')];
  return test === undefined ? [] : [`elif ${test}; then echo builtin`];
}

interface Probed {
  readonly loaded: Loaded;
  /** Files in modules-load.d that list the module (community.general's re_find_module). */
  readonly persistFiles: string[];
  /** key=value params set by `options NAME ...` lines in modprobe.d. */
  readonly params: Set<string>;
  readonly paramFiles: string[];
}

function ere(name: string): string {
  return name.replace(/[.[\]()*+?^$|\\{}]/g, '\\$&');
}

/** ONE round trip: /proc/modules, /sys/module (built-in modules), both config folders. */
async function probe(ctx: ModuleContext, name: string): Promise<Probed> {
  const modRe = `^ *${ere(name)} *([#;].*)?$`;
  const optRe = `^options ${ere(name)} [A-Za-z0-9_]+=[^ ]+ *([#;].*)?$`;
  const script = [
    // like the kernel: '-' and '_' are the same in module names
    section('loaded', [
      sh`m=$(printf %s ${name} | tr - _); b="/lib/modules/$(uname -r)/modules.builtin"`,
      'if grep -q "^$m " /proc/modules 2>/dev/null; then echo module',
      'elif [ -d "/sys/module/$m" ]; then echo builtin',
      'elif [ -r "$b" ] && tr - _ < "$b" | grep -q "/$m\\.ko"; then echo builtin',
      ...evidence(name),
      'else echo no; fi',
    ].join('\n')),
    section('persist', sh`for f in ${verbatim(LOAD_DIR)}/*; do [ -f "$f" ] && grep -qE ${modRe} "$f" && echo "$f"; done; true`),
    section('params', sh`for f in ${verbatim(PARAMS_DIR)}/*; do [ -f "$f" ] && grep -E ${optRe} "$f" | sed "s|^|$f\\t|"; done; true`),
  ].join('\n');
  const sec = parseSections((await runScript(ctx, script)).stdout);
  const params = new Set<string>();
  const paramFiles = new Set<string>();
  for (const line of sectionText(sec, 'params').split('\n').filter((l) => l !== '')) {
    const [file, text] = line.split('\t');
    paramFiles.add(file!);
    params.add(text!.split(/\s+/)[2]!);
  }
  return {
    loaded: sectionText(sec, 'loaded') as Loaded,
    persistFiles: sectionText(sec, 'persist').split('\n').filter((l) => l !== ''),
    params, paramFiles: [...paramFiles],
  };
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

/** Writes a small file atomically from shell (temp name in the same directory, then mv). */
function writeFileCmd(path: string, text: string): string {
  const tmp = `${path}.tsplay-tmp`;
  return sh`mkdir -p ${path.slice(0, path.lastIndexOf('/'))} && printf %s ${text} > ${tmp} && chmod 0644 ${tmp} && mv -f ${tmp} ${path}`;
}

function commentOut(files: readonly string[], re: string): string[] {
  return files.map((f) => sh`sed -i -E ${`s/${re.replace(/\//g, '\\/')}/#&/`} ${f}`);
}

/** Decides and builds the apply script; '' when nothing changes. */
function planScript(name: string, p: Probed, o: { present: boolean; params: string; persistent: string }): string {
  const cmds: string[] = [];
  const want = new Set(o.params.split(/\s+/).filter((x) => x !== ''));
  if (o.present && p.loaded === 'no') cmds.push(joinArgv(['modprobe', name, ...splitModuleText(o.params)]));
  if (!o.present && p.loaded === 'module') cmds.push(joinArgv(['modprobe', '-r', name]));
  const optRe = `^options ${ere(name)} [A-Za-z0-9_]+=[^ ]+ *([#;].*)?$`;
  if (o.persistent === 'present') {
    if (p.persistFiles.length === 0) cmds.push(writeFileCmd(`${LOAD_DIR}/${name}.conf`, `${name}\n`));
    if (!sameSet(want, p.params)) {
      cmds.push(...commentOut(p.paramFiles, optRe));
      cmds.push(writeFileCmd(`${PARAMS_DIR}/${name}.conf`, `${[...want].map((x) => `options ${name} ${x}`).join('\n')}\n`));
    }
  } else if (o.persistent === 'absent') {
    cmds.push(...commentOut(p.persistFiles, `^ *${ere(name)} *([#;].*)?$`));
    if (p.params.size > 0) cmds.push(...commentOut(p.paramFiles, optRe));
  }
  return cmds.join(' &&\n');
}

/** community.general.modprobe; a module built into the kernel (/sys/module/NAME) counts as loaded. */
export const modprobe: ModuleDef = {
  name: 'modprobe',
  aliases: ['community.general.modprobe'],
  schema: modprobeSchema,
  supportsCheck: true,
  async run(ctx) {
    const a = ctx.args;
    const name = str(a.name)!;
    const o = { present: (str(a.state) ?? 'present') === 'present', params: str(a.params) ?? '', persistent: str(a.persistent) ?? 'disabled' };
    const base = { name, params: o.params, state: o.present ? 'present' : 'absent' };
    const p = await probe(ctx, name);
    if (!o.present && p.loaded === 'builtin') return failed(`module ${name} is built into the kernel and cannot be unloaded`, base);
    const script = planScript(name, p, o);
    if (script === '') return { changed: script !== '', ...base };
    const done = await ctx.change(`${o.present ? 'load' : 'unload'} module ${name}`, script);
    if (!done.applied) return { changed: script !== '', ...base };
    const res = done.value;
    if (res.rc !== 0) return failed(errText(res), { ...base, rc: res.rc, stdout: res.stdout, stderr: res.stderr });
    return { changed: true, ...base } satisfies ModuleResult;
  },
};
