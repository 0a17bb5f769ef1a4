import { ModuleArgsError } from '../errors/index.js';
import { joinArgv, sh, verbatim, type Verbatim } from '../transport/shell.js';
import { runScript } from './remote-file/exec.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types/module.js';
import { bool, BOOL, list, STR, STR_LIST, str } from './remote-file/args.js';
import { splitLines } from './command.js';
import { aptAction, parseAptSpec, type PkgSpec, type PkgState } from './system/pkgspec.js';
import { errText, failed } from './system/result.js';
import { parseSections, section, sectionText } from './system/sections.js';

export const aptSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: STR_LIST, pkg: STR_LIST, package: STR_LIST, state: { enum: ['absent', 'build-dep', 'latest', 'present', 'fixed', 'installed', 'removed'] },
    update_cache: BOOL, 'update-cache': BOOL, update_cache_retries: { type: ['integer', 'string'] }, update_cache_retry_max_delay: { type: ['integer', 'string'] },
    cache_valid_time: { type: ['integer', 'string'] }, purge: BOOL, default_release: STR, install_recommends: BOOL, force: BOOL,
    allow_unauthenticated: BOOL, allow_downgrade: BOOL, allow_change_held_packages: BOOL, upgrade: { enum: ['dist', 'full', 'no', 'safe', 'yes'] },
    dpkg_options: STR, deb: STR, autoremove: BOOL, autoclean: BOOL, policy_rc_d: { type: ['integer', 'null'] }, only_upgrade: BOOL,
    fail_on_autoremove: BOOL, force_apt_get: BOOL, clean: BOOL, lock_timeout: { type: ['integer', 'string'] },
  },
} as const;

type AptState = 'present' | 'absent' | 'latest' | 'fixed' | 'build-dep';

interface Probed {
  readonly pkgs: Map<string, PkgState>;
  readonly cacheUpdated: boolean;
  readonly cacheTime: number;
  readonly updateError?: string;
  readonly deb?: { name: string; version: string; installed?: string };
}

function dpkgQuery(names: readonly (string | Verbatim)[]): string {
  return names.length === 0 ? 'true' : sh`dpkg-query -W -f='\${Package}\\t\${db:Status-Abbrev}\\t\${Version}\\n' -- ${names} 2>/dev/null; true`;
}

/** `apt-cache policy` blocks: name -> candidate ('(none)' means no candidate). */
export function parsePolicy(text: string): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  let cur: string | undefined;
  for (const line of text.split('\n')) {
    const head = /^(\S+):$/.exec(line);
    if (head) { cur = head[1]; continue; }
    const c = /^\s+Candidate:\s*(\S+)/.exec(line);
    if (c && cur !== undefined) out.set(cur, c[1] === '(none)' ? undefined : c[1]);
  }
  return out;
}

/** Installed versions: the status letter (2nd of Status-Abbrev) is 'i'; held ('hi') counts, 'rc' leftovers do not. */
export function parseDpkgQuery(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const [name, status, version] = line.split('\t');
    if (name && status?.[1] === 'i' && version) out.set(name.replace(/:[a-z0-9]+$/, ''), version);
  }
  return out;
}

const STAMP = '/var/lib/apt/periodic/update-success-stamp';

/**
 * ONE round trip: the cache age, `apt-get update` when the cache is too old (not in check
 * mode), then dpkg status, apt candidates and the .deb's control fields.
 */
function probeScript(ctx: ModuleContext, names: readonly string[], deb: string | undefined, latest: boolean): string {
  const a = ctx.args;
  const valid = Number(a.cache_valid_time ?? 0);
  // like ansible: `update_cache or cache_valid_time` updates a stale cache
  const update = bool(a.update_cache ?? a['update-cache'], false) || valid > 0;
  // the cache update rides in the probe's round trip: the gate decides whether it may run
  const mayUpdate = update && ctx.mayChange('update the apt cache');
  // like ansible's get_cache_mtime: the update-success stamp, else the lists folder
  const age = `t=$(stat -c %Y ${STAMP} 2>/dev/null || stat -c %Y /var/lib/apt/lists 2>/dev/null || echo 0)`;
  const parts = [age, section('cachetime', 'echo "$t"')];
  if (update && !mayUpdate) {
    // like ansible in check mode: a stale cache counts as updated (changed) without updating it
    parts.push(`if [ ${valid} -le 0 ] || [ $(( $(date +%s) - t )) -gt ${valid} ]; then`, section('stale', 'echo yes'), 'fi');
  } else if (update) {
    parts.push(`if [ ${valid} -le 0 ] || [ $(( $(date +%s) - t )) -gt ${valid} ]; then`,
      section('updated', `DEBIAN_FRONTEND=noninteractive apt-get update -q 2>&1 && { mkdir -p /var/lib/apt/periodic && touch ${STAMP}; echo "@@rc=0"; } || echo "@@rc=1"`),
      `t=$(date +%s); ${section('cachetime', 'echo "$t"')}`, 'fi');
  }
  parts.push(section('dpkg', dpkgQuery(names)));
  // apt-cache loads the whole cache (seconds on a host without lists): ask only about packages
  // that are not installed, unless state=latest needs every candidate
  if (names.length > 0 && latest) parts.push(section('policy', sh`apt-cache policy -- ${names} 2>/dev/null; true`));
  else if (names.length > 0) {
    parts.push(section('policy', [
      sh`need=''; for n in ${names}; do dpkg-query -W -f='\${db:Status-Abbrev}' -- "$n" 2>/dev/null | grep -q '^.i' || need="$need $n"; done`,
      'if [ -n "$need" ]; then apt-cache policy -- $need 2>/dev/null; fi; true',
    ].join('\n')));
  }
  if (deb !== undefined) {
    parts.push(section('deb', sh`dpkg-deb -f ${deb} Package Version 2>&1 || echo "@@failed"`));
    parts.push(section('debinst', sh`n=$(dpkg-deb -f ${deb} Package 2>/dev/null) && [ -n "$n" ] && ${verbatim(dpkgQuery([verbatim('"$n"')]))}`));
  }
  return parts.join('\n');
}

async function probe(ctx: ModuleContext, specs: readonly PkgSpec[], deb: string | undefined, latest: boolean): Promise<Probed | string> {
  const res = await runScript(ctx, probeScript(ctx, specs.map((s) => s.name), deb, latest));
  const text = res.stdout;
  const sec = parseSections(text);
  const updatedText = sec.get('updated');
  // the last cachetime section wins (a second one follows an update)
  const times = [...text.matchAll(/@@TSPLAY-SEC cachetime\n(\d+)/g)].map((m) => Number(m[1]));
  const installed = parseDpkgQuery(sectionText(sec, 'dpkg'));
  const candidates = parsePolicy(sectionText(sec, 'policy'));
  const pkgs = new Map(specs.map((s) => [s.name, { installed: installed.get(s.name), candidate: candidates.get(s.name) }]));
  let debInfo: Probed['deb'];
  if (deb !== undefined) {
    const d = sectionText(sec, 'deb');
    if (d.includes('@@failed')) return `Unable to install package: ${d.replace('@@failed', '').trim()}`;
    const f = Object.fromEntries(d.split('\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
    const name = f.Package ?? '';
    debInfo = { name, version: f.Version ?? '', installed: parseDpkgQuery(sectionText(sec, 'debinst')).get(name) };
  }
  return {
    pkgs, cacheUpdated: (updatedText !== undefined && /@@rc=0/.test(updatedText)) || sec.has('stale'), cacheTime: times[times.length - 1] ?? 0,
    updateError: updatedText !== undefined && /@@rc=1/.test(updatedText) ? updatedText.replace(/@@rc=1\s*$/, '').trim() : undefined, deb: debInfo,
  };
}

function dpkgOpts(a: Readonly<Record<string, unknown>>): string[] {
  return (str(a.dpkg_options) ?? 'force-confdef,force-confold').split(',').filter((o) => o !== '').flatMap((o) => ['-o', `Dpkg::Options::=--${o}`]);
}

function applyCommands(ctx: ModuleContext, installs: string[], removes: string[], deb: string | undefined): string {
  const a = ctx.args;
  const cmds = ['export DEBIAN_FRONTEND=noninteractive'];
  if (deb !== undefined) cmds.push(joinArgv(['dpkg', ...(str(a.dpkg_options) ?? 'force-confdef,force-confold').split(',').map((o) => `--${o}`), '-i', deb]));
  const common = ['apt-get', '-y', ...dpkgOpts(a)];
  const flags = [
    ...(a.install_recommends === undefined ? [] : bool(a.install_recommends, true) ? ['--install-recommends'] : ['--no-install-recommends']),
    ...(bool(a.allow_downgrade, false) ? ['--allow-downgrades'] : []), ...(bool(a.allow_change_held_packages, false) ? ['--allow-change-held-packages'] : []),
    ...(bool(a.allow_unauthenticated, false) ? ['--allow-unauthenticated'] : []), ...(str(a.default_release) ? ['-t', str(a.default_release)!] : []),
    ...(bool(a.only_upgrade, false) ? ['--only-upgrade'] : []),
  ];
  if (installs.length > 0) cmds.push(joinArgv([...common, ...flags, 'install', ...installs]));
  if (removes.length > 0) cmds.push(joinArgv([...common, bool(a.purge, false) ? 'purge' : 'remove', ...(bool(a.autoremove, false) ? ['--auto-remove'] : []), ...removes]));
  return cmds.join(' &&\n');
}

function normState(v: string | undefined): AptState {
  if (v === 'installed' || v === undefined) return 'present';
  if (v === 'removed') return 'absent';
  return v as AptState;
}

/** ansible.builtin.apt: dpkg/apt on the host; a converged host costs one probe. */
export const apt: ModuleDef = {
  name: 'apt',
  schema: aptSchema,
  supportsCheck: true,
  async run(ctx) {
    const a = ctx.args;
    const state = normState(str(a.state));
    const names = list(a.name ?? a.pkg ?? a.package);
    const deb = str(a.deb);
    for (const k of ['upgrade', 'autoclean', 'clean'] as const) {
      const v = a[k];
      if (v !== undefined && v !== null && v !== 'no' && v !== false) throw new ModuleArgsError(`tsplay's apt does not support ${k}=${String(v)} yet`, { where: ctx.loc });
    }
    if (deb !== undefined && state !== 'present') throw new ModuleArgsError('deb only supports state=present', { where: ctx.loc });
    if (deb !== undefined && deb.includes('://')) throw new ModuleArgsError('tsplay: deb must be a path on the host (fetch it with get_url first)', { where: ctx.loc });
    const specs: PkgSpec[] = [];
    for (const n of names) {
      const s = parseAptSpec(n);
      if (typeof s === 'string') return failed(s);
      specs.push(s);
    }
    const p = await probe(ctx, specs, deb, state === 'latest');
    if (typeof p === 'string') return failed(p);
    const cache = { cache_updated: p.cacheUpdated, cache_update_time: p.cacheTime };
    if (p.updateError !== undefined) return failed(`Failed to update apt cache: ${p.updateError}`, cache);
    const installs: string[] = [];
    const removes: string[] = [];
    for (const s of specs) {
      const act = aptAction(s, p.pkgs.get(s.name) ?? {}, state, bool(a.only_upgrade, false));
      if (act?.op === 'fail') return failed(act.msg, cache);
      if (act?.op === 'install') installs.push(act.spec);
      if (act?.op === 'remove') removes.push(act.spec);
    }
    const debNeeded = p.deb !== undefined && p.deb.installed !== p.deb.version;
    const work = installs.length + removes.length > 0 || debNeeded;
    if (!work) return { changed: p.cacheUpdated, ...cache };
    const done = await ctx.change(`install ${installs.join(' ')} remove ${removes.join(' ')}`, applyCommands(ctx, installs, removes, debNeeded ? deb : undefined));
    if (!done.applied) return { changed: true, ...cache };
    const res = done.value;
    const out = { stdout: res.stdout, stderr: res.stderr, stdout_lines: splitLines(res.stdout), stderr_lines: splitLines(res.stderr) };
    if (res.rc !== 0) return failed(`'${installs.length > 0 ? 'apt-get install' : removes.length > 0 ? 'apt-get remove' : 'dpkg -i'}' failed: ${errText(res)}`, { ...cache, ...out, rc: res.rc });
    return { changed: true, ...cache, ...out };
  },
};
