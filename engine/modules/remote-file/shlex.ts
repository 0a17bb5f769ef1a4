import { ModuleFailure } from '../../errors/index.js';
import { ShlexError, shlexSplit } from '../../python/shlex.js';

/**
 * shlex.split of a module's own argument (command's free-form text after templating, a loop
 * item with a quote in it): like ansible, Python's ValueError there is a MODULE FAILURE of
 * that task or item, not an error of the run.
 */
export function splitModuleText(text: string): string[] {
  try {
    return shlexSplit(text);
  } catch (e) {
    if (!(e instanceof ShlexError)) throw e;
    throw new ModuleFailure('MODULE FAILURE\nSee stdout/stderr for the exact error', { exception: `ValueError: ${e.message}`, module_stderr: `ValueError: ${e.message}`, module_stdout: '', rc: 1 });
  }
}

/**
 * Like ansible's parse_kv(check_raw=True): pulls `key=value` words whose key is one of `keys`
 * out of free-form text and leaves the rest (with its original quoting) as the command.
 */
export function extractKv(raw: string, keys: readonly string[]): { rest: string; kv: Record<string, string> } {
  const kv: Record<string, string> = {};
  const kept: string[] = [];
  for (const token of splitKeepingQuotes(raw)) {
    const m = /^([A-Za-z_]+)=(.*)$/s.exec(token);
    if (m !== null && keys.includes(m[1]!)) kv[m[1]!] = splitModuleText(m[2]!).join(' ');
    else kept.push(token);
  }
  return { rest: kept.join(' '), kv };
}

/** Splits on unquoted whitespace, keeping quotes and escapes in each token. */
function splitKeepingQuotes(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoteCh = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoteCh === '' && /\s/.test(c)) { if (cur !== '') out.push(cur); cur = ''; continue; }
    if (c === '\\' && quoteCh !== "'" && i + 1 < text.length) { cur += c + text[i + 1]; i++; continue; }
    if (quoteCh === '' && (c === '"' || c === "'")) quoteCh = c;
    else if (c === quoteCh) quoteCh = '';
    cur += c;
  }
  if (cur !== '') out.push(cur);
  return out;
}
