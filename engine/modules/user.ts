import { joinArgv, sh, verbatim } from '../transport/shell.js';
import { runScript } from './remote-file/exec.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types/module.js';
import { bool, BOOL, list, STR, STR_LIST, STR_OR_NUM, str } from './remote-file/args.js';
import { memberOf, parseGroup, parsePasswd, type PasswdEntry } from './system/accounts.js';
import { errText, failed } from './system/result.js';
import { parseSections, section, sectionText } from './system/sections.js';

export const userSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: STR, uid: STR_OR_NUM, group: STR_OR_NUM, groups: { anyOf: [STR_LIST, { type: 'null' }] }, append: BOOL, shell: STR, home: STR,
    create_home: BOOL, createhome: BOOL, move_home: BOOL, system: BOOL, state: { enum: ['present', 'absent'] }, password: STR,
    update_password: { enum: ['always', 'on_create'] }, remove: BOOL, force: BOOL, comment: STR, skeleton: STR, non_unique: BOOL,
    password_lock: BOOL, local: BOOL,
    generate_ssh_key: BOOL, ssh_key_bits: { type: ['integer', 'string'] }, ssh_key_type: STR, ssh_key_file: STR,
    ssh_key_comment: STR, ssh_key_passphrase: STR,
  },
} as const;

interface Probed {
  readonly user?: PasswdEntry;
  readonly hash: string;
  readonly groups: string[];
  /** gid of the `group` argument (undefined when the group does not exist). */
  readonly primaryGid?: number;
  readonly missingGroups: string[];
  readonly keyExists: boolean;
  readonly key: Record<string, unknown>;
}

/** Shell printing the key file, public key and fingerprint (sections keyfile/keypub/keyfp). */
function keyInfo(ctx: ModuleContext, name: string): string {
  const a = ctx.args;
  const file = str(a.ssh_key_file) ?? `.ssh/id_${str(a.ssh_key_type) ?? 'rsa'}`;
  return [
    sh`h=$(getent passwd -- ${name} | cut -d: -f6); f=${file}; case "$f" in /*) ;; *) f="$h/$f";; esac`,
    `if [ -n "$h" ] && [ -e "$f" ]; then`,
    section('keyfile', 'echo "$f"'), section('keypub', 'cat -- "$f.pub" 2>/dev/null'), section('keyfp', 'ssh-keygen -lf "$f.pub" 2>/dev/null'),
    'fi',
  ].join('\n');
}

/** ansible's ssh_key_file / ssh_public_key / ssh_fingerprint result fields. */
function keyFields(sec: ReadonlyMap<string, string>): Record<string, unknown> {
  const file = sectionText(sec, 'keyfile');
  if (file === '') return {};
  return { ssh_key_file: file, ssh_public_key: sectionText(sec, 'keypub').trim(), ssh_fingerprint: sectionText(sec, 'keyfp').trim() };
}

/** ONE round trip: passwd, shadow hash, memberships, the wanted groups, the ssh key. */
async function probe(ctx: ModuleContext, name: string, want: string[]): Promise<Probed> {
  const a = ctx.args;
  const g = str(a.group);
  const parts = [
    section('passwd', sh`getent passwd -- ${name} || true`),
    section('hash', a.password === undefined ? 'true' : sh`getent shadow -- ${name} | cut -d: -f2 || true`),
    section('member', 'getent group || true'),
    section('primary', g === undefined ? 'true' : sh`getent group -- ${g} || true`),
    section('missing', want.map((x) => sh`getent group -- ${x} >/dev/null || echo ${x}`).join('\n') || 'true'),
  ];
  if (bool(a.generate_ssh_key, false)) {
    parts.push(keyInfo(ctx, name));
  }
  const sec = parseSections((await runScript(ctx, parts.join('\n'))).stdout);
  const user = parsePasswd(sectionText(sec, 'passwd'));
  const pg = parseGroup(sectionText(sec, 'primary'));
  return {
    user, hash: sectionText(sec, 'hash').trim(), groups: user ? memberOf(sectionText(sec, 'member'), name) : [],
    primaryGid: g === undefined ? undefined : (pg?.gid ?? (/^\d+$/.test(g) ? Number(g) : undefined)),
    missingGroups: sectionText(sec, 'missing').split('\n').filter((x) => x !== ''), keyExists: sectionText(sec, 'keyfile') !== '',
    key: keyFields(sec),
  };
}

function createArgv(ctx: ModuleContext, name: string, want: string[]): string[] {
  const a = ctx.args;
  const argv = ['useradd'];
  const opt = (flag: string, v: string | undefined): void => { if (v !== undefined) argv.push(flag, v); };
  opt('-u', str(a.uid));
  if (bool(a.non_unique, false)) argv.push('-o');
  opt('-g', str(a.group));
  if (want.length > 0) argv.push('-G', want.join(','));
  opt('-c', str(a.comment));
  opt('-d', str(a.home));
  opt('-s', str(a.shell));
  if (bool(a.system, false)) argv.push('-r');
  if (bool(a.create_home ?? a.createhome, true)) { argv.push('-m'); opt('-k', str(a.skeleton)); } else argv.push('-M');
  return [...argv, name];
}

/** usermod flags for what differs; [] when the account already matches. */
function modifyArgv(ctx: ModuleContext, u: PasswdEntry, p: Probed, want: string[] | undefined): string[] {
  const a = ctx.args;
  const argv: string[] = [];
  if (str(a.uid) !== undefined && Number(a.uid) !== u.uid) argv.push('-u', str(a.uid)!, ...(bool(a.non_unique, false) ? ['-o'] : []));
  if (str(a.group) !== undefined && p.primaryGid !== u.gid) argv.push('-g', str(a.group)!);
  if (want !== undefined) {
    const append = bool(a.append, false);
    const cur = new Set(p.groups);
    const needs = append ? want.some((g) => !cur.has(g)) : want.length !== cur.size || want.some((g) => !cur.has(g));
    if (needs) argv.push(...(append ? ['-a'] : []), '-G', want.join(','));
  }
  if (str(a.comment) !== undefined && a.comment !== u.comment) argv.push('-c', str(a.comment)!);
  if (str(a.home) !== undefined && a.home !== u.home) argv.push('-d', str(a.home)!, ...(bool(a.move_home, false) ? ['-m'] : []));
  if (str(a.shell) !== undefined && a.shell !== u.shell) argv.push('-s', str(a.shell)!);
  if (a.password_lock !== undefined) {
    const locked = p.hash.startsWith('!');
    if (bool(a.password_lock, false) && !locked) argv.push('-L');
    if (!bool(a.password_lock, false) && locked) argv.push('-U');
  }
  return argv.length === 0 ? [] : ['usermod', ...argv, u.name];
}

function sshKeyCmd(ctx: ModuleContext, name: string): string {
  const a = ctx.args;
  const type = str(a.ssh_key_type) ?? 'rsa';
  const bits = str(a.ssh_key_bits) ?? (type === 'rsa' ? '4096' : undefined);
  const base = joinArgv(['ssh-keygen', '-q', '-t', type, ...(bits !== undefined && type !== 'ed25519' ? ['-b', bits] : [])]);
  // like ansible: the default comment names the host
  const comment = str(a.ssh_key_comment) ?? verbatim('"ansible-generated on $(hostname)"');
  return [
    sh`h=$(getent passwd -- ${name} | cut -d: -f6); f=${str(a.ssh_key_file) ?? `.ssh/id_${type}`}; case "$f" in /*) ;; *) f="$h/$f";; esac`,
    sh`mkdir -p -- "$(dirname -- "$f")" && chmod 0700 -- "$(dirname -- "$f")" && chown ${name}: -- "$(dirname -- "$f")"`,
    sh`${verbatim(base)} -C ${comment} -N ${str(a.ssh_key_passphrase) ?? ''} -f "$f" </dev/null && chown ${name}: -- "$f" "$f.pub"`,
  ].join(' &&\n');
}

/** What to run; the password hash travels on stdin to `chpasswd -e`, never in a command line. */
function planUser(ctx: ModuleContext, name: string, p: Probed, want: string[] | undefined): { script: string; stdin?: string } {
  const a = ctx.args;
  const cmds: string[] = [];
  const password = str(a.password);
  let setPassword = false;
  if (p.user === undefined) {
    cmds.push(joinArgv(createArgv(ctx, name, want ?? [])));
    setPassword = password !== undefined;
  } else {
    const mod = modifyArgv(ctx, p.user, p, want);
    if (mod.length > 0) cmds.push(joinArgv(mod));
    setPassword = password !== undefined && (str(a.update_password) ?? 'always') === 'always' && p.hash !== password;
  }
  if (setPassword) cmds.push('chpasswd -e');
  if (bool(a.generate_ssh_key, false) && !p.keyExists) cmds.push(sshKeyCmd(ctx, name));
  return { script: cmds.join(' &&\n'), stdin: setPassword ? `${name}:${password}\n` : undefined };
}

/** ansible's shapes: a created account reports create_home/system, an existing one append/move_home. */
function resultOf(ctx: ModuleContext, name: string, u: PasswdEntry | undefined, changed: boolean, want: string[] | undefined, created: boolean): ModuleResult {
  const a = ctx.args;
  const out: ModuleResult = { changed, name, state: 'present' };
  if (u !== undefined) Object.assign(out, { uid: u.uid, group: u.gid, comment: u.comment, home: u.home, shell: u.shell });
  Object.assign(out, created ? { create_home: bool(a.create_home ?? a.createhome, true), system: bool(a.system, false) } : { append: bool(a.append, false), move_home: bool(a.move_home, false) });
  if (want !== undefined) out.groups = want.join(',');
  if (a.password !== undefined) out.password = 'NOT_LOGGING_PASSWORD';
  return out;
}

async function removeUser(ctx: ModuleContext, name: string, exists: boolean): Promise<ModuleResult> {
  const out: ModuleResult = { changed: exists, name, state: 'absent' };
  if (!exists) return out;
  const argv = ['userdel', ...(bool(ctx.args.remove, false) ? ['-r'] : []), ...(bool(ctx.args.force, false) ? ['-f'] : []), name];
  const done = await ctx.change(`remove user ${name}`, joinArgv(argv));
  if (!done.applied) return out;
  const r = done.value;
  if (r.rc !== 0) return failed(errText(r), { name, rc: r.rc });
  return { ...out, force: bool(ctx.args.force, false), remove: bool(ctx.args.remove, false), stderr: r.stderr, stderr_lines: r.stderr.split('\n').filter((l) => l !== '') };
}

/** ansible.builtin.user (Linux shadow-utils). */
export const user: ModuleDef = {
  name: 'user',
  schema: userSchema,
  supportsCheck: true,
  async run(ctx) {
    const a = ctx.args;
    const name = str(a.name)!;
    const want = a.groups === undefined || a.groups === null ? undefined : list(a.groups);
    const p = await probe(ctx, name, want ?? []);
    if ((str(a.state) ?? 'present') === 'absent') return removeUser(ctx, name, p.user !== undefined);
    // like ansible's user module: a user to create in check mode is changed, before its groups
    // are checked (they may come from a group task that only pretended to run)
    if (p.user === undefined && !ctx.mayChange(`create the user ${name}`)) return { changed: true };
    if (str(a.group) !== undefined && p.primaryGid === undefined) return failed(`Group ${String(a.group)} does not exist`, { name });
    if (p.missingGroups.length > 0) return failed(`Group ${p.missingGroups[0]} does not exist`, { name });
    if (a.password !== undefined && /^[^$!*]/.test(String(a.password)) && String(a.password).length < 13) {
      ctx.log(1, 'The input password appears not to have been hashed; ansible would warn');
    }
    const pl = planUser(ctx, name, p, want);
    const planned = { ...resultOf(ctx, name, p.user, pl.script !== '', want, p.user === undefined), ...p.key };
    if (pl.script === '') return planned;
    const keyText = bool(a.generate_ssh_key, false) ? `\n${keyInfo(ctx, name)}` : '';
    const done = await ctx.change(`${p.user === undefined ? 'create' : 'update'} user ${name}`, `${pl.script}\n${section('after', sh`getent passwd -- ${name}`)}${keyText}`, pl.stdin);
    if (!done.applied) return planned;
    const r = done.value;
    if (r.rc !== 0) return failed(errText(r), { name, rc: r.rc });
    const sec = parseSections(r.stdout);
    const after = parsePasswd(sectionText(sec, 'after'));
    return { ...resultOf(ctx, name, after, true, want, p.user === undefined), ...keyFields(sec) };
  },
};

