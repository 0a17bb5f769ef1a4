import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dateTimeFacts } from '../../../engine/facts/date-time.js';
import { parseFacts } from '../../../engine/facts/gather.js';
import { splitSections } from '../../../engine/facts/script.js';
import { applyFilter, resolveSubset } from '../../../engine/facts/subset.js';

const here = dirname(fileURLToPath(import.meta.url));
// Script output captured on a Debian 12 VM, and `ansible localhost -m setup` from the same moment.
const output = readFileSync(join(here, 'fixtures/debian12-vm.out'), 'utf8');
const ansible = JSON.parse(readFileSync(join(here, 'fixtures/debian12-vm.ansible.json'), 'utf8')) as Record<string, unknown>;
const all = new Set(['min', 'network', 'hardware', 'virtual'] as const);
const facts = parseFacts(output, all);

/** ansible lists interfaces in readdir order (arbitrary); tsplay in glob (sorted) order. */
function sortLists(v: unknown): unknown {
  if (Array.isArray(v)) return v.every((x) => typeof x === 'string') ? [...v].sort() : v.map(sortLists);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, sortLists(x)]));
  return v;
}

describe('facts parsed from the script match ansible-core 2.14 setup', () => {
  const volatile = new Set(['memory_mb', 'mounts']);
  const keys = Object.keys(ansible).filter((k) => !volatile.has(k));

  it.each(keys)('%s', (key) => {
    expect(sortLists(facts[key])).toEqual(sortLists(ansible[key]));
  });

  it('mounts: same mount points, devices, types, options and sizes', () => {
    const pick = (m: Record<string, unknown>) => ({ mount: m.mount, device: m.device, fstype: m.fstype, options: m.options, size_total: m.size_total, block_size: m.block_size });
    const mine = (facts.mounts as Record<string, unknown>[]).map(pick);
    for (const m of ansible.mounts as Record<string, unknown>[]) expect(mine).toContainEqual(pick(m));
    expect(Object.keys((facts.mounts as object[])[0]).sort()).toEqual(Object.keys((ansible.mounts as object[])[0]).sort());
  });

  it('memory_mb has ansible shape and the same totals', () => {
    const mem = facts.memory_mb as { real: Record<string, number>; swap: Record<string, number>; nocache: Record<string, number> };
    const theirs = ansible.memory_mb as typeof mem;
    expect(mem.real.total).toBe(theirs.real.total);
    expect(Object.keys(mem.nocache).sort()).toEqual(Object.keys(theirs.nocache).sort());
    expect(mem.swap).toEqual(theirs.swap);
  });

  it('env keeps multi-line values', () => {
    expect((facts.env as Record<string, string>).MULTILINE).toBe('first\nsecond');
  });

  it('interface names with dashes become fact names with underscores, the list keeps them', () => {
    expect(facts.interfaces).toContain('labdev-br');
    expect(facts).toHaveProperty('labdev_br');
    expect(facts).not.toHaveProperty('labdev-br');
  });
});

describe('date_time (expected values from ansible-core under each TZ)', () => {
  const cases = [
    {
      tz: 'UTC',
      date: '1795510161 466271000 +0000 UTC\n+0000 UTC\n+0000 UTC',
      dateF: '1795510161 466271000 +0000 UTC\n1704067200 000000000 +0000 UTC\n1719792000 000000000 +0000 UTC',
      want: { date: '2026-11-24', day: '24', epoch: '1795510161', epoch_int: '1795510161', hour: '08', iso8601: '2026-11-24T08:49:21Z', iso8601_basic: '20261124T084921466271', iso8601_basic_short: '20261124T084921', iso8601_micro: '2026-11-24T08:49:21.466271Z', minute: '49', month: '11', second: '21', time: '08:49:21', tz: 'UTC', tz_dst: 'UTC', tz_offset: '+0000', weekday: 'Tuesday', weekday_number: '2', weeknumber: '47', year: '2026' },
    },
    {
      tz: 'America/New_York',
      date: '1795510892 005664000 -0500 EST\n-0500 EST\n-0400 EDT',
      dateF: '1795510892 005664000 -0500 EST\n1704067200 000000000 -0500 EST\n1719792000 000000000 -0400 EDT',
      want: { date: '2026-11-24', day: '24', epoch: '1795510892', epoch_int: '1795510892', hour: '04', iso8601: '2026-11-24T09:01:32Z', iso8601_basic: '20261124T040132005664', iso8601_basic_short: '20261124T040132', iso8601_micro: '2026-11-24T09:01:32.005664Z', minute: '01', month: '11', second: '32', time: '04:01:32', tz: 'EST', tz_dst: 'EDT', tz_offset: '-0500', weekday: 'Tuesday', weekday_number: '2', weeknumber: '47', year: '2026' },
    },
    {
      tz: 'Australia/Sydney',
      date: '1795510894 492560000 +1100 AEDT\n+1100 AEDT\n+1000 AEST',
      dateF: '1795510894 492560000 +1100 AEDT\n1704067200 000000000 +1100 AEDT\n1719792000 000000000 +1000 AEST',
      want: { date: '2026-11-24', day: '24', epoch: '1795510894', epoch_int: '1795510894', hour: '20', iso8601: '2026-11-24T09:01:34Z', iso8601_basic: '20261124T200134492560', iso8601_basic_short: '20261124T200134', iso8601_micro: '2026-11-24T09:01:34.492560Z', minute: '01', month: '11', second: '34', time: '20:01:34', tz: 'AEDT', tz_dst: 'AEDT', tz_offset: '+1100', weekday: 'Tuesday', weekday_number: '2', weeknumber: '47', year: '2026' },
    },
  ];
  it.each(cases)('$tz', ({ date, want }) => {
    expect(dateTimeFacts(new Map([['date', date]]))).toEqual({ date_time: want });
  });
  // GNU date -f - (the script's one date run) at the same instants: printf '@1795510892.005664000\n
  // @1704067200\n@1719792000\n' | TZ=America/New_York date -f - +'%s %N %z %Z' on Debian 12
  it.each(cases)('$tz from one `date -f -` run', ({ dateF, want }) => {
    expect(dateTimeFacts(new Map([['date', dateF]]))).toEqual({ date_time: want });
  });
});

describe('gather_subset (areas as ansible-core collects them)', () => {
  const cases: [string[], string[]][] = [
    [['all'], ['hardware', 'min', 'network', 'virtual']],
    [['min'], ['min']],
    [['!all'], ['min']],
    [['network'], ['min', 'network']],
    [['!all', 'network'], ['min', 'network']],
    [['all', '!hardware'], ['min', 'network', 'virtual']],
    [['!hardware'], ['min', 'network', 'virtual']],
    [['!all', '!min'], []],
    [['distribution,!all'], ['min']],
  ];
  it.each(cases)('%j → %j', (subset, areas) => {
    expect([...resolveSubset(subset)].sort()).toEqual(areas);
  });

  it('refuses an unknown subset like ansible', () => {
    expect(() => resolveSubset(['bogus'])).toThrow(/Bad subset 'bogus' given to Ansible/);
  });

  it('min leaves out network, hardware and virtual facts', () => {
    const min = parseFacts(output, resolveSubset(['min']));
    expect(min).toHaveProperty('distribution', 'Debian');
    expect(min).not.toHaveProperty('default_ipv4');
    expect(min).not.toHaveProperty('memtotal_mb');
    expect(min).not.toHaveProperty('virtualization_type');
  });
});

describe('filter', () => {
  it('ansible_*_mb keeps what ansible-core keeps', () => {
    expect(Object.keys(applyFilter(facts, ['ansible_*_mb'])).sort()).toEqual(['memfree_mb', 'memory_mb', 'memtotal_mb', 'swapfree_mb', 'swaptotal_mb']);
  });
  it('several globs, prefixed or not', () => {
    expect(Object.keys(applyFilter(facts, ['ansible_distribution_major*', 'hostname'])).sort()).toEqual(['distribution_major_version', 'hostname']);
  });
});

describe('section splitting', () => {
  it('ignores noise before the first marker and keeps empty sections', () => {
    const s = splitSections('motd noise\n@@tsplay-facts@@ a\n1\n2\n\n@@tsplay-facts@@ b\n\n@@tsplay-facts@@ c\nx');
    expect([...s.entries()]).toEqual([['a', '1\n2'], ['b', ''], ['c', 'x']]);
  });
});
