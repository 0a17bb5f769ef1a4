import { existsSync } from 'node:fs';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { TsplayError } from '../../errors/index.js';
import { run } from '../exec.js';

/** The sandbox ("pause") image the lab serves: busybox-static sleeping, built with umoci. */
export const PAUSE_IMAGE = { name: 'pause', tag: '3.10' } as const;

const BUSYBOX = '/bin/busybox';

/**
 * Builds the image as an OCI layout once (cached beside the mirror files) and pushes it to
 * the mirror registry with skopeo, trusting only the lab CA.
 */
export async function pushPauseImage(cacheRoot: string, registry: string, caOnlyDir: string): Promise<string> {
  const ref = `${join(cacheRoot, 'oci-pause')}:${PAUSE_IMAGE.tag}`;
  const dest = `docker://${registry}/${PAUSE_IMAGE.name}:${PAUSE_IMAGE.tag}`;
  await run(['skopeo', 'copy', '--quiet', '--dest-cert-dir', caOnlyDir, `oci:${ref}`, dest],
    { what: `cannot push the pause image to ${registry}`, hint: 'is the mirror registry up? see journalctl -u tsplay-mirror-registry on the mirror host' });
  return `${registry}/${PAUSE_IMAGE.name}:${PAUSE_IMAGE.tag}`;
}

/** Called under the mirror cache's lock: parallel labs build it once. */
export async function ensurePauseLayout(cacheRoot: string): Promise<void> {
  const layout = join(cacheRoot, 'oci-pause');
  if (!existsSync(join(layout, 'index.json'))) await buildPause(layout, `${layout}:${PAUSE_IMAGE.tag}`);
}

async function buildPause(layout: string, ref: string): Promise<void> {
  if (!existsSync(BUSYBOX)) throw new TsplayError('lab', `${BUSYBOX} is missing`, { hint: 'apt-get install busybox-static (see .ci/run)' });
  const bundle = `${layout}.bundle`;
  await rm(layout, { recursive: true, force: true });
  await rm(bundle, { recursive: true, force: true });
  const what = 'cannot build the pause image (umoci)';
  await run(['umoci', 'init', '--layout', layout], { what });
  await run(['umoci', 'new', '--image', ref], { what });
  await run(['umoci', 'unpack', '--image', ref, bundle], { what });
  await mkdir(join(bundle, 'rootfs', 'bin'), { recursive: true });
  await copyFile(BUSYBOX, join(bundle, 'rootfs', 'bin', 'busybox'));
  await run(['chmod', '0755', join(bundle, 'rootfs', 'bin', 'busybox')]);
  await run(['umoci', 'repack', '--image', ref, bundle], { what });
  await run(['umoci', 'config', '--image', ref, '--os', 'linux', '--architecture', 'amd64',
    '--config.entrypoint', '/bin/busybox', '--config.cmd', 'sleep', '--config.cmd', '2147483647'], { what });
  await run(['umoci', 'gc', '--layout', layout], { what });
  await rm(bundle, { recursive: true, force: true });
}
