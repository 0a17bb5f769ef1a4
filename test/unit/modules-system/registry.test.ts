import { describe, expect, it } from 'vitest';
import { lookupModule } from '../../../engine/modules/registry.js';

describe('system modules are registered under short, builtin and collection-less names', () => {
  it.each([
    ['get_url'], ['unarchive'], ['package'], ['apt'], ['dnf'], ['dpkg_selections'], ['systemd_service'], ['systemd'], ['service'],
    ['sysctl'], ['modprobe'], ['mount'], ['user'], ['group'], ['hostname'], ['wait_for'], ['uri'],
  ])('%s', (name) => {
    const mod = lookupModule(name);
    expect(mod).toBeDefined();
    expect(lookupModule(`ansible.builtin.${name}`)).toBe(mod);
  });

  it('systemd is an alias of systemd_service', () => expect(lookupModule('systemd')).toBe(lookupModule('systemd_service')));
});
