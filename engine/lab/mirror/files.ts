import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { copyFile, chmod, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { run } from '../exec.js';
import { acquireLock } from '../rootfs.js';
import { ensurePauseLayout } from './image.js';
import { ARTIFACTS, KUBECTL_PATH, MIRROR_SERVERS, upstreamVersion } from './artifacts.js';
import type { ArtifactSpec } from './artifacts.js';

/** One file of the mirror: what Kubespray's <component>_download_url points at. */
export interface MirrorFile {
  readonly component: string;
  /** Upstream version without a leading v (3.4.23). */
  readonly version: string;
  /** Kubespray's spelling of the version for this component (v3.4.23 or 1.6.20). */
  readonly kubesprayVersion: string;
  /** Path below files_repo. */
  readonly path: string;
  readonly sha256: string;
}

export interface MirrorCache {
  readonly root: string;
  /** The tree nginx serves (read-only bind into the mirror host). */
  readonly filesDir: string;
  readonly debsDir: string;
  readonly files: readonly MirrorFile[];
}

const ARCH = 'amd64';
const MANIFEST = 'manifest.json';
/** Bump when the tree's shape changes: an older cache is rebuilt. */
const FORMAT = 2;

/**
 * The mirror's file tree, built once per machine under the cache root (like the root
 * filesystem): Debian's packages downloaded (never installed on the controller, whose
 * package scripts would start daemons) and re-packed as release-style archives with sha256.
 */
export async function ensureMirrorFiles(root: string, log: (line: string) => void): Promise<MirrorCache> {
  await mkdir(root, { recursive: true });
  const release = await acquireLock(`${root}.lock`, log);
  try {
    await ensurePauseLayout(root);
    const current = await readManifest(root);
    if (current) return current;
    return await buildMirrorFiles(root, log);
  } finally {
    await release();
  }
}

async function readManifest(root: string): Promise<MirrorCache | null> {
  const text = await readFile(join(root, MANIFEST), 'utf8').catch(() => '');
  if (text === '') return null;
  const data = JSON.parse(text) as { format: number; files: MirrorFile[] };
  if (data.format !== FORMAT || !existsSync(join(root, 'files'))) return null;
  return { root, filesDir: join(root, 'files'), debsDir: join(root, 'debs'), files: data.files };
}

async function buildMirrorFiles(root: string, log: (line: string) => void): Promise<MirrorCache> {
  const started = Date.now();
  const debsDir = join(root, 'debs');
  const partial = join(root, 'files.partial');
  const work = join(root, 'work');
  await Promise.all([rm(partial, { recursive: true, force: true }), rm(work, { recursive: true, force: true })]);
  await mkdir(debsDir, { recursive: true });
  const debs = [...new Set([...ARTIFACTS.flatMap((a) => a.debs), ...MIRROR_SERVERS.map((s) => s.deb)])];
  log(`lab mirror: downloading ${debs.join(' ')} (apt-get download; nothing is installed here)`);
  await run(['apt-get', 'download', '-q', ...debs], { cwd: debsDir, what: 'apt-get download failed', hint: 'check that apt-get works on this machine (apt-get update)' });
  const files: MirrorFile[] = [];
  for (const spec of ARTIFACTS) files.push(await repack(spec, debsDir, work, partial));
  const kubectl = await kubectlFile(partial);
  if (kubectl) files.push(kubectl);
  else log('lab mirror: no kubectl on this machine: the mirror serves none');
  await rm(join(root, 'files'), { recursive: true, force: true });
  await rename(partial, join(root, 'files'));
  await rm(work, { recursive: true, force: true });
  await writeFile(join(root, MANIFEST), JSON.stringify({ format: FORMAT, files }, null, 2) + '\n');
  log(`lab mirror: ${files.length} release archives built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { root, filesDir: join(root, 'files'), debsDir, files };
}

/** The newest downloaded .deb of a package (apt-get download names it PKG_VERSION_ARCH.deb). */
export async function debFile(debsDir: string, pkg: string): Promise<string> {
  const names = (await readdir(debsDir)).filter((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb')).sort();
  if (names.length === 0) throw new Error(`no ${pkg} package in ${debsDir}`);
  return join(debsDir, names[names.length - 1]);
}

async function repack(spec: ArtifactSpec, debsDir: string, work: string, out: string): Promise<MirrorFile> {
  const x = join(work, spec.component);
  const debs = await Promise.all(spec.debs.map((d) => debFile(debsDir, d)));
  await mkdir(x, { recursive: true });
  for (const deb of debs) await run(['dpkg-deb', '-x', deb, x]);
  const version = upstreamVersion((await run(['dpkg-deb', '-f', debs[0], 'Version'])).stdout.trim());
  const path = spec.path(version, ARCH);
  const dest = join(out, path);
  await mkdir(dirname(dest), { recursive: true });
  const layout = spec.layout(version, ARCH);
  if (layout.kind === 'binary') {
    await copyFile(join(x, spec.files[0]), dest);
    await chmod(dest, 0o755);
  } else {
    const stage = join(work, `${spec.component}-stage`);
    await mkdir(join(stage, layout.dir), { recursive: true });
    for (const f of spec.files) await copyFile(join(x, f), join(stage, layout.dir, basename(f)));
    await tarGz(stage, layout.dir === '' ? '.' : layout.dir, dest);
  }
  return finish(spec.component, version, spec.versionStyle, path, dest);
}

/** Reproducible archive (sorted, mtime 0, root-owned, gzip without a timestamp): same input, same sha256. */
async function tarGz(cwd: string, member: string, dest: string): Promise<void> {
  const script = 'tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --mode=go-w -C "$1" -cf - "$2" | gzip -n > "$3"';
  await run(['bash', '-c', `set -o pipefail; ${script}`, 'tsplay-tar', cwd, member, dest]);
}

async function kubectlFile(out: string): Promise<MirrorFile | null> {
  const bin = '/usr/bin/kubectl';
  if (!existsSync(bin)) return null;
  const res = await run([bin, 'version', '--client', '-o', 'json'], { okCodes: [0, 1] });
  const git = /"gitVersion":\s*"v?([^"]+)"/.exec(res.stdout)?.[1];
  if (!git) return null;
  const version = upstreamVersion(git);
  const path = KUBECTL_PATH(version, ARCH);
  const dest = join(out, path);
  await mkdir(dirname(dest), { recursive: true });
  await copyFile(bin, dest);
  await chmod(dest, 0o755);
  return finish('kubectl', version, 'v', path, dest);
}

/** sha256 of the file, written beside it as `<name>.sha256` (`HEX  NAME`, sha256sum -c format). */
async function finish(component: string, version: string, style: 'v' | 'bare', path: string, dest: string): Promise<MirrorFile> {
  const sha256 = await sha256File(dest);
  await writeFile(`${dest}.sha256`, `${sha256}  ${basename(dest)}\n`);
  return { component, version, kubesprayVersion: style === 'v' ? `v${version}` : version, path, sha256 };
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path).on('data', (b) => h.update(b)).on('error', reject).on('end', () => resolve(h.digest('hex')));
  });
}
