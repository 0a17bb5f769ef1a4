import { describe, expect, it } from 'vitest';
import { applyLimit, loadInventory, selectHosts, splitHostPattern } from '../../../engine/inventory/index.js';
import { ansibleGetHosts, fixture, HAVE_ANSIBLE } from './oracle.js';

interface Row {
  readonly name: string;
  readonly pattern: string | readonly string[];
  readonly limit?: string;
  readonly hosts?: readonly string[];
  readonly error?: string;
}

// Expectations are ansible-core 2.14.18's InventoryManager.get_hosts on patterns/hosts.ini
// (the oracle test below re-checks every row against the installed ansible).
const TABLE: readonly Row[] = [
  { name: "all: every host, group by group (own hosts, then children breadth first)", pattern: "all", hosts: ["web2", "db1", "10.0.0.5", "lb.example.com", "app1", "web1", "web3", "web4", "db2"] },
  { name: "* is the same as all", pattern: "*", hosts: ["web2", "db1", "10.0.0.5", "lb.example.com", "app1", "web1", "web3", "web4", "db2"] },
  { name: "a group name", pattern: "web", hosts: ["web1", "web2", "web3", "web4"] },
  { name: "a:b is a union in written order", pattern: "web:db", hosts: ["web1", "web2", "web3", "web4", "db1", "db2"] },
  { name: "a,b is the same union", pattern: "web,db", hosts: ["web1", "web2", "web3", "web4", "db1", "db2"] },
  { name: "union order follows the pattern", pattern: "db:web", hosts: ["db1", "db2", "web1", "web2", "web3", "web4"] },
  { name: "a group: its own hosts first, then its children's", pattern: "app", hosts: ["app1", "web1", "web2", "web3", "web4", "db1", "db2"] },
  { name: "a grandparent group", pattern: "deep", hosts: ["app1", "web1", "web2", "web3", "web4", "db1", "db2"] },
  { name: "a:&b intersection", pattern: "app:&staging", hosts: ["web2", "db1"] },
  { name: "a:!b exclusion", pattern: "app:!staging", hosts: ["app1", "web1", "web3", "web4", "db2"] },
  { name: "exclusions apply after unions whatever their position", pattern: "!staging:web", hosts: ["web1", "web3", "web4"] },
  { name: "intersections apply after unions", pattern: "&staging:web:db", hosts: ["web2", "db1"] },
  { name: "intersection before exclusion", pattern: "web:!web2:&staging", hosts: [] },
  { name: "fnmatch wildcard on groups and hosts", pattern: "web*", hosts: ["web1", "web2", "web3", "web4"] },
  { name: "? wildcard", pattern: "w?b1", hosts: ["web1"] },
  { name: "~ regex on names", pattern: "~web[13]", hosts: ["web1", "web3"] },
  { name: "~ regex matches groups too", pattern: "~^d", hosts: ["db1", "db2", "app1", "web1", "web2", "web3", "web4"] },
  { name: "subscript [0]", pattern: "web[0]", hosts: ["web1"] },
  { name: "negative subscript", pattern: "web[-1]", hosts: ["web4"] },
  { name: "[x:y] is inclusive", pattern: "web[1:3]", hosts: ["web2", "web3", "web4"] },
  { name: "[x:] runs to the end", pattern: "web[1:]", hosts: ["web2", "web3", "web4"] },
  { name: "[x:0] quirk: an end of 0 means just [x]", pattern: "web[2:0]", hosts: ["web3"] },
  { name: "deprecated [x-y] still inclusive", pattern: "web[1-2]", hosts: ["web2", "web3"] },
  { name: "out-of-range subscript is an error", pattern: "web[9]", error: "No hosts matched the subscripted pattern 'web[9]'" },
  { name: "a host name", pattern: "db1", hosts: ["db1"] },
  { name: "an IP address as host name", pattern: "10.0.0.5", hosts: ["10.0.0.5"] },
  { name: "wildcard on IPs", pattern: "10.0.0.*", hosts: ["10.0.0.5"] },
  { name: "wildcard on FQDNs", pattern: "*.example.com", hosts: ["lb.example.com"] },
  { name: "an unknown name matches nothing", pattern: "nonexistent", hosts: [] },
  { name: "an unknown part is ignored", pattern: "web:nonexistent", hosts: ["web1", "web2", "web3", "web4"] },
  { name: "ungrouped with no ungrouped hosts", pattern: "ungrouped", hosts: [] },
  { name: "all minus a group", pattern: "all:!web", hosts: ["db1", "10.0.0.5", "lb.example.com", "app1", "db2"] },
  { name: "duplicates are removed", pattern: "web1:web1:web2", hosts: ["web1", "web2"] },
  { name: "a list of patterns", pattern: ["web", "db"], hosts: ["web1", "web2", "web3", "web4", "db1", "db2"] },
  { name: "a host then a group", pattern: "db2:web", hosts: ["db2", "web1", "web2", "web3", "web4"] },
  { name: "overlapping groups keep first position", pattern: "staging:web", hosts: ["web2", "db1", "web1", "web3", "web4"] },
  { name: "a wildcard can match all", pattern: "a*", hosts: ["web2", "db1", "10.0.0.5", "lb.example.com", "app1", "web1", "web3", "web4", "db2"] },
  { name: "only an exclusion: implies all", pattern: "!web", hosts: ["db1", "10.0.0.5", "lb.example.com", "app1", "db2"] },
  { name: "subscripts in a comma list", pattern: "web[0:1],db[0]", hosts: ["web1", "web2", "db1"] },
  { name: "limit 'web' on 'all'", pattern: "all", limit: "web", hosts: ["web2", "web1", "web3", "web4"] },
  { name: "limit '@limit.txt' on 'all'", pattern: "all", limit: "@limit.txt", hosts: ["db1", "web1", "db2"] },
  { name: "limit 'staging:db' on 'web'", pattern: "web", limit: "staging:db", hosts: ["web2"] },
  { name: "limit '!web' on 'app'", pattern: "app", limit: "!web", hosts: ["app1", "db1", "db2"] },
  { name: "limit 'web[0],db2' on 'all'", pattern: "all", limit: "web[0],db2", hosts: ["web1", "db2"] },
];

const DIR = fixture('patterns');
const inv = loadInventory(['hosts.ini'], { cwd: DIR });

function tsplay(row: Row): readonly string[] {
  const hosts = selectHosts(inv, row.pattern);
  return row.limit === undefined ? hosts : applyLimit(inv, hosts, row.limit, DIR);
}

describe('host patterns and --limit', () => {
  for (const row of TABLE) {
    it(row.name, () => {
      if (row.error !== undefined) expect(() => tsplay(row)).toThrow(row.error);
      else expect(tsplay(row)).toEqual(row.hosts);
    });
  }

  it('splits on commas always, on colons unless the pattern is one address', () => {
    expect(splitHostPattern('a, b[1], c[2:3] , d')).toEqual(['a', 'b[1]', 'c[2:3]', 'd']);
    expect(splitHostPattern('web:&db:!x')).toEqual(['web', '&db', '!x']);
    expect(splitHostPattern('host.example.com:2222')).toEqual(['host.example.com:2222']);
    expect(splitHostPattern('fe80::1')).toEqual(['fe80::1']);
  });

  it('a missing @limit file is an error', () => {
    expect(() => applyLimit(inv, ['web1'], '@nope.txt', DIR)).toThrow('Unable to find limit file nope.txt');
  });
});

describe.runIf(HAVE_ANSIBLE)('pattern table against ansible-core (oracle)', () => {
  it('every row matches InventoryManager.get_hosts', () => {
    const got = ansibleGetHosts(DIR, ['hosts.ini'], TABLE.map((r) => ({ pattern: r.pattern, ...(r.limit === undefined ? {} : { limit: r.limit }) })));
    const expected = TABLE.map((r) => (r.error === undefined ? r.hosts : { error: r.error }));
    expect(got).toEqual(expected);
  });
});
