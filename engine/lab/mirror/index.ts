import { mkdir, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { TsplayError } from '../../errors/index.js';
import type { LabHostPlan, ResolvedLabOptions } from '../options.js';
import type { LabHostState } from '../state.js';
import { ensureMirrorFiles, type MirrorCache } from './files.js';
import { FILES_PORT, REGISTRY_PORT, startMirror } from './host.js';
import { pushPauseImage } from './image.js';
import { ensureMirrorTls, type MirrorTls } from './tls.js';
import { renderLabMirrorVars } from './vars.js';

export { mirrorPlan, REGISTRY_UNIT, FILES_UNIT, REGISTRY_PORT, EXTRA_FILES_ROOT } from './host.js';
export { renderLabMirrorVars } from './vars.js';
export type { MirrorFile } from './files.js';

/** Everything the mirror needs before it boots (cached files, the lab CA): built before the hosts start. */
export interface MirrorInputs {
  readonly cache: MirrorCache;
  readonly tls: MirrorTls;
}

/** The controller-side cache of the mirror's files, beside the root filesystem cache. */
export function mirrorCacheDir(o: ResolvedLabOptions): string {
  return join(dirname(o.cacheDir), 'mirror');
}

export async function prepareMirror(o: ResolvedLabOptions, ip: string): Promise<MirrorInputs> {
  const cache = await ensureMirrorFiles(mirrorCacheDir(o), o.log);
  const tls = await ensureMirrorTls(join(o.stateDir, 'mirror-tls'), o.name, ip);
  return { cache, tls };
}

export function bootMirror(o: ResolvedLabOptions, all: readonly LabHostPlan[], publicKey: string, m: MirrorInputs): Promise<{ host: LabHostState; keys: string[] }> {
  return startMirror(o, all, publicKey, m.cache, m.tls);
}

/**
 * Once the mirror host is up: both services answer, the pause image is pushed, and the lab
 * inventory's group_vars say where the mirror is and what it serves.
 */
export async function fillMirror(o: ResolvedLabOptions, mirror: LabHostState, m: MirrorInputs, inventoryDir: string): Promise<void> {
  const deadline = Date.now() + o.timeoutSeconds * 1000;
  await Promise.all([waitPort(mirror.ip, FILES_PORT, deadline), waitPort(mirror.ip, REGISTRY_PORT, deadline)]);
  const image = await pushPauseImage(mirrorCacheDir(o), `${mirror.ip}:${REGISTRY_PORT}`, m.tls.caOnlyDir);
  const dir = join(inventoryDir, 'group_vars', 'all');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'lab-mirror.yml'), renderLabMirrorVars({ labName: o.name, ip: mirror.ip, files: m.cache.files, caPem: m.tls.caPem }));
  o.log(`lab ${o.name} mirror: files_repo http://${mirror.ip}, registry ${mirror.ip}:${REGISTRY_PORT} (${m.cache.files.length} archives, ${image})`);
}

function tcpAnswers(ip: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: ip, port });
    const done = (ok: boolean): void => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(1000, () => done(false));
    s.on('connect', () => done(true));
    s.on('error', () => done(false));
  });
}

/** Polls with a short backoff until the port accepts a connection. */
async function waitPort(ip: string, port: number, deadline: number): Promise<void> {
  let pause = 25;
  while (!(await tcpAnswers(ip, port))) {
    if (Date.now() > deadline) {
      throw new TsplayError('lab', `the lab mirror does not answer on ${ip}:${port}`, { hint: 'see journalctl -u tsplay-mirror-files -u tsplay-mirror-registry on the mirror host' });
    }
    await delay(pause);
    pause = Math.min(pause * 2, 250);
  }
}
