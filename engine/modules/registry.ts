import type { ModuleDef } from '../types/module.js';
import { setupModule } from './setup.js';
import { debugModule } from './debug.js';
import { setFactModule } from './set_fact.js';
import { assertModule } from './assert.js';
import { failModule } from './fail.js';
import { includeVarsModule } from './include_vars.js';
import { pauseModule } from './pause.js';
import { asyncStatusModule } from './async_status.js';
import { addHostModule } from './add_host.js';
import { groupByModule } from './group_by.js';
import { command } from './command.js';
import { shell } from './shell.js';
import { raw } from './raw.js';
import { script } from './script.js';
import { copy } from './copy.js';
import { template } from './template.js';
import { file } from './file.js';
import { lineinfile } from './lineinfile.js';
import { blockinfile } from './blockinfile.js';
import { replace } from './replace.js';
import { stat } from './stat.js';
import { slurp } from './slurp.js';
import { fetch } from './fetch.js';
import { find } from './find.js';
import { kube_pki } from './kube_pki.js';
import { cluster_validate } from './cluster_validate.js';
import { kube_upgrade_check } from './kube_upgrade_check.js';
import { kube_drain_check } from './kube_drain_check.js';
import { kube_config_check } from './kube_config_check.js';
import { get_url } from './get_url.js';
import { unarchive } from './unarchive.js';
import { packageModule } from './package.js';
import { apt } from './apt.js';
import { dnf } from './dnf.js';
import { dpkg_selections } from './dpkg_selections.js';
import { systemd_service } from './systemd_service.js';
import { service } from './service.js';
import { sysctl } from './sysctl.js';
import { modprobe } from './modprobe.js';
import { mount } from './mount.js';
import { user } from './user.js';
import { group } from './group.js';
import { hostname } from './hostname.js';
import { wait_for } from './wait_for.js';
import { uri } from './uri.js';
import { ping } from './ping.js';
import { validate_argument_spec } from './validate_argument_spec.js';
import { tempfile } from './tempfile.js';

/**
 * Every module tsplay knows, by its short name; ansible.builtin.X and ansible.legacy.X resolve
 * to the same entry (see lookupModule). Add one import and one list entry per module file.
 */
const MODULES: readonly ModuleDef[] = [
  setupModule,
  debugModule,
  setFactModule,
  assertModule,
  failModule,
  includeVarsModule,
  pauseModule,
  addHostModule,
  groupByModule,
  command,
  shell,
  raw,
  script,
  copy,
  template,
  file,
  lineinfile,
  blockinfile,
  replace,
  stat,
  slurp,
  fetch,
  find,
  kube_pki,
  cluster_validate,
  kube_upgrade_check,
  kube_drain_check,
  kube_config_check,
  get_url,
  unarchive,
  packageModule,
  apt,
  dnf,
  dpkg_selections,
  systemd_service,
  service,
  sysctl,
  modprobe,
  mount,
  user,
  group,
  hostname,
  wait_for,
  uri,
  ping,
  asyncStatusModule,
  validate_argument_spec,
  tempfile,
];

export function buildModuleTable(mods: readonly ModuleDef[] = MODULES): ReadonlyMap<string, ModuleDef> {
  const table = new Map<string, ModuleDef>();
  for (const m of mods) {
    for (const name of [m.name, ...(m.aliases ?? [])]) {
      table.set(name, m);
      table.set(`ansible.builtin.${name}`, m);
      table.set(`ansible.legacy.${name}`, m);
    }
  }
  return table;
}

export const moduleTable: ReadonlyMap<string, ModuleDef> = buildModuleTable();

export function lookupModule(name: string): ModuleDef | undefined {
  return moduleTable.get(name);
}
