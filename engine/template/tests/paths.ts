import { existsSync, lstatSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { pyStr } from '../python/repr.js';
import type { TestFn } from '../runtime.js';

/** Controller-side path tests (like ansible, they look at the machine running the play). */
function stat(p: unknown): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(pyStr(p));
  } catch {
    return undefined;
  }
}

export const pathTests: Record<string, TestFn> = {
  file: (p) => stat(p)?.isFile() ?? false,
  directory: (p) => stat(p)?.isDirectory() ?? false,
  exists: (p) => existsSync(pyStr(p)),
  link: (p) => {
    try {
      return lstatSync(pyStr(p)).isSymbolicLink();
    } catch {
      return false;
    }
  },
  abs: (p) => isAbsolute(pyStr(p)),
  // like os.path.lexists: a dangling link exists
  link_exists: (p) => {
    try {
      lstatSync(pyStr(p));
      return true;
    } catch {
      return false;
    }
  },
  same_file: (a, b) => {
    const x = stat(a);
    const y = stat(b);
    return x !== undefined && y !== undefined && x.dev === y.dev && x.ino === y.ino;
  },
  // like os.path.ismount: another device than the parent, or the root itself
  mount: (p) => {
    const x = stat(p);
    const up = stat(join(pyStr(p), '..'));
    return x !== undefined && up !== undefined && (x.dev !== up.dev || x.ino === up.ino);
  },
};

/** ansible's deprecated is_* spellings of the path tests. */
for (const n of ['abs', 'dir', 'file', 'link', 'mount', 'same_file']) pathTests[`is_${n}`] = pathTests[n === 'dir' ? 'directory' : n]!;
