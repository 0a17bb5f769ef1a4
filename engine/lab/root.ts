import { TsplayError } from '../errors/index.js';

/** The lab creates namespaces, a bridge and mounts: only root may. */
export function requireRoot(): void {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new TsplayError('lab', 'tsplay lab needs root', {
      hint: 'run it as root (e.g. `sudo tsplay lab up`): it creates network namespaces, a bridge and mounts',
    });
  }
}
