import { chmod, copyFile, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from '../exec.js';
import { addHostNetwork } from '../network.js';
import type { LabHostPlan, ResolvedLabOptions } from '../options.js';
import type { LabHostState } from '../state.js';
import { bootSystemdHost, prepareSystemdHost } from '../systemd-host.js';
import { MIRROR_SERVERS } from './artifacts.js';
import { debFile, type MirrorCache } from './files.js';
import type { MirrorTls } from './tls.js';

/** The mirror sits at <subnet>.10, below the nodes (.11 and up); kernel names follow the lab's `-node<N>`/`-v<N>` scheme so `lab down` finds it. */
export const MIRROR_OCTET = 10;
export const REGISTRY_PORT = 5000;
export const FILES_PORT = 80;
/** Where the mirror host sees the file tree (a read-only bind of the controller's cache). */
const FILES_ROOT = '/srv/mirror/files';
/**
 * Extra files: a writable tree in the mirror host's own root, served under the same URLs
 * when the cache has no such file. Operators (and tests) add artifacts this machine cannot
 * package there, e.g. through <rootDir>/srv/mirror/extra or scp to the mirror host.
 */
export const EXTRA_FILES_ROOT = '/srv/mirror/extra';
export const REGISTRY_UNIT = 'tsplay-mirror-registry.service';
export const FILES_UNIT = 'tsplay-mirror-files.service';

export function mirrorPlan(o: ResolvedLabOptions): LabHostPlan {
  return { name: 'mirror', ip: `${o.subnet}.${MIRROR_OCTET}`, netns: `${o.name}-node0`, veth: `${o.name}-v0`, dir: join(o.stateDir, 'hosts', 'mirror') };
}

function nginxConf(ip: string): string {
  return `# tsplay lab file mirror: files_repo = http://${ip}
user root;
worker_processes 1;
pid /run/tsplay-mirror-nginx.pid;
error_log stderr;
events { worker_connections 256; }
http {
  default_type application/octet-stream;
  access_log /var/log/tsplay-mirror/access.log;
  sendfile on;
  server {
    listen ${ip}:${FILES_PORT};
    root ${FILES_ROOT};
    autoindex on;
    location / { try_files $uri $uri/ @extra; }
    location @extra { root ${EXTRA_FILES_ROOT}; }
  }
}
`;
}

function registryConf(ip: string): string {
  return `# tsplay lab mirror registry (distribution 2.8): registry_host = ${ip}:${REGISTRY_PORT}
version: 0.1
log:
  level: info
  formatter: text
storage:
  filesystem:
    rootdirectory: /var/lib/tsplay-mirror/registry
  delete:
    enabled: true
http:
  addr: ${ip}:${REGISTRY_PORT}
  tls:
    certificate: /etc/tsplay-mirror/registry.crt
    key: /etc/tsplay-mirror/registry.key
`;
}

function unit(description: string, exec: string): string {
  return `[Unit]
Description=${description}
After=network.target

[Service]
ExecStart=${exec}
Restart=on-failure

[Install]
WantedBy=multi-user.target
`;
}

/**
 * Only the two binaries go into the host's root: unpacking whole packages over a merged-/usr
 * root would replace its /lib symlink (and the packages' own units and sites are not wanted).
 */
async function installServers(cache: MirrorCache, hostDir: string, rootDir: string): Promise<void> {
  for (const s of MIRROR_SERVERS) {
    const x = join(hostDir, `unpack-${s.deb}`);
    await mkdir(x, { recursive: true });
    await run(['dpkg-deb', '-x', await debFile(cache.debsDir, s.deb), x], { what: `cannot unpack ${s.deb} for the mirror host` });
    await copyFile(join(x, s.binary), join(rootDir, s.binary));
    await chmod(join(rootDir, s.binary), 0o755);
    await rm(x, { recursive: true, force: true });
  }
}

/** Network, overlay root with nginx and docker-registry extracted in, configs and units enabled, then boot. */
export async function startMirror(o: ResolvedLabOptions, all: readonly LabHostPlan[], publicKey: string, cache: MirrorCache, tls: MirrorTls): Promise<{ host: LabHostState; keys: string[] }> {
  const h = mirrorPlan(o);
  await mkdir(h.dir, { recursive: true });
  await addHostNetwork(o, h);
  const plain = { ...o, containers: false };
  const { rootDir, hostKeys } = await prepareSystemdHost(plain, h, all, publicKey);
  await installServers(cache, h.dir, rootDir);
  const etc = join(rootDir, 'etc', 'tsplay-mirror');
  await Promise.all([etc, join(rootDir, 'var', 'log', 'tsplay-mirror'), join(rootDir, 'var', 'lib', 'tsplay-mirror', 'registry'), join(rootDir, FILES_ROOT), join(rootDir, EXTRA_FILES_ROOT),
    // nginx's compiled-in temp paths live there (Debian's nginx-common would make it)
    join(rootDir, 'var', 'lib', 'nginx')]
    .map((d) => mkdir(d, { recursive: true })));
  await writeFile(join(etc, 'nginx.conf'), nginxConf(h.ip));
  await writeFile(join(etc, 'registry.yml'), registryConf(h.ip));
  await copyFile(tls.cert, join(etc, 'registry.crt'));
  await copyFile(tls.key, join(etc, 'registry.key'));
  const units = join(rootDir, 'etc', 'systemd', 'system');
  await mkdir(join(units, 'multi-user.target.wants'), { recursive: true });
  await writeFile(join(units, FILES_UNIT), unit('tsplay lab file mirror (nginx)', `/usr/sbin/nginx -c /etc/tsplay-mirror/nginx.conf -g 'daemon off;'`));
  await writeFile(join(units, REGISTRY_UNIT), unit('tsplay lab mirror registry', '/usr/bin/docker-registry serve /etc/tsplay-mirror/registry.yml'));
  for (const u of [FILES_UNIT, REGISTRY_UNIT]) await symlink(`../${u}`, join(units, 'multi-user.target.wants', u));
  const pid = await bootSystemdHost(plain, h, rootDir, [`--bind-ro=${cache.filesDir}:${FILES_ROOT}`]);
  return { host: { name: h.name, ip: h.ip, netns: h.netns, veth: h.veth, pid, rootDir }, keys: hostKeys };
}
