import { dirname, isAbsolute, join, resolve } from 'node:path';
import { ParseError } from '../errors/index.js';
import type { SourceLoc } from '../types/source.js';
import { checkKeywordTypes } from './keyword-check.js';
import { isKeyword, keywordNames } from './keywords.js';
import { loadVars, asList, asTags, closest } from './normalize.js';
import type { ParseEnv, ParseScope, PlayCollector } from './parse-env.js';
import { createRoleLoader, roleRequestFromEntry, type RoleLoader } from './roles/role-loader.js';
import { createTaskParser, type TaskParser } from './task-parser.js';
import type { Keywords, Node, Play, Playbook, RawVars } from './types.js';
import type { LoadedYaml } from '../source/yaml-file.js';
import { toBool } from '../python/boolean.js';

export interface PlaybookLoader {
  loadPlaybook(file: string, extraVars: RawVars): Playbook;
  readonly tasks: TaskParser;
  readonly roles: RoleLoader;
}

/** ansible's repr of a malformed section value and its Python type name. */
function pyShape(v: unknown): string {
  const type = typeof v === 'number' ? (Number.isInteger(v) ? 'int' : 'float') : typeof v === 'boolean' ? 'bool' : typeof v === 'string' ? 'str' : 'dict';
  return `${typeof v === 'string' ? `'${v}'` : typeof v === 'object' ? JSON.stringify(v) : String(v)} should be a list or None but is <class '${type}'>`;
}

/**
 * Play-level shape checks with ansible's words (Play.load, _load_tasks, _load_roles,
 * _validate_hosts), and the deprecated `user:` read as `remote_user:`.
 */
function playShapeChecked(given: Record<string, unknown>, keyLoc: (k: string) => SourceLoc): Record<string, unknown> {
  const { user, ...d } = given;
  if (user !== undefined && 'remote_user' in given) throw new ParseError("both 'user' and 'remote_user' are set for this play.", { where: keyLoc('user'), hint: "keep 'remote_user' ('user' is its old name)" });
  if (user !== undefined) d.remote_user = user;
  for (const k of ['pre_tasks', 'tasks', 'post_tasks', 'handlers']) {
    const v = d[k];
    if (v !== undefined && v !== null && !Array.isArray(v)) throw new ParseError(`A malformed block was encountered while loading ${k}: ${pyShape(v)}`, { where: keyLoc(k), hint: `'${k}' is a list of tasks` });
  }
  if (d.roles !== undefined && d.roles !== null && !Array.isArray(d.roles)) throw new ParseError('A malformed role declaration was encountered.', { where: keyLoc('roles'), hint: "'roles' is a list of role names or mappings" });
  if (d.hosts === null) throw new ParseError('Hosts list cannot be None. Please check your playbook', { where: keyLoc('hosts') });
  if (d.hosts !== undefined && (d.hosts === '' || (Array.isArray(d.hosts) && d.hosts.length === 0))) throw new ParseError('Hosts list cannot be empty. Please check your playbook', { where: keyLoc('hosts') });
  return d;
}

/** import_role's allow_duplicates / rolespec_validate, templated with what parse time knows (like ansible's post-validate). */
function staticBoolArgs(env: ParseEnv, args: RawVars, loc: SourceLoc, vars: RawVars): { allowDuplicates?: boolean; validate?: boolean } {
  const bool = (v: unknown): boolean => toBool(typeof v === 'string' ? env.templateStatic(v, loc, vars) : v);
  return {
    ...(args.allow_duplicates === undefined ? {} : { allowDuplicates: bool(args.allow_duplicates) }),
    ...(args.rolespec_validate === undefined ? {} : { validate: bool(args.rolespec_validate) }),
  };
}

export function createPlaybookLoader(env: ParseEnv): PlaybookLoader {
  // The two parsers call each other (import_role inside tasks, tasks inside roles).
  let tasks: TaskParser;
  const roles = createRoleLoader(env, () => tasks);
  tasks = createTaskParser(env, (args, kw, loc, scope) => {
    const name = args.name ?? args.role;
    if (typeof name !== 'string') throw new ParseError('import_role needs "name: ROLE"', { where: loc });
    const { vars, ...rest } = kw;
    // like ansible's IncludeRole: *_from names are templated (here with what parse time knows)
    const fromVars = { ...scope.staticVars, ...(vars ?? {}) };
    const fromFile = (v: unknown): string | undefined => (typeof v === 'string' ? env.templateStatic(v, loc, fromVars) : (v as string | undefined));
    return roles.load(
      {
        name: env.templateStatic(name, loc, scope.staticVars),
        params: {},
        entryVars: vars ?? {},
        kw: rest,
        tasksFrom: fromFile(args.tasks_from),
        varsFrom: fromFile(args.vars_from),
        defaultsFrom: fromFile(args.defaults_from),
        handlersFrom: fromFile(args.handlers_from),
        public: true,
        loc,
        fromInclude: true,
        ...staticBoolArgs(env, args, loc, scope.staticVars),
      },
      scope,
      scope.role,
    );
  });

  const loadPlaybook = (file: string, extraVars: RawVars): Playbook => {
    const plays: Play[] = [];
    collectPlays(resolve(file), extraVars, plays, new Set());
    return { file: resolve(file), plays };
  };

  /** importVars: `vars:` of the import_playbook statements leading here, outermost winning. */
  const collectPlays = (file: string, extraVars: RawVars, out: Play[], stack: Set<string>, importVars: RawVars = {}, importTags: readonly unknown[] = [], importWhen: readonly unknown[] = []): void => {
    if (stack.has(file)) throw new ParseError(`import_playbook loop: ${[...stack, file].join(' -> ')}`, { where: { file, line: 1, col: 1 } });
    const loaded = env.loadYaml(file);
    const top = loaded.value;
    const where = { file, line: 1, col: 1 };
    if (top === null) return;
    if (!Array.isArray(top)) throw new ParseError('a playbook must be a list of plays', { where, hint: 'start each play with "- hosts: ..."' });
    if (top.length === 0) throw new ParseError('A playbook must contain at least one play', { where, hint: 'start each play with "- hosts: ..."' });
    for (const entry of top) {
      if (!entry || typeof entry !== 'object' || Array.isArray(entry)) throw new ParseError('a play must be a mapping', { where: loaded.origin(top)?.loc ?? where });
      const d = entry as Record<string, unknown>;
      const loc = loaded.origin(d)?.loc ?? where;
      const imp = d.import_playbook ?? d['ansible.builtin.import_playbook'];
      if (imp !== undefined) {
        // like ansible (PlaybookInclude): the import's vars override each imported play's vars
        const own = loadVars(d.vars, 'PlaybookInclude', loc);
        // like ansible: the file name is templated with the import's vars and the extra vars
        const target = env.templateStatic(String(imp), loc, { ...own, ...importVars, ...extraVars });
        const next = isAbsolute(target) ? target : join(dirname(file), target);
        // like ansible: tags on import_playbook are added to every imported play
        const tags = [...importTags, ...asTags(d.tags)];
        // like ansible (PlaybookInclude): `when` on the import guards every imported play's tasks and gathering
        const when = [...importWhen, ...asList(d.when)];
        collectPlays(next, extraVars, out, new Set([...stack, file]), { ...own, ...importVars }, tags, when);
        continue;
      }
      out.push(parsePlay(d, loaded, loc, extraVars, importVars, importTags, importWhen));
    }
  };

  const parsePlay = (given: Record<string, unknown>, file: LoadedYaml, loc: SourceLoc, extraVars: RawVars, importVars: RawVars, importTags: readonly unknown[], importWhen: readonly unknown[] = []): Play => {
    const keyLoc = (k: string): SourceLoc => file.origin(given)?.keys.get(k) ?? loc;
    const d = playShapeChecked(given, keyLoc);
    checkKeywordTypes(d, 'play', keyLoc);
    for (const k of Object.keys(d)) {
      if (!isKeyword(k, 'play')) {
        const near = closest(k, keywordNames('play'));
        throw new ParseError(`'${k}' is not a valid attribute for a Play`, { where: keyLoc(k), hint: near ? `did you mean '${near}'?` : 'check the play keywords' });
      }
    }
    if (d.hosts === undefined) throw new ParseError("the field 'hosts' is required but was not set", { where: loc, hint: 'add "hosts: all" or a group name' });
    const playVars = { ...loadVars(d.vars, 'Play', keyLoc('vars')), ...importVars };
    const collect: PlayCollector = { handlers: [], roles: [], seenRoles: new Set(), playVars };
    const scope: ParseScope = { file, dir: dirname(file.file), isHandler: false, collect, staticVars: { ...playVars, ...extraVars } };
    const pre = tasks.parseList(d.pre_tasks, scope, 'pre_tasks', keyLoc('pre_tasks'));
    const roleNodes = asList(d.roles).flatMap((entry) => {
      const entryLoc = (entry && typeof entry === 'object' ? file.origin(entry)?.loc : undefined) ?? keyLoc('roles');
      return roles.load(roleRequestFromEntry(entry, entryLoc), scope);
    });
    const main = tasks.parseList(d.tasks, scope, 'tasks', keyLoc('tasks'));
    const post = tasks.parseList(d.post_tasks, scope, 'post_tasks', keyLoc('post_tasks'));
    const playHandlers = tasks.parseList(d.handlers, { ...scope, isHandler: true }, 'handlers', keyLoc('handlers'));
    const kw: Record<string, unknown> = Object.keys(importVars).length > 0 ? { vars: playVars } : {};
    if (importTags.length > 0) kw.tags = [...importTags];
    if (importWhen.length > 0) kw.when = [...importWhen];
    for (const [k, v] of Object.entries(d)) {
      if (k === 'tags') kw.tags = [...importTags, ...asTags(v)];
      else if (k === 'environment') kw.environment = asList(v);
      else if (k === 'vars') kw.vars = playVars;
      else if (isKeyword(k, 'block') && k !== 'name') kw[k] = v;
    }
    const hostsText = Array.isArray(d.hosts) ? d.hosts.join(',') : String(d.hosts);
    return {
      loc,
      name: d.name === undefined || d.name === null ? hostsText : String(d.name),
      hosts: d.hosts,
      kw: kw as Keywords,
      gatherFacts: d.gather_facts,
      gatherSubset: d.gather_subset,
      serial: d.serial,
      strategy: d.strategy,
      strategyLoc: keyLoc('strategy'),
      order: d.order === undefined ? undefined : String(d.order),
      maxFailPercentage: d.max_fail_percentage,
      forceHandlers: d.force_handlers,
      varsFiles: asList(d.vars_files),
      varsPrompt: asList(d.vars_prompt) as RawVars[],
      sections: [pre, [...roleNodes, ...main], post],
      handlers: [...collect.handlers, ...playHandlers] as Node[],
      roles: collect.roles,
      playbookDir: dirname(file.file),
      playbookFile: file.file,
    };
  };

  return { loadPlaybook, tasks, roles };
}
