import type { ModuleDef } from '../types/module.js';

/**
 * ansible-core 2.14's builtin modules that tsplay does not implement. They parse (ansible knows
 * the names, so a play that only runs them under a false `when:` must load) and fail their task
 * with a clear message when they actually run.
 */
const NAMES = [
  'apt_key', 'apt_repository', 'assemble', 'async_status', 'cron', 'debconf', 'expect', 'getent', 'git',
  'iptables', 'known_hosts', 'package_facts', 'pip', 'reboot', 'rpm_key', 'service_facts', 'set_stats',
  'subversion', 'sysvinit', 'validate_argument_spec', 'wait_for_connection', 'yum', 'yum_repository',
];

function notImplemented(name: string): ModuleDef {
  return {
    name,
    schema: { type: 'object' },
    freeForm: true,
    supportsCheck: true,
    async run() {
      return { changed: false, failed: true, msg: `tsplay does not implement the module ansible.builtin.${name}; see the README feature table for the modules it runs` };
    },
  };
}

export const notImplementedModules: readonly ModuleDef[] = NAMES.map(notImplemented);
