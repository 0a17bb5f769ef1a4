import { ModuleArgsError } from '../errors/index.js';
import { sh, verbatim } from '../transport/shell.js';
import { runScript } from './remote-file/exec.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types/module.js';
import { bool, BOOL, STR, str } from './remote-file/args.js';
import { failed } from './system/result.js';
import { parseSections, section, sectionText } from './system/sections.js';
import { isDeactivating, isEnabled, isRunning, parseSystemctlShow, requestWasIgnored } from './system/systemctl.js';

export const systemdSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: STR, unit: STR, service: STR, state: { enum: ['started', 'stopped', 'restarted', 'reloaded'] }, enabled: BOOL, force: BOOL, masked: BOOL,
    daemon_reload: BOOL, 'daemon-reload': BOOL, daemon_reexec: BOOL, 'daemon-reexec': BOOL,
    scope: { enum: ['system', 'user', 'global'] }, no_block: BOOL,
  },
} as const;

export interface SystemdArgs {
  readonly unit?: string;
  readonly state?: 'started' | 'stopped' | 'restarted' | 'reloaded';
  readonly enabled?: boolean;
  readonly masked?: boolean;
  readonly daemonReload: boolean;
  readonly daemonReexec: boolean;
  readonly scope: 'system' | 'user' | 'global';
  readonly noBlock: boolean;
  readonly force: boolean;
}

export function readSystemdArgs(a: Readonly<Record<string, unknown>>): SystemdArgs {
  const opt = (v: unknown): boolean | undefined => (v === undefined || v === null ? undefined : bool(v, false));
  return {
    unit: str(a.name) ?? str(a.unit) ?? str(a.service), state: str(a.state) as SystemdArgs['state'],
    enabled: opt(a.enabled), masked: opt(a.masked),
    daemonReload: bool(a.daemon_reload ?? a['daemon-reload'], false), daemonReexec: bool(a.daemon_reexec ?? a['daemon-reexec'], false),
    scope: (str(a.scope) ?? 'system') as SystemdArgs['scope'], noBlock: bool(a.no_block, false), force: bool(a.force, false),
  };
}

function systemctl(s: SystemdArgs): string {
  return ['systemctl', ...(s.scope === 'system' ? [] : [`--${s.scope}`]), ...(s.noBlock ? ['--no-block'] : []), ...(s.force ? ['--force'] : [])].join(' ');
}

/**
 * ONE round trip reads everything ansible asks in up to six commands: daemon-reload/reexec
 * (skipped in check mode, like ansible), `show`, `is-enabled -l`, an init script, and whether
 * systemd runs at all (the service module's fallback decision).
 */
function probeScript(ctx: ModuleContext, s: SystemdArgs): string {
  const sc = systemctl(s);
  const unit = s.unit ?? '';
  const parts = [section('systemd', '[ -d /run/systemd/system ] && echo yes || echo no')];
  // daemon-reload/-reexec ride in the probe's round trip: the gate says whether they may run
  if (s.daemonReload && ctx.mayChange('systemctl daemon-reload')) parts.push(section('reload', `${sc} daemon-reload 2>&1; echo "rc=$?"`));
  if (s.daemonReexec && ctx.mayChange('systemctl daemon-reexec')) parts.push(section('reexec', `${sc} daemon-reexec 2>&1; echo "rc=$?"`));
  if (s.unit !== undefined) {
    parts.push(section('show', sh`${verbatim(sc)} show ${unit} 2>/dev/null; echo "@@rc=$?"`));
    parts.push(section('enabled', sh`${verbatim(sc)} is-enabled ${unit} -l 2>/dev/null; echo "@@rc=$?"`));
    parts.push(section('initd', sh`[ -x ${`/etc/init.d/${unit}`} ] && echo yes || echo no`));
  }
  return parts.join('\n');
}

function splitRc(text: string): [string, number] {
  const m = /@@rc=(\d+)\s*$/.exec(text);
  return [m ? text.slice(0, m.index) : text, m ? Number(m[1]) : 1];
}

export interface SystemdProbe {
  readonly systemd: boolean;
  readonly status: Record<string, string>;
  readonly found: boolean;
  readonly enabledRc: number;
  readonly enabledOut: string;
  readonly error?: string;
}

export async function probeSystemd(ctx: ModuleContext, s: SystemdArgs): Promise<SystemdProbe> {
  const res = await runScript(ctx, probeScript(ctx, s));
  const sec = parseSections(res.stdout);
  for (const k of ['reload', 'reexec']) {
    const m = /rc=(\d+)\s*$/.exec(sectionText(sec, k));
    if (m && m[1] !== '0') return { systemd: true, status: {}, found: false, enabledRc: 1, enabledOut: '', error: `failure ${m[1]} during daemon-${k}: ${sectionText(sec, k)}` };
  }
  const [showOut, showRc] = splitRc(sec.get('show') ?? '');
  const [enOut, enRc] = splitRc(sec.get('enabled') ?? '');
  const status = showRc === 0 && !requestWasIgnored(showOut) ? parseSystemctlShow(showOut) : {};
  const isSystemdUnit = status.LoadState !== undefined && status.LoadState !== 'not-found';
  const error = isSystemdUnit && status.LoadState !== 'masked' && status.LoadError !== undefined && !/^\s*$/.test(status.LoadError.replace(/^ ?"?/, ''))
    ? `Error loading unit file '${s.unit}': ${status.LoadError}` : undefined;
  return {
    systemd: sectionText(sec, 'systemd') === 'yes', status, found: isSystemdUnit || sectionText(sec, 'initd') === 'yes',
    enabledRc: enRc, enabledOut: enOut, error,
  };
}

/** Decides like ansible's systemd_service main(): masked, then enabled, then state. */
export function planSystemd(s: SystemdArgs, p: SystemdProbe): { actions: string[]; result: ModuleResult } {
  const result: ModuleResult = { changed: false, name: s.unit, status: p.status };
  const actions: string[] = [];
  if (s.masked !== undefined && (p.enabledOut.trim() === 'masked') !== s.masked) {
    result.changed = true;
    actions.push(s.masked ? 'mask' : 'unmask');
  }
  if (s.enabled !== undefined) {
    const enabled = isEnabled(p.enabledRc, p.enabledOut);
    result.enabled = enabled;
    if (enabled !== s.enabled) {
      result.changed = true;
      actions.push(s.enabled ? 'enable' : 'disable');
      result.enabled = !enabled;
    }
  }
  if (s.state !== undefined) {
    result.state = s.state;
    let action: string | undefined;
    if (s.state === 'started') action = isRunning(p.status) ? undefined : 'start';
    else if (s.state === 'stopped') action = isRunning(p.status) || isDeactivating(p.status) ? 'stop' : undefined;
    else {
      action = isRunning(p.status) ? s.state.slice(0, -2) : 'start';
      result.state = 'started';
    }
    if (action !== undefined) { result.changed = true; actions.push(action); }
  }
  return { actions, result };
}

/** The actions in one exec; the first failing one stops the script and names itself. */
function applyScript(s: SystemdArgs, actions: readonly string[]): string {
  const sc = systemctl(s);
  return actions.map((a) => sh`${verbatim(sc)} ${a} ${s.unit!} || { echo ${`@@failed ${a}`} >&2; exit 1; }`).join('\n');
}

/** requireSystemd: the service module without facts fails cleanly on a host without systemd. */
export async function runSystemd(ctx: ModuleContext, s: SystemdArgs, requireSystemd = false): Promise<ModuleResult> {
  const p = await probeSystemd(ctx, s);
  if (requireSystemd && !p.systemd) return failed('tsplay\'s service module supports only systemd hosts (no /run/systemd/system on the host)', { name: s.unit });
  if (p.error !== undefined) return failed(p.error, { name: s.unit, status: p.status });
  if (s.unit === undefined) return { changed: false, name: s.unit, status: {} };
  if ((s.state !== undefined || s.enabled !== undefined) && !p.found) {
    return failed(`Could not find the requested service ${s.unit}: host`, { name: s.unit, status: p.status });
  }
  if (s.state !== undefined && p.status.ActiveState === undefined) return failed('Service is in unknown state', { status: p.status });
  const { actions, result } = planSystemd(s, p);
  if (actions.length === 0) return result;
  const done = await ctx.change(`${actions.join(', ')} ${s.unit}`, applyScript(s, actions));
  if (!done.applied) return result;
  const res = done.value;
  if (res.rc !== 0) {
    const what = /@@failed (\S+)/.exec(res.stderr)?.[1] ?? 'manage';
    return failed(`Unable to ${what} service ${s.unit}: ${res.stderr.replace(/@@failed \S+\n?/, '').trim()}`, { ...result, changed: false });
  }
  return result;
}

/** ansible.builtin.systemd_service (alias systemd). */
export const systemd_service: ModuleDef = {
  name: 'systemd_service',
  aliases: ['systemd'],
  schema: systemdSchema,
  supportsCheck: true,
  async run(ctx) {
    const s = readSystemdArgs(ctx.args);
    if (s.unit === undefined && s.state !== undefined) throw new ModuleArgsError('missing parameter(s) required by \'state\': name', { where: ctx.loc });
    if (s.unit === undefined && s.enabled !== undefined) throw new ModuleArgsError('missing parameter(s) required by \'enabled\': name', { where: ctx.loc });
    if (s.unit === undefined && !s.daemonReload && !s.daemonReexec) throw new ModuleArgsError('one of the following is required: state, enabled, masked, daemon_reload, daemon_reexec', { where: ctx.loc });
    return runSystemd(ctx, s);
  },
};

