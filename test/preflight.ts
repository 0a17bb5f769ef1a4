/**
 * vitest globalSetup: the tools the suites need are checked once, before any test runs, so a
 * machine that lacks one fails with one message naming the Debian package (listed with its
 * reason in .ci/run) instead of dozens of assertion diffs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Need {
  readonly what: string;
  readonly pkg: string;
  readonly present: () => boolean;
}

const onPath = (cmd: string) => () => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const pyImports = (mod: string) => () =>
  spawnSync('/usr/bin/python3', ['-c', `import ${mod}`], { stdio: 'ignore', env: { PATH: process.env['PATH'] ?? '' } }).status === 0;

const NEEDS: readonly Need[] = [
  { what: 'ansible-playbook (the conformance oracle)', pkg: 'ansible-core', present: onPath('ansible-playbook') },
  { what: "ansible.posix's json stdout callback (the oracle's output format)", pkg: 'ansible', present: pyImports('ansible_collections.ansible.posix.plugins.callback.json') },
  { what: 'netaddr for the ipaddr filters', pkg: 'python3-netaddr', present: pyImports('netaddr') },
  { what: 'python3-apt (copied onto Kubespray lab hosts for ansible\'s apt module)', pkg: 'python3-apt', present: pyImports('apt_pkg') },
  { what: "jmespath for Kubespray's json_query under ansible-playbook", pkg: 'python3-jmespath', present: pyImports('jmespath') },
  { what: 'sshd', pkg: 'openssh-server', present: () => existsSync('/usr/sbin/sshd') },
  { what: 'ssh and ssh-keygen', pkg: 'openssh-client', present: onPath('ssh-keygen') },
  { what: 'sudo', pkg: 'sudo', present: onPath('sudo') },
  { what: 'sshpass', pkg: 'sshpass', present: onPath('sshpass') },
  { what: 'debootstrap', pkg: 'debootstrap', present: onPath('debootstrap') },
  { what: 'systemd-nspawn', pkg: 'systemd-container', present: onPath('systemd-nspawn') },
  { what: 'ip', pkg: 'iproute2', present: onPath('ip') },
  { what: 'openssl', pkg: 'ca-certificates', present: onPath('openssl') },
  { what: "openssl (the lab mirror's CA)", pkg: 'openssl', present: onPath('openssl') },
  { what: 'skopeo (pushes the lab mirror\'s pause image)', pkg: 'skopeo', present: onPath('skopeo') },
  { what: 'umoci (builds the lab mirror\'s pause image)', pkg: 'umoci', present: onPath('umoci') },
  { what: 'a static busybox (the lab pause image\'s binary)', pkg: 'busybox-static', present: () => existsSync('/bin/busybox') },
  { what: 'curl', pkg: 'curl', present: onPath('curl') },
  { what: 'tmux', pkg: 'tmux', present: onPath('tmux') },
  { what: "iptables (copied into a lifecycle lab host for reset.yml's chains)", pkg: 'iptables', present: () => existsSync('/usr/sbin/xtables-nft-multi') },
];

/**
 * Checks the machine's tools, then points every test's tsplay at a cache folder of this run
 * ($XDG_CACHE_HOME: the code cache, the mirror's sha256 cache), removed at the end: the suites
 * neither read what an earlier run or the user left in ~/.cache nor leave anything there.
 */
export default function setup(): () => void {
  checkTools();
  const cache = mkdtempSync(join(tmpdir(), 'tsplay-test-cache-'));
  process.env.XDG_CACHE_HOME = cache;
  return () => rmSync(cache, { recursive: true, force: true });
}

function checkTools(): void {
  const missing = NEEDS.filter((n) => !n.present());
  if (missing.length === 0) return;
  const lines = missing.map((n) => `  - ${n.what}: install the Debian package '${n.pkg}'`);
  const pkgs = [...new Set(missing.map((n) => n.pkg))].join(' ');
  throw new Error(
    `the test suites need tools this machine lacks:\n${lines.join('\n')}\n` +
    `run 'apt-get install -y --no-install-recommends ${pkgs}' (or 'bash .ci/run', which installs every package the tests use)`,
  );
}
