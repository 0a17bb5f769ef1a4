import { join } from 'node:path';
import { findWithExtension, loadVarsEntry } from '../../source/vars-file.js';
import type { RoleRef, TaskNode } from '../types.js';

/** A role's argument_specs: meta/argument_specs.yml wins over the key in meta/main.yml, never merged (like ansible). */
function roleArgSpecs(rolePath: string): Record<string, unknown> {
  const base = join(rolePath, 'meta', 'argument_specs');
  const file = findWithExtension(base);
  const doc = file !== undefined ? loadVarsEntry(base) : loadVarsEntry(join(rolePath, 'meta', 'main'));
  const specs = doc?.argument_specs;
  return specs && typeof specs === 'object' && !Array.isArray(specs) ? (specs as Record<string, unknown>) : {};
}

/**
 * Like ansible's Role._prepend_validation_task: a role with an argument spec for its entry point
 * (tasks_from, else main) starts with a validate_argument_spec task tagged always.
 */
export function argSpecTask(role: RoleRef, entrypoint: string): TaskNode | undefined {
  const spec = roleArgSpecs(role.path)[entrypoint];
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) return undefined;
  const s = spec as Record<string, unknown>;
  const name = `Validating arguments against arg spec '${entrypoint}'${s.short_description !== undefined ? ` - ${String(s.short_description)}` : ''}`;
  const file = findWithExtension(join(role.path, 'meta', 'argument_specs')) ?? findWithExtension(join(role.path, 'meta', 'main')) ?? role.path;
  return {
    kind: 'task',
    loc: { file, line: 1, col: 1 },
    name,
    action: 'validate_argument_spec',
    actionWritten: 'ansible.builtin.validate_argument_spec',
    args: {
      argument_spec: s.options ?? {},
      provided_arguments: role.params,
      validate_args_context: { type: 'role', name: role.name, argument_spec_name: entrypoint, path: role.path },
    },
    kw: { tags: ['always'] },
    role,
    isHandler: false,
  };
}
