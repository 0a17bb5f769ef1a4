/**
 * Variable precedence, lowest first. This table IS the documentation of the order: the
 * resolver looks names up from the last layer to the first and records which layer won.
 * It follows ansible-core 2.14's VariableManager.get_vars:
 *
 *   connection_defaults  what ansible's PlayContext.update_vars adds to a task's vars when
 *                     nothing set it: ansible_host / ansible_ssh_host (the inventory name)
 *   role_defaults     defaults/main of the play's roles, then of the running task's role chain
 *   inventory_*       inventory-file group vars < group_vars/all (inventory, then playbook dir)
 *                     < group_vars/<group> (inventory, then playbook) < inventory-file host vars
 *                     < host_vars/<host> (inventory, then playbook)   [from engine/inventory]
 *   facts             gathered facts and cacheable set_fact (ansible_facts + ansible_* names)
 *   play_vars         play `vars:`
 *   vars_prompt       answers to vars_prompt
 *   vars_files        play `vars_files:`
 *   role_vars         vars/main + role-entry `vars:` of every role in the play (play-wide, a quirk
 *                     ansible-quirks.md pins), then the running task's role chain
 *   block_vars        `vars:` of enclosing blocks, outermost first (imports are blocks)
 *   task_vars         the task's own `vars:`
 *   include_vars      results of include_vars
 *   set_fact          set_fact and register (set_fact beats task vars and include_vars)
 *   role_params       params of the running task's role chain (`- role: x` with `a: 1`)
 *   include_params    params of include_tasks / include_role
 *   extra_vars        -e; always wins over user layers
 *   magic             inventory_hostname, groups, hostvars, play_hosts, ... (ansible sets them last)
 *   loop              the loop variable, index_var and ansible_loop of the current item
 */
export const LAYER_ORDER = [
  'connection_defaults',
  'role_defaults',
  'inventory',
  'facts',
  'play_vars',
  'vars_prompt',
  'vars_files',
  'role_vars',
  'block_vars',
  'task_vars',
  'include_vars',
  'set_fact',
  'role_params',
  'include_params',
  'extra_vars',
  'magic',
  'loop',
] as const;

export type LayerName = (typeof LAYER_ORDER)[number];

export interface VarLayerEntry {
  readonly layer: LayerName;
  /** Where the values came from, for --explain: "group_vars/all.yml", "role etcd defaults" ... */
  readonly source: string;
  readonly vars: Readonly<Record<string, unknown>>;
  /** Data that is already final (facts, registered results, magic): never templated again. */
  readonly final?: boolean;
}

export function layerRank(name: LayerName): number {
  return LAYER_ORDER.indexOf(name);
}
