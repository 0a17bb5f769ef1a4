import { dirname, join } from 'node:path';
import { ParseError, TsplayError } from '../errors/index.js';
import type { SourceLoc } from '../types/source.js';
import { parseKv, splitArgs } from './kv-args.js';
import { isKeyword, keywordNames, type Level } from './keywords.js';
import { asList, asStringList, asTags, closest, isIdentifier, loadVars } from './normalize.js';
import { FREE_FORM_KEYS, type ParseEnv, type ParseScope } from './parse-env.js';
import type { BlockNode, Keywords, Node, RawVars, TaskNode } from './types.js';
import { checkKeywordTypes } from './keyword-check.js';
import { findTaskFile } from './task-file-path.js';

/** Import and include statements: handled by the parser or the runner, not by a module. */
const STATIC_IMPORTS = new Set(['import_tasks', 'import_role']);
const DYNAMIC_INCLUDES = new Set(['include_tasks', 'include_role', 'include']);
/** ansible's TaskInclude.VALID_INCLUDE_KEYWORDS (loop_with: any with_*). */
const VALID_INCLUDE_KEYWORDS: ReadonlySet<string> = new Set(['action', 'args', 'collections', 'debugger', 'ignore_errors', 'loop', 'loop_control', 'name', 'no_log', 'register', 'run_once', 'tags', 'timeout', 'vars', 'when']);
const SPECIAL_ACTIONS = new Set([...STATIC_IMPORTS, ...DYNAMIC_INCLUDES, 'meta', 'import_playbook']);

export interface RoleImporter {
  (args: RawVars, kw: Keywords, loc: SourceLoc, scope: ParseScope): Node[];
}

export interface TaskParser {
  parseList(list: unknown, scope: ParseScope, what: string, where: SourceLoc): Node[];
  parseFile(file: string, scope: Omit<ParseScope, 'file' | 'dir'>, where: SourceLoc): Node[];
}

function stripPrefix(name: string): string {
  return name.replace(/^ansible\.(builtin|legacy)\./, '');
}

/**
 * The legacy `include: file.yml a=1 b=2`: like ansible's TaskInclude, the k=v words other than
 * the file are variables of the included tasks.
 */
function legacyInclude(args: RawVars, kw: Keywords): { args: RawVars; kw: Keywords } {
  const { file, _raw_params: raw, apply, ...params } = args;
  const text = String(file ?? raw ?? '');
  const words = parseKv(text);
  const path = String(words._raw_params ?? text);
  const { _raw_params: _p, ...inline } = words;
  // the run time templates them in the including context (a={{ a }} is not a self-reference)
  return { args: { ...inline, ...params, _raw_params: path, ...(apply === undefined ? {} : { apply }) }, kw };
}

/** Tasks without their own notify get `notify` (recursively through blocks). */
function withNotify(nodes: readonly Node[], notify: readonly string[]): Node[] {
  return nodes.map((n): Node => (n.kind === 'task'
    ? (n.notify === undefined ? { ...n, notify } : n)
    : { ...n, block: withNotify(n.block, notify), rescue: withNotify(n.rescue, notify), always: withNotify(n.always, notify) }));
}

export function createTaskParser(env: ParseEnv, importRole: RoleImporter): TaskParser {
  const locOf = (scope: ParseScope, obj: object, key?: string): SourceLoc => {
    const o = scope.file.origin(obj);
    if (!o) return { file: scope.file.file, line: 1, col: 1 };
    return (key !== undefined ? o.keys.get(key) : undefined) ?? o.loc;
  };

  const keywordsOf = (d: Record<string, unknown>, owner: string, where: SourceLoc): Keywords => {
    const kw: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(d)) {
      if (k === 'when') kw.when = asList(v);
      else if (k === 'tags') kw.tags = asTags(v);
      else if (k === 'environment') kw.environment = asList(v);
      else if (k === 'vars') kw.vars = loadVars(v, owner, where);
      else if (k !== 'name' && isKeyword(k, 'block') && !['block', 'rescue', 'always', 'notify'].includes(k)) kw[k] = v;
    }
    return kw as Keywords;
  };

  const parseList = (list: unknown, scope: ParseScope, what: string, where: SourceLoc): Node[] => {
    if (list === null || list === undefined) return [];
    if (!Array.isArray(list)) {
      throw new ParseError(`${what} must be a list of tasks, got ${typeof list}`, { where, hint: 'start each task with "- "' });
    }
    const out: Node[] = [];
    for (const item of list) {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) {
        throw new ParseError(`a task must be a mapping, got ${JSON.stringify(item)}`, {
          where: Array.isArray(list) ? locOf(scope, list) : where,
          hint: 'each task is a mapping such as "- name: x\\n  debug: msg=hi"',
        });
      }
      out.push(...parseEntry(item as Record<string, unknown>, scope));
    }
    return out;
  };

  const parseEntry = (d: Record<string, unknown>, scope: ParseScope): Node[] => {
    const loc = locOf(scope, d);
    if ('block' in d || 'rescue' in d || 'always' in d) return [parseBlock(d, scope, loc)];
    return parseTask(d, scope, loc);
  };

  const checkKeys = (d: Record<string, unknown>, scope: ParseScope, level: Level, allowExtra: boolean): void => {
    checkKeywordTypes(d, level, (key) => locOf(scope, d, key));
    if (allowExtra) return;
    for (const k of Object.keys(d)) {
      if (!isKeyword(k, level)) {
        const near = closest(k, keywordNames(level));
        throw new ParseError(`'${k}' is not a valid attribute for a ${level === 'block' ? 'Block' : level}`, {
          where: locOf(scope, d, k),
          hint: near ? `did you mean '${near}'?` : `valid keywords: ${keywordNames(level).join(', ')}`,
        });
      }
    }
  };

  /**
   * like ansible's TaskInclude.preprocess_data: a dynamic include takes only a few keywords (its
   * own keywords are not inherited by the included tasks; `apply` is the way to pass them on).
   */
  const checkIncludeKeywords = (d: Record<string, unknown>, actionKey: string, action: string, scope: ParseScope): void => {
    const valid = (k: string): boolean => k === actionKey || k.startsWith('with_') || VALID_INCLUDE_KEYWORDS.has(k) || (scope.isHandler && k === 'listen');
    const bad = Object.keys(d).find((k) => !valid(k));
    if (bad === undefined) return;
    const cls = action === 'include_role' ? 'IncludeRole' : scope.isHandler ? 'HandlerTaskInclude' : 'TaskInclude';
    throw new ParseError(`'${bad}' is not a valid attribute for a ${cls}`, {
      where: locOf(scope, d, bad),
      hint: `an ${action} takes ${[...VALID_INCLUDE_KEYWORDS].join(', ')}; put other keywords under its 'apply:' or on an enclosing block`,
    });
  };

  const parseBlock = (d: Record<string, unknown>, scope: ParseScope, loc: SourceLoc): BlockNode => {
    // like ansible's load_list_of_blocks(use_handlers=True)
    if (scope.isHandler) throw new ParseError('Using a block as a handler is not supported.', { where: loc, hint: 'list the handler tasks one by one; a handler may include_tasks a file of plain tasks' });
    checkKeys(d, scope, 'block', false);
    // like ansible: a block's notify is inherited by its tasks that have none of their own
    const inherit = (nodes: Node[]): Node[] => ('notify' in d && d.notify !== null ? withNotify(nodes, asStringList(d.notify)) : nodes);
    return {
      kind: 'block',
      loc,
      name: d.name === undefined || d.name === null ? undefined : String(d.name),
      kw: keywordsOf(d, 'Block', loc),
      role: scope.role,
      block: inherit(parseList(d.block, scope, 'block', loc)),
      rescue: inherit(parseList(d.rescue, scope, 'rescue', loc)),
      always: inherit(parseList(d.always, scope, 'always', loc)),
      implicit: false,
    };
  };

  const findAction = (d: Record<string, unknown>, scope: ParseScope, loc: SourceLoc): { action: string; value: unknown; key: string } => {
    const candidates = Object.keys(d).filter((k) => !isKeyword(k, scope.isHandler ? 'handler' : 'task') && !k.startsWith('with_'));
    if ('action' in d || 'local_action' in d) {
      const key = 'action' in d ? 'action' : 'local_action';
      const v = d[key];
      if (candidates.length > 0) {
        throw new ParseError(`conflicting action statements: ${key}, ${candidates.join(', ')}`, { where: locOf(scope, d, candidates[0]), hint: 'a task runs exactly one module' });
      }
      if (typeof v === 'string') {
        // like ansible's _split_module_string: split_args keeps "{{ mod }}" together
        const [mod, ...rest] = splitArgs(v.trim());
        // like ansible's _split_module_string: split_args keeps runs of spaces on a word, strip them
        return { action: (mod ?? '').trim(), value: rest.join(' '), key };
      }
      if (v && typeof v === 'object' && 'module' in (v as object)) {
        const { module, ...args } = v as Record<string, unknown>;
        return { action: String(module), value: args, key };
      }
      throw new ParseError(`'${key}' needs a module name`, { where: locOf(scope, d, key) });
    }
    if (candidates.length === 0) {
      throw new ParseError('no module/action detected in task', { where: loc, hint: 'add a module such as "debug:" or "command:" to the task' });
    }
    if (candidates.length > 1) {
      const unknown = candidates.find((c) => !SPECIAL_ACTIONS.has(stripPrefix(c)) && env.moduleShape(c, libraryDirs(scope)) === undefined);
      if (unknown !== undefined) throw unknownAction(unknown, locOf(scope, d, unknown), scope);
      throw new ParseError(`conflicting action statements: ${candidates.join(', ')}`, { where: locOf(scope, d, candidates[1]), hint: 'a task runs exactly one module; split it into two tasks' });
    }
    const key = candidates[0]!;
    return { action: key, value: d[key], key };
  };

  /**
   * Like ansible: modules also come from the library/ of the roles being loaded (innermost first),
   * of every role loaded before (ansible adds those folders for the rest of the run) and of the playbook.
   */
  const libraryDirs = (scope: ParseScope): string[] => {
    const dirs: string[] = [];
    for (let r = scope.role; r !== undefined; r = r.parent) dirs.push(join(r.path, 'library'));
    for (const r of scope.collect.roles) dirs.push(join(r.path, 'library'));
    dirs.push(join(env.playbookDir, 'library'));
    return [...new Set(dirs)];
  };

  const unknownAction = (name: string, where: SourceLoc, scope: ParseScope): ParseError => {
    const near = closest(name, [...keywordNames(scope.isHandler ? 'handler' : 'task'), ...env.moduleNames()], 3);
    return new ParseError(`couldn't resolve module/action '${name}'. This often indicates a misspelling, missing collection, or incorrect module path.`, {
      where,
      hint: near ? `did you mean '${near}'?` : "no native module and no Python module of that name in the playbook's or roles' library/, ansible.cfg 'library', the installed collections or ansible-core",
    });
  };

  const argsOf = (action: string, value: unknown, d: Record<string, unknown>, loc: SourceLoc, scope: ParseScope): RawVars => {
    let args: Record<string, unknown>;
    if (value === null || value === undefined) args = {};
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      // import_tasks/include_tasks/meta take free-form text whatever a module search would say: asking
      // would probe the controller's python for its sys.path (a process) on every such task file
      const shape = SPECIAL_ACTIONS.has(action) ? undefined : env.moduleShape(action);
      const freeKeys = FREE_FORM_KEYS[action];
      args = parseKv(String(value), shape?.freeForm || SPECIAL_ACTIONS.has(action) ? freeKeys ?? new Set() : undefined, loc);
      if (!(shape?.freeForm || SPECIAL_ACTIONS.has(action)) && '_raw_params' in args) {
        // like ansible's ModArgsParser: templated extra text is kept as _variable_params for run time
        const { _raw_params: rawText, ...rest } = args;
        if (String(rawText).includes('{{') || action.includes('{{')) args = { ...rest, _variable_params: rawText };
        else throw new ParseError(`this module does not take free-form text: '${String(args._raw_params)}'`, {
          where: loc,
          hint: `write arguments as key=value pairs or as a mapping under '${action}:'`,
        });
      }
    } else if (typeof value === 'object' && !Array.isArray(value)) args = { ...(value as Record<string, unknown>) };
    else throw new ParseError(`arguments of '${action}' must be a mapping or a k=v string`, { where: loc });
    const extra = d.args;
    if (typeof extra === 'string') args = { ...parseKv(extra, undefined, loc), ...args };
    else if (extra && typeof extra === 'object') args = { ...(extra as Record<string, unknown>), ...args };
    void scope;
    return args;
  };

  const parseTask = (d: Record<string, unknown>, scope: ParseScope, loc: SourceLoc): Node[] => {
    const level: Level = scope.isHandler ? 'handler' : 'task';
    checkKeys(d, scope, level, true);
    const found = findAction(d, scope, loc);
    const action = stripPrefix(found.action);
    // like ansible: an action name that is a template ("{{ mod }}") resolves per host at run time
    const templatedAction = action.includes('{{');
    if (!templatedAction && !SPECIAL_ACTIONS.has(action) && env.moduleShape(found.action, libraryDirs(scope)) === undefined) {
      throw unknownAction(found.action, locOf(scope, d, found.key), scope);
    }
    if (action === 'import_playbook') {
      throw new ParseError('import_playbook is only allowed at the top level of a playbook', { where: loc });
    }
    if (action === 'include_tasks' || action === 'include_role') checkIncludeKeywords(d, found.key, action, scope);
    let args = argsOf(action, found.value, d, loc, scope);
    let kw = keywordsOf(d, scope.isHandler ? 'Handler' : 'Task', loc);
    if (action === 'include') ({ args, kw } = legacyInclude(args, kw));
    // like ansible's IncludeRole.load: the *_from arguments are checked when the task loads
    if (action === 'include_role' || action === 'import_role') {
      for (const k of ['tasks_from', 'vars_from', 'defaults_from', 'handlers_from']) {
        const v = args[k];
        if (v !== undefined && typeof v !== 'string') {
          const type = Array.isArray(v) ? 'ansible.parsing.yaml.objects.AnsibleSequence' : v !== null && typeof v === 'object' ? 'ansible.parsing.yaml.objects.AnsibleMapping' : typeof v === 'number' ? 'int' : typeof v === 'boolean' ? 'bool' : 'NoneType';
          throw new ParseError(`Expected a string for ${k} but got <class '${type}'> instead`, { where: loc, hint: `${k} names one file of the role` });
        }
      }
    }
    // like ansible's load_list_of_tasks: a role cannot be a handler
    if (scope.isHandler && (action === 'include_role' || action === 'import_role')) {
      throw new ParseError(`Using '${found.key === 'action' || found.key === 'local_action' ? action : found.key}' as a handler is not supported.`, { where: loc, hint: 'notify a handler that uses include_tasks, or put the role in the play' });
    }
    // like ansible (handler includes are static by default): `include` of a fixed file under
    // handlers imports its tasks as handlers
    if (action === 'include' && scope.isHandler && !String(args._raw_params).includes('{{') && !('loop' in d) && !Object.keys(d).some((k) => k.startsWith('with_'))) {
      const { _raw_params: file, apply: _apply, ...params } = args;
      return [importTasks({ _raw_params: file }, Object.keys(params).length === 0 ? kw : { ...kw, vars: { ...params, ...(kw.vars ?? {}) } }, d, loc, scope)];
    }
    // like ansible's Task._validate_register
    if (d.register !== undefined && d.register !== null && !isIdentifier(String(d.register))) {
      throw new ParseError(`Invalid variable name in 'register' specified: '${String(d.register)}'`, { where: locOf(scope, d, 'register'), hint: 'a register name is a variable name: letters, digits and _' });
    }
    const kwWithLocal = found.key === 'local_action' ? { ...kw, delegate_to: 'localhost' } : kw;
    // like ansible's TaskInclude/IncludeRole validation: `apply` is for the dynamic includes only
    if ((action === 'import_tasks' || action === 'import_role') && 'apply' in args) {
      throw new ParseError(`Invalid options for ${action}: apply`, { where: loc, hint: `use include_${action.slice(7)} for 'apply', or put the keywords on the ${action} task` });
    }
    if (action === 'import_tasks') return [importTasks(args, kwWithLocal, d, loc, scope)];
    if (action === 'import_role') return importRole(args, kwWithLocal, loc, scope);
    const withKey = Object.keys(d).find((k) => k.startsWith('with_'));
    // like ansible: a plain error (exit 1), raised after parsing, not an AnsibleParserError (exit 4)
    if (withKey && 'loop' in d) {
      throw new TsplayError('task', `duplicate loop in task: ${withKey.slice(5)}`, { where: locOf(scope, d, withKey), hint: `use either 'loop' or '${withKey}'` });
    }
    const task: TaskNode = {
      kind: 'task',
      loc,
      name: d.name === undefined || d.name === null ? undefined : String(d.name),
      action: action === 'include' ? 'include_tasks' : action,
      ...(found.action !== action ? { actionWritten: found.action } : {}),
      args,
      kw: kwWithLocal,
      role: scope.role,
      register: d.register === undefined ? undefined : String(d.register),
      loop: withKey ? d[withKey] : d.loop,
      loopLookup: withKey ? withKey.slice(5) : undefined,
      loopControl: (d.loop_control ?? undefined) as RawVars | undefined,
      changedWhen: 'changed_when' in d ? asList(d.changed_when) : undefined,
      failedWhen: 'failed_when' in d ? asList(d.failed_when) : undefined,
      until: 'until' in d ? asList(d.until) : undefined,
      retries: d.retries,
      delay: d.delay,
      ...(d.async === undefined ? {} : { async: d.async, poll: d.poll }),
      notify: 'notify' in d ? asStringList(d.notify) : undefined,
      listen: 'listen' in d ? asStringList(d.listen) : undefined,
      isHandler: scope.isHandler,
      dynamic: DYNAMIC_INCLUDES.has(action) ? (action === 'include_role' ? 'include_role' : 'include_tasks') : undefined,
    };
    return [task];
  };

  const resolveTaskFile = (name: string, scope: ParseScope, where: SourceLoc): string => {
    const { hit, candidates } = findTaskFile(name, { roleDir: scope.role?.path, subdir: scope.isHandler ? 'handlers' : 'tasks', fileDir: scope.dir, playbookDir: env.playbookDir });
    if (hit === undefined) {
      throw new ParseError(`could not find or access '${name}'`, { where, hint: `searched: ${candidates.join(', ')}` });
    }
    return hit;
  };

  const importTasks = (args: RawVars, kw: Keywords, d: Record<string, unknown>, loc: SourceLoc, scope: ParseScope): BlockNode => {
    // split_args keeps a folded scalar's trailing newline; a file name never ends with one
    const raw = String(args.file ?? args._raw_params ?? '').replace(/\n+$/, '');
    const staticVars = { ...scope.staticVars, ...(kw.vars ?? {}) };
    const name = env.templateStatic(raw, loc, staticVars);
    const file = resolveTaskFile(name, scope, loc);
    const parsed = parseFile(file, { ...scope, staticVars }, loc);
    // like ansible: notify on import_tasks is inherited by the imported tasks
    const nodes = 'notify' in d ? withNotify(parsed, asStringList(d.notify)) : parsed;
    return { kind: 'block', loc, name: d.name === undefined ? undefined : String(d.name), kw, role: scope.role, block: nodes, rescue: [], always: [], implicit: true };
  };

  const parseFile = (file: string, scope: Omit<ParseScope, 'file' | 'dir'>, where: SourceLoc): Node[] => {
    const loaded = env.loadYaml(file);
    const full: ParseScope = { ...scope, file: loaded, dir: dirname(file) };
    if (loaded.value === null) return [];
    return parseList(loaded.value, full, file, where);
  };

  return { parseList, parseFile };
}
