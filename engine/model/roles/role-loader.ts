import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { ParseError, TsplayError } from '../../errors/index.js';
import { findWithExtension, loadVarsEntry } from '../../source/vars-file.js';
import type { SourceLoc } from '../../types/source.js';
import { isKeyword } from '../keywords.js';
import { asList, asTags, loadVars } from '../normalize.js';
import type { ParseEnv, ParseScope } from '../parse-env.js';
import type { TaskParser } from '../task-parser.js';
import { argSpecTask } from './arg-spec.js';
import type { BlockNode, Keywords, Node, RawVars, RoleRef } from '../types.js';

export interface RoleRequest {
  readonly name: string;
  readonly params: RawVars;
  readonly entryVars: RawVars;
  readonly kw: Keywords;
  readonly tasksFrom?: string;
  readonly varsFrom?: string;
  readonly defaultsFrom?: string;
  readonly handlersFrom?: string;
  readonly public: boolean;
  readonly loc: SourceLoc;
  /** import_role / include_role: like ansible (from_include), never skipped as already run. */
  readonly fromInclude?: boolean;
  /**
   * import_role / include_role's `allow_duplicates` (templated; default true): like ansible's
   * IncludeRole, it replaces the role's meta allow_duplicates.
   */
  readonly allowDuplicates?: boolean;
  /** `rolespec_validate: false`: no argument-spec validation task (ansible's validate=False). */
  readonly validate?: boolean;
}

export function resolveRolePath(env: ParseEnv, name: string, where: SourceLoc, fromRole?: RoleRef): string {
  const candidates = isAbsolute(name)
    ? [name]
    : [
        join(env.playbookDir, 'roles', name),
        ...(fromRole ? [join(fromRole.path, 'roles', name), join(fromRole.path, '..', name)] : []),
        ...env.rolesPath.map((p) => join(p, name)),
        join(env.playbookDir, name),
      ];
  const hit = candidates.find((c) => existsSync(c) && statSync(c).isDirectory());
  if (hit === undefined) {
    // like ansible: an AnsibleError, not a parser error: exit 1, and a failure of an include_role's host
    throw new TsplayError('role', `the role '${name}' was not found`, {
      where,
      hint: `searched: ${candidates.join(', ')}; set roles_path in ansible.cfg or ANSIBLE_ROLES_PATH`,
    });
  }
  return hit;
}

/** Splits a role entry ({role: x, when: ..., a: 1}) into keywords, entry vars and params. */
export function roleRequestFromEntry(entry: unknown, loc: SourceLoc): RoleRequest {
  // like ansible's RoleDefinition: "name,version" is the pre-2.0 requirement syntax
  if (typeof entry === 'string' && entry.includes(',')) throw new ParseError(`Invalid old style role requirement: ${entry}`, { where: loc, hint: 'write one role name per entry' });
  if (typeof entry === 'string') return { name: entry, params: {}, entryVars: {}, kw: {}, public: true, loc };
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
    throw new ParseError('a role entry must be a name or a mapping with "role:"', { where: loc });
  }
  const d = entry as Record<string, unknown>;
  const name = d.role ?? d.name;
  if (typeof name !== 'string') throw new ParseError('a role entry needs "role: NAME"', { where: loc, hint: 'e.g. "- role: etcd"' });
  const kw: Record<string, unknown> = {};
  const params: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(d)) {
    if (k === 'role' || k === 'name') continue;
    if (k === 'when') kw.when = asList(v);
    else if (k === 'tags') kw.tags = asTags(v);
    else if (k === 'environment') kw.environment = asList(v);
    else if (k === 'vars') continue;
    else if (isKeyword(k, 'role')) kw[k] = v;
    else params[k] = v;
  }
  return { name, params, entryVars: loadVars(d.vars, 'RoleInclude', loc), kw: kw as Keywords, public: true, loc };
}

interface RoleMeta {
  readonly dependencies: readonly unknown[];
  readonly allowDuplicates: boolean;
}

function loadMeta(path: string, env: ParseEnv): RoleMeta {
  const meta = loadVarsEntry(join(path, 'meta', 'main'), env.vault) ?? {};
  return { dependencies: asList(meta.dependencies), allowDuplicates: meta.allow_duplicates === true };
}

/** like ansible: a role that depends (through meta dependencies) on one of its own parents is an error. */
function checkNoCycle(path: string, req: RoleRequest, parent: RoleRef | undefined): void {
  const chain: string[] = [];
  for (let r = parent; r !== undefined; r = r.parent) {
    chain.unshift(r.name);
    if (r.path !== path) continue;
    throw new ParseError('A recursion loop was detected with the roles specified. Make sure child roles do not have dependencies on parent roles', {
      where: req.loc,
      hint: `dependency chain: ${[...chain, req.name].join(' -> ')} (see meta/main.yml of ${parent!.name})`,
    });
  }
}

/**
 * like ansible: a role's handlers have the role as parent, so the role entry's keywords
 * (delegate_to, become, environment ...) apply to them too; when and tags stay with the tasks.
 */
function withRoleKeywords(nodes: Node[], kw: Keywords): Node[] {
  const { when: _w, tags: _t, ...inherited } = kw;
  if (Object.keys(inherited).length === 0) return nodes;
  return nodes.map((n) => (n.kind === 'task' ? { ...n, kw: { ...inherited, ...n.kw } } : { ...n, block: withRoleKeywords([...n.block], kw) }));
}

export interface RoleLoader {
  /** Expands a role into a block (dependencies first, then its tasks) and records its handlers. */
  load(req: RoleRequest, scope: Omit<ParseScope, 'file' | 'dir'>, parent?: RoleRef): Node[];
  /** A role for include_role at run time: no once-per-play bookkeeping of the play collector. */
  loadDynamic(req: RoleRequest, scope: Omit<ParseScope, 'file' | 'dir'>): { nodes: Node[]; handlers: Node[]; role: RoleRef };
}

export function createRoleLoader(env: ParseEnv, tasks: () => TaskParser): RoleLoader {
  const load = (given: RoleRequest, scope: Omit<ParseScope, 'file' | 'dir'>, parent?: RoleRef): Node[] => {
    // like ansible: a role name may be templated with play vars and extra vars (`roles: ["{{ r }}"]` -e r=etcd)
    const req = { ...given, name: env.templateStatic(given.name, given.loc, scope.staticVars) };
    const path = resolveRolePath(env, req.name, req.loc, parent);
    checkNoCycle(path, req, parent);
    const meta = loadMeta(path, env);
    // like ansible's ROLE_CACHE key: params, when, tags, vars and from-files make a distinct instance
    const identity = { when: req.kw.when, tags: req.kw.tags, vars: req.entryVars, from: [req.tasksFrom, req.varsFrom, req.defaultsFrom, req.handlersFrom] };
    const allowDuplicates = req.fromInclude === true ? req.allowDuplicates ?? true : meta.allowDuplicates;
    // ansible's ROLE_CACHE entry (its has_run is shared by every import/include of the same role
    // and params); each import is still its own instance for the play's collections
    const key = `${path}|${JSON.stringify(req.params)}|${JSON.stringify(identity)}${req.fromInclude ? '|from_include' : ''}`;
    const instance = req.fromInclude ? `${key}|at ${req.loc.file}:${req.loc.line}:${req.loc.col}` : key;
    // like ansible: a role met again is expanded again (--list-tasks shows it); the walker skips
    // it per host at run time once it ran there (Role.has_run). Only a cycle stops expansion.
    for (let p = parent; p !== undefined; p = p.parent) if (p.instance === instance) return [];
    const firstTime = !scope.collect.seenRoles.has(instance);
    scope.collect.seenRoles.add(instance);
    const varsMain = loadVarsEntry(join(path, 'vars', req.varsFrom ?? 'main'), env.vault) ?? {};
    const role: RoleRef = {
      name: req.name,
      path,
      key,
      instance,
      defaults: loadVarsEntry(join(path, 'defaults', req.defaultsFrom ?? 'main'), env.vault) ?? {},
      vars: { ...varsMain, ...req.entryVars },
      params: req.params,
      public: req.public,
      parent,
      allowDuplicates,
      dependencies: [],
    };
    if (firstTime) scope.collect.roles.push(role);
    const inner = { ...scope, role };
    const deps = meta.dependencies.flatMap((dep) => load(roleRequestFromEntry(dep, req.loc), inner, role));
    // parse time only: the role's direct dependencies, for ansible's Role.get_default_vars
    (role.dependencies as RoleRef[]).push(...deps.flatMap((n) => (n.kind === 'block' && n.roleBoundary !== undefined ? [n.roleBoundary] : [])));
    const spec = req.validate === false ? undefined : argSpecTask(role, req.tasksFrom ?? 'main');
    const tasksOwn = [...(spec === undefined ? [] : [spec]), ...loadTaskList(role, 'tasks', req.tasksFrom ?? 'main', inner, req.loc, false)];
    // like ansible's ROLE_CACHE: one role instance, one set of handlers
    if (firstTime) scope.collect.handlers.push(...withRoleKeywords(loadTaskList(role, 'handlers', req.handlersFrom ?? 'main', inner, req.loc, true), req.kw));
    const block: BlockNode = {
      kind: 'block', loc: req.loc, name: undefined, kw: req.kw, role, block: [...deps, ...tasksOwn], rescue: [], always: [], implicit: true, roleBoundary: role,
    };
    return [block];
  };

  const loadTaskList = (role: RoleRef, folder: string, base: string, scope: Omit<ParseScope, 'file' | 'dir'>, where: SourceLoc, isHandler: boolean): Node[] => {
    const dir = join(role.path, folder);
    const file = findWithExtension(resolve(dir, base));
    // like ansible: tasks_from & co. cannot reach outside the role's folder
    if (file !== undefined && !resolve(file).startsWith(`${resolve(dir)}/`)) {
      throw new ParseError(`Failed loading '${file}' for role (${role.name}) as it is not inside the expected role path: '${dir}'`, { where, hint: `${folder}_from names a file inside the role's ${folder}/ folder` });
    }
    if (file === undefined) {
      if (base !== 'main') throw new ParseError(`the role '${role.name}' has no ${folder}/${base}`, { where });
      return [];
    }
    return tasks().parseFile(file, { ...scope, role, isHandler }, where);
  };

  const loadDynamic = (req: RoleRequest, scope: Omit<ParseScope, 'file' | 'dir'>) => {
    const collect = { ...scope.collect, handlers: [] as Node[], roles: [] as RoleRef[], seenRoles: new Set<string>() };
    // include_role is always from_include: like ansible's IncludeRole, allow_duplicates defaults to true
    const nodes = load({ ...req, fromInclude: true }, { ...scope, collect });
    return { nodes, handlers: collect.handlers, role: collect.roles[0]! };
  };

  return { load, loadDynamic };
}
