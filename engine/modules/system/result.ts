import type { ModuleResult } from '../../types/module.js';

/** A failed result with ansible's shape: changed false unless the caller says otherwise. */
export function failed(msg: string, extra: Record<string, unknown> = {}): ModuleResult {
  return { changed: false, ...extra, failed: true, msg };
}

/** Trimmed stderr, else stdout: the most useful text of a failed command. */
export function errText(res: { readonly stdout: string; readonly stderr: string }): string {
  const e = res.stderr.trim();
  return e !== '' ? e : res.stdout.trim();
}
