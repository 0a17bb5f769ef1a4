/**
 * The keyword table: which keywords each level of a playbook accepts and what type each takes.
 * Ordered policy as data: the parsers and the ajv schemas are both derived from it.
 * Source: ansible-core 2.14's playbook keyword list.
 */
export type Level = 'play' | 'block' | 'task' | 'role' | 'handler';

const str = { type: 'string' };
const scalar = { type: ['string', 'boolean', 'number', 'null'] };
const boolish = { type: ['boolean', 'string', 'null'] };
const intish = { type: ['integer', 'string', 'null'] };
const condList = { type: ['string', 'boolean', 'array', 'number', 'null'] };
const tagsType = { type: ['string', 'array', 'number', 'null'] };
const mapping = { type: ['object', 'null'] };
const anyType = {};

interface KeywordSpec {
  readonly schema: Readonly<Record<string, unknown>>;
  readonly levels: readonly Level[];
}

const ALL: readonly Level[] = ['play', 'block', 'task', 'role', 'handler'];
const TASKISH: readonly Level[] = ['task', 'handler'];

export const KEYWORDS: Readonly<Record<string, KeywordSpec>> = {
  name: { schema: { type: ['string', 'null', 'number'] }, levels: ALL },
  when: { schema: condList, levels: ['block', 'task', 'role', 'handler'] },
  tags: { schema: tagsType, levels: ALL },
  // like ansible's _load_vars: a mapping or a list of mappings (merged in order)
  vars: { schema: { type: ['object', 'array', 'null'] }, levels: ALL },
  become: { schema: boolish, levels: ALL },
  become_user: { schema: scalar, levels: ALL },
  become_method: { schema: scalar, levels: ALL },
  become_flags: { schema: scalar, levels: ALL },
  become_exe: { schema: scalar, levels: ALL },
  environment: { schema: { type: ['object', 'array', 'string', 'null'] }, levels: ALL },
  check_mode: { schema: boolish, levels: ALL },
  diff: { schema: boolish, levels: ALL },
  ignore_errors: { schema: boolish, levels: ALL },
  ignore_unreachable: { schema: boolish, levels: ALL },
  no_log: { schema: boolish, levels: ALL },
  run_once: { schema: boolish, levels: ALL },
  any_errors_fatal: { schema: boolish, levels: ALL },
  connection: { schema: scalar, levels: ALL },
  remote_user: { schema: scalar, levels: ALL },
  port: { schema: intish, levels: ALL },
  throttle: { schema: intish, levels: ALL },
  timeout: { schema: intish, levels: ALL },
  module_defaults: { schema: anyType, levels: ALL },
  collections: { schema: anyType, levels: ALL },
  debugger: { schema: scalar, levels: ALL },
  delegate_to: { schema: scalar, levels: ['block', 'task', 'role', 'handler'] },
  delegate_facts: { schema: boolish, levels: ['block', 'task', 'role', 'handler'] },
  // task only
  action: { schema: anyType, levels: TASKISH },
  local_action: { schema: anyType, levels: TASKISH },
  args: { schema: { type: ['object', 'string', 'null'] }, levels: TASKISH },
  register: { schema: { type: ['string', 'number'] }, levels: TASKISH },
  loop: { schema: { type: ['string', 'array', 'object'] }, levels: TASKISH },
  loop_control: { schema: mapping, levels: TASKISH },
  changed_when: { schema: condList, levels: TASKISH },
  failed_when: { schema: condList, levels: TASKISH },
  until: { schema: condList, levels: TASKISH },
  retries: { schema: intish, levels: TASKISH },
  delay: { schema: { type: ['integer', 'number', 'string', 'null'] }, levels: TASKISH },
  notify: { schema: { type: ['string', 'array', 'null'] }, levels: ['task', 'handler', 'block'] },
  async: { schema: intish, levels: TASKISH },
  poll: { schema: intish, levels: TASKISH },
  listen: { schema: { type: ['string', 'array', 'null'] }, levels: ['handler'] },
  // block only
  block: { schema: { type: ['array', 'null'] }, levels: ['block'] },
  rescue: { schema: { type: ['array', 'null'] }, levels: ['block'] },
  always: { schema: { type: ['array', 'null'] }, levels: ['block'] },
  // play only
  hosts: { schema: { type: ['string', 'array'] }, levels: ['play'] },
  gather_facts: { schema: boolish, levels: ['play'] },
  gather_subset: { schema: { type: ['string', 'array', 'null'] }, levels: ['play'] },
  gather_timeout: { schema: intish, levels: ['play'] },
  fact_path: { schema: scalar, levels: ['play'] },
  serial: { schema: { type: ['integer', 'string', 'array', 'null'] }, levels: ['play'] },
  strategy: { schema: scalar, levels: ['play'] },
  order: { schema: scalar, levels: ['play'] },
  max_fail_percentage: { schema: { type: ['integer', 'number', 'string', 'null'] }, levels: ['play'] },
  force_handlers: { schema: boolish, levels: ['play'] },
  vars_files: { schema: { type: ['array', 'string', 'null'] }, levels: ['play'] },
  vars_prompt: { schema: { type: ['array', 'null'] }, levels: ['play'] },
  pre_tasks: { schema: { type: ['array', 'null'] }, levels: ['play'] },
  tasks: { schema: { type: ['array', 'null'] }, levels: ['play'] },
  post_tasks: { schema: { type: ['array', 'null'] }, levels: ['play'] },
  roles: { schema: { type: ['array', 'null'] }, levels: ['play'] },
  handlers: { schema: { type: ['array', 'null'] }, levels: ['play'] },
};

export function isKeyword(name: string, level: Level): boolean {
  const spec = KEYWORDS[name];
  return spec !== undefined && spec.levels.includes(level);
}

export function keywordNames(level: Level): string[] {
  return Object.entries(KEYWORDS)
    .filter(([, s]) => s.levels.includes(level))
    .map(([n]) => n);
}

/** A JSON schema for the keywords of one level (unknown keys are checked separately). */
export function keywordSchema(level: Level): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const name of keywordNames(level)) properties[name] = KEYWORDS[name]!.schema;
  return { type: 'object', properties };
}

/** Keywords a child inherits from its parents when it does not set them. */
export const INHERITED_SCALARS = [
  'become', 'become_user', 'become_method', 'become_flags', 'become_exe', 'check_mode', 'diff',
  'ignore_errors', 'ignore_unreachable', 'no_log', 'run_once', 'delegate_to', 'delegate_facts',
  'any_errors_fatal', 'connection', 'remote_user', 'port', 'throttle', 'timeout', 'module_defaults',
] as const;
