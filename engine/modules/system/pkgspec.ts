import { fnmatch } from '../../python/fnmatch.js';

/** Package specs: `name`, `name=version` (apt, version may hold fnmatch wildcards), `name-version` is dnf's own. */
export interface PkgSpec {
  readonly name: string;
  readonly version?: string;
  readonly raw: string;
}

export function parseAptSpec(raw: string): PkgSpec | string {
  const s = raw.trim();
  if ((s.match(/=/g) ?? []).length > 1) return `invalid package spec: ${s}`;
  const i = s.indexOf('=');
  return i < 0 ? { name: s, raw: s } : { name: s.slice(0, i), version: s.slice(i + 1), raw: s };
}


/** One installed/candidate record per package, from the probe. */
export interface PkgState {
  readonly installed?: string;
  readonly candidate?: string;
  /** dpkg selection (install/hold/deinstall/purge) when known. */
  readonly selection?: string;
}

export type PkgAction = { readonly op: 'install' | 'remove'; readonly spec: string } | { readonly op: 'fail'; readonly msg: string };

/** apt's per-package decision, like ansible's package_status + install/remove. */
export function aptAction(spec: PkgSpec, st: PkgState, state: 'present' | 'absent' | 'latest' | 'fixed' | 'build-dep', onlyUpgrade = false): PkgAction | undefined {
  if (state === 'absent') {
    if (st.installed === undefined) return undefined;
    if (spec.version !== undefined && !fnmatch(st.installed, spec.version)) return undefined;
    return { op: 'remove', spec: spec.name };
  }
  if (st.installed === undefined && st.candidate === undefined) return { op: 'fail', msg: `No package matching '${spec.name}' is available` };
  if (onlyUpgrade && st.installed === undefined) return undefined;
  if (spec.version !== undefined) {
    if (st.installed !== undefined && fnmatch(st.installed, spec.version)) return undefined;
    return { op: 'install', spec: spec.raw };
  }
  if (st.installed === undefined) return { op: 'install', spec: spec.name };
  if (state === 'latest' && st.candidate !== undefined && st.candidate !== st.installed) return { op: 'install', spec: spec.name };
  return undefined;
}
