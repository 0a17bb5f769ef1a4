/**
 * Many system modules read several things in ONE remote command (the round-trip budget):
 * each part prints a tagged header so the output splits back into named sections.
 */
const MARK = '@@TSPLAY-SEC';

/** Shell text printing a section header, then running `script` (its own output is the body). */
export function section(name: string, script: string): string {
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new Error(`bad section name ${name}`);
  return `echo ${MARK} ${name}\n${script}`;
}

/** Splits a script's stdout back into sections by name; text before the first header is dropped. */
export function parseSections(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  const parts = stdout.split(`${MARK} `).slice(1);
  for (const p of parts) {
    const nl = p.indexOf('\n');
    const name = nl < 0 ? p : p.slice(0, nl);
    out.set(name, nl < 0 ? '' : p.slice(nl + 1));
  }
  return out;
}

/** A section's text without its trailing newline ('' when absent). */
export function sectionText(s: ReadonlyMap<string, string>, name: string): string {
  return (s.get(name) ?? '').replace(/\n$/, '');
}
