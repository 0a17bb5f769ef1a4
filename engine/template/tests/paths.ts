import { existsSync, lstatSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
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
};
