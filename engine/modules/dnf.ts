import { joinArgv, sh, verbatim } from '../transport/shell.js';
import { runScript } from './remote-file/exec.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types/module.js';
import { bool, BOOL, list, STR, STR_LIST, str } from './remote-file/args.js';
import { errText, failed } from './system/result.js';
import { parseSections, section, sectionText } from './system/sections.js';

export const dnfSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: STR_LIST, pkg: STR_LIST, state: { enum: ['absent', 'present', 'installed', 'removed', 'latest'] }, update_cache: BOOL, expire_cache: BOOL,
    disable_gpg_check: BOOL, allow_downgrade: BOOL, enablerepo: STR_LIST, disablerepo: STR_LIST, exclude: STR_LIST, install_weak_deps: BOOL,
    autoremove: BOOL, conf_file: STR, installroot: STR, releasever: STR, security: BOOL, bugfix: BOOL, skip_broken: BOOL, update_only: BOOL,
    cacheonly: BOOL, lock_timeout: { type: ['integer', 'string'] }, nobest: BOOL, disable_excludes: STR, download_only: BOOL, allowerasing: BOOL,
  },
} as const;

/**
 * ONE round trip: `rpm -q SPEC` answers "installed" for plain names and for name-version
 * specs alike; for latest, `dnf check-update` exits 100 when an update is available.
 */
export function dnfProbeScript(specs: readonly string[], latest: boolean): string {
  const lines = specs.map((s, i) => {
    const upd = latest ? sh`; dnf -q check-update ${s} >/dev/null 2>&1; echo "u$? ${i}"` : '';
    return sh`rpm -q --whatprovides ${s} >/dev/null 2>&1 && echo "i ${i}" || echo "n ${i}"${verbatim(upd)}`;
  });
  return section('rpm', lines.join('\n') || 'true');
}

function repoFlags(a: Readonly<Record<string, unknown>>): string[] {
  return [
    ...list(a.enablerepo).map((r) => `--enablerepo=${r}`), ...list(a.disablerepo).map((r) => `--disablerepo=${r}`),
    ...list(a.exclude).map((r) => `--exclude=${r}`), ...(bool(a.disable_gpg_check, false) ? ['--nogpgcheck'] : []),
    ...(a.install_weak_deps === undefined ? [] : [`--setopt=install_weak_deps=${bool(a.install_weak_deps, true) ? 'True' : 'False'}`]),
    ...(bool(a.allowerasing, false) ? ['--allowerasing'] : []), ...(bool(a.nobest, false) ? ['--nobest'] : []),
  ];
}

/** ansible.builtin.dnf (subset): present/latest/absent with rpm as the source of truth. */
export const dnf: ModuleDef = {
  name: 'dnf',
  schema: dnfSchema,
  supportsCheck: true,
  async run(ctx: ModuleContext): Promise<ModuleResult> {
    const a = ctx.args;
    const st = str(a.state) ?? 'present';
    const state = st === 'installed' ? 'present' : st === 'removed' ? 'absent' : st;
    const specs = list(a.name ?? a.pkg);
    const update = bool(a.update_cache, false) && ctx.mayChange('refresh the dnf cache') ? 'dnf -q makecache >/dev/null 2>&1\n' : '';
    const res = await runScript(ctx, update + dnfProbeScript(specs, state === 'latest'));
    const text = sectionText(parseSections(res.stdout), 'rpm');
    const installed = new Set([...text.matchAll(/^i (\d+)$/gm)].map((m) => Number(m[1])));
    const updatable = new Set([...text.matchAll(/^u100 (\d+)$/gm)].map((m) => Number(m[1])));
    const todo = specs.filter((_, i) => (state === 'absent' ? installed.has(i) : !installed.has(i) || (state === 'latest' && updatable.has(i))));
    if (todo.length === 0) return { changed: false, msg: 'Nothing to do', rc: 0, results: [] };
    const verb = state === 'absent' ? 'remove' : state === 'latest' ? 'upgrade' : 'install';
    const results = todo.map((s) => `${verb === 'remove' ? 'Removed' : 'Installed'}: ${s}`);
    // `dnf install` of a missing package also serves latest: both bring the newest version
    const cmd = joinArgv(['dnf', '-y', ...repoFlags(a), verb === 'upgrade' ? 'install' : verb, ...todo]);
    const done = await ctx.change(`${verb} ${todo.join(' ')}`, state === 'latest' ? `${cmd} && ${joinArgv(['dnf', '-y', ...repoFlags(a), 'upgrade', ...todo])}` : cmd);
    if (!done.applied) return { changed: true, msg: `Check mode: No changes made, but would have if not in check mode`, rc: 0, results };
    const r = done.value;
    if (r.rc !== 0) return failed(errText(r), { rc: r.rc, results: [] });
    return { changed: true, msg: '', rc: 0, results };
  },
};
