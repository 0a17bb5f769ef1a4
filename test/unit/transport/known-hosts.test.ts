import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  checkHostKey,
  entryMatches,
  fingerprint,
  hashHostName,
  keyTypeOfBlob,
  knownHostsName,
  knownKeyTypes,
  parseKnownHosts,
  refusalMessage,
} from '../../../engine/transport/known-hosts.js';

const here = dirname(fileURLToPath(import.meta.url));
const ED = 'AAAAC3NzaC1lZDI1NTE5AAAAIGjW5X428l9BnGYwbmcdQuQrQSeDQYjH/zmhTFfYNN8Y';
const blob = Buffer.from(ED, 'base64');

describe('host names', () => {
  it.each([
    ['node1', 22, 'node1'],
    ['10.88.0.12', 2222, '[10.88.0.12]:2222'],
  ])('%s port %d → %s', (host, port, name) => {
    expect(knownHostsName(host, port)).toBe(name);
  });
});

describe('hashed entries written by `ssh-keygen -H`', () => {
  const entries = parseKnownHosts(readFileSync(join(here, 'fixtures/hashed_known_hosts'), 'utf8'));
  it.each([
    ['node1', true],
    ['[10.88.0.12]:2222', true],
    ['10.88.0.12', false], // ssh-keygen -F 10.88.0.12 finds nothing: the port is part of the name
    ['node2', false],
  ])('%s found: %s', (name, found) => {
    expect(entries.some((e) => entryMatches(e.hosts, name))).toBe(found);
  });

  it('hashes the way OpenSSH does (same salt gives the same line)', () => {
    const [salt] = entries[0].hosts.split('|').slice(2, 3);
    expect(hashHostName('node1', Buffer.from(salt, 'base64'))).toBe(entries[0].hosts);
  });
});

describe('patterns (lookups as `ssh-keygen -F` answers them)', () => {
  const entries = parseKnownHosts('node1,node2 ssh-ed25519 AAAA1\n*.lab.example ssh-ed25519 AAAA2\n*.lab.example,!bad.lab.example ssh-rsa AAAA3\n');
  it.each([
    ['node1', ['ssh-ed25519']],
    ['node2', ['ssh-ed25519']],
    ['node3', []],
    ['x.lab.example', ['ssh-ed25519', 'ssh-rsa']],
    ['bad.lab.example', ['ssh-ed25519']],
    ['NODE1', ['ssh-ed25519']],
  ])('%s → %j', (name, types) => {
    expect(entries.filter((e) => entryMatches(e.hosts, name)).map((e) => e.keyType)).toEqual(types);
  });
});

describe('parsing', () => {
  it('skips comments, blanks, short and unknown-marker lines; keeps markers and line numbers', () => {
    const text = `# comment\n\nnode1 ssh-ed25519 ${ED} a comment\n@revoked node2 ssh-ed25519 ${ED}\n@cert-authority *.lab ssh-ed25519 ${ED}\n@weird node3 ssh-ed25519 ${ED}\nbroken-line\n`;
    expect(parseKnownHosts(text)).toEqual([
      { marker: undefined, hosts: 'node1', keyType: 'ssh-ed25519', key: ED, line: 3 },
      { marker: '@revoked', hosts: 'node2', keyType: 'ssh-ed25519', key: ED, line: 4 },
      { marker: '@cert-authority', hosts: '*.lab', keyType: 'ssh-ed25519', key: ED, line: 5 },
    ]);
  });

  it('reads the key type from the blob and fingerprints like ssh-keygen -l', () => {
    expect(keyTypeOfBlob(blob)).toBe('ssh-ed25519');
    // what `ssh-keygen -lf` prints for this key
    expect(fingerprint(blob)).toBe('SHA256:TBhE4PAyHIklfSnhaMr2XpXZ+FJyAKTkAV34VpVKie8');
  });
});

describe('verdicts', () => {
  const other = 'AAAAC3NzaC1lZDI1NTE5AAAAIBN4CXo2AJ6Dpg+9kLeTJqP0fZtaN7Bm8LGBDqGCFQKX';
  const cases: [string, string, string][] = [
    ['known key', `node1 ssh-ed25519 ${ED}\n`, 'ok'],
    ['unknown host', `node2 ssh-ed25519 ${ED}\n`, 'new'],
    ['changed key of the same type', `node1 ssh-ed25519 ${other}\n`, 'mismatch'],
    ['only another key type known', `node1 ssh-rsa AAAAB3NzaC1yc2E=\n`, 'new'],
    ['revoked key', `@revoked node1 ssh-ed25519 ${ED}\nnode1 ssh-ed25519 ${ED}\n`, 'revoked'],
    ['cert-authority lines are not host keys', `@cert-authority node1 ssh-ed25519 ${ED}\n`, 'new'],
  ];
  it.each(cases)('%s → %s', (_name, text, kind) => {
    expect(checkHostKey(parseKnownHosts(text), 'node1', blob).kind).toBe(kind);
  });

  it('prefers the known key types for the key exchange', () => {
    expect(knownKeyTypes(parseKnownHosts(`node1 ssh-rsa X\nnode1 ssh-ed25519 Y\nnode2 ecdsa-sha2-nistp256 Z\n`), 'node1')).toEqual(['ssh-rsa', 'ssh-ed25519']);
  });

  it('refuses a mismatch in every checking mode and an unknown host only in strict', () => {
    const mismatch = checkHostKey(parseKnownHosts(`node1 ssh-ed25519 ${other}\n`), 'node1', blob);
    for (const mode of ['strict', 'accept-new'] as const) expect(refusalMessage(mismatch, mode, 'node1', '/k', blob)).toMatch(/HAS CHANGED/);
    const unknown = checkHostKey([], 'node1', blob);
    expect(refusalMessage(unknown, 'accept-new', 'node1', '/k', blob)).toBeUndefined();
    expect(refusalMessage(unknown, 'strict', '[h]:2222', '/k', blob)).toContain('ssh-keyscan -p 2222 h >> /k');
  });
});
