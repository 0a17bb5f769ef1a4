import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sysctl } from '../../../engine/modules/sysctl.js';
import { decideSysctl, parseSysctlValue, rewriteSysctl } from '../../../engine/modules/system/sysctl-conf.js';
import { harness, tempDir, tripsOf, validArgs } from '../modules/context.js';

// Runs on the real machine: only file changes (sysctl_set=no, reload=no); a global key is
// never set live (vm.*, kernel.* are machine-wide).
describe('sysctl on a temp sysctl_file, file only', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  it('adds, keeps (one probe), changes, then removes the entry; check mode writes nothing', async () => {
    const file = `${dir}/99-test.conf`;
    await writeFile(file, '# comment\n  a.b = 1 \n');
    const h = harness();
    const args = { name: 'vm.swappiness', value: '10', sysctl_file: file, sysctl_set: false, reload: false };
    expect(await h.run(sysctl, args, { check: true })).toEqual({ changed: true });
    expect(await readFile(file, 'utf8')).toBe('# comment\n  a.b = 1 \n');
    expect(await h.run(sysctl, args)).toEqual({ changed: true });
    // like ansible: every line is stripped and rewritten as k=v
    expect(await readFile(file, 'utf8')).toBe('# comment\na.b=1\nvm.swappiness=10\n');
    const again = await tripsOf(h, sysctl, args);
    expect([again.result.changed, again.trips]).toEqual([false, 1]);
    expect(await h.run(sysctl, { ...args, value: 'yes' })).toEqual({ changed: true });
    expect(await readFile(file, 'utf8')).toBe('# comment\na.b=1\nvm.swappiness=1\n');
    expect(await h.run(sysctl, { name: 'vm.swappiness', state: 'absent', sysctl_file: file, reload: false })).toEqual({ changed: true });
    expect(await readFile(file, 'utf8')).toBe('# comment\na.b=1\n');
    expect((await h.run(sysctl, { name: 'vm.swappiness', state: 'absent', sysctl_file: file, reload: false })).changed).toBe(false);
  });

  it('a missing file is created', async () => {
    await harness().run(sysctl, { name: 'net.ipv4.ip_forward', value: 1, sysctl_file: `${dir}/new.conf`, reload: false });
    expect(await readFile(`${dir}/new.conf`, 'utf8')).toBe('net.ipv4.ip_forward=1\n');
  });

  it('rejects a missing value for present and unknown arguments', async () => {
    await expect(harness().run(sysctl, { name: 'x.y', sysctl_file: `${dir}/f`, reload: false })).rejects.toThrow('value cannot be None');
    expect(validArgs(sysctl, { name: 'x', value: '1', bogus: 1 })).toBe(false);
    expect(validArgs(sysctl, { value: '1' })).toBe(false);
  });
});

describe('sysctl decisions (ansible.posix.sysctl process())', () => {
  const base = { value: '1', present: true, reload: true, sysctlSet: false };
  it.each([
    ['new entry', { ...base, fileValue: undefined, procValue: '1' }, { changed: true, writeFile: true, setProc: false }],
    ['file ok, live differs, reload on', { ...base, fileValue: '1', procValue: '0' }, { changed: true, writeFile: false, setProc: false }],
    ['file ok, live differs, reload off', { ...base, reload: false, fileValue: '1', procValue: '0' }, { changed: false, writeFile: false, setProc: false }],
    ['sysctl_set with live differing', { ...base, sysctlSet: true, fileValue: '1', procValue: '0' }, { changed: true, writeFile: false, setProc: true }],
    ['multi-value keys compare by words', { ...base, value: '4096 87380', fileValue: '4096 87380', procValue: '4096\t87380' }, { changed: false, writeFile: false, setProc: false }],
    ['absent and not in file', { ...base, present: false, fileValue: undefined }, { changed: false, writeFile: false, setProc: false }],
  ])('%s', (_n, input, want) => expect(decideSysctl(input)).toEqual(want));

  it.each([[true, '1'], ['no', '0'], [' 5 ', '5'], [3, '3']])('value %j parses to %s', (v, want) => expect(parseSysctlValue(v)).toBe(want));

  it('rewrites duplicates once, first position', () => {
    expect(rewriteSysctl('a=1\nb=2\na=3\n', 'a', '9', true)).toBe('a=9\nb=2\n');
  });
});
