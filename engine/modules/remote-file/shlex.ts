/**
 * Python's shlex.split (posix mode, no comments): what ansible's command module does to its
 * free-form text. Outside quotes a backslash escapes any character; inside double quotes it
 * escapes only \ " $ and `; single quotes are literal.
 */
export function shlexSplit(text: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let i = 0;
  const fail = (): never => { throw new Error('No closing quotation'); };
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      if (inWord) { words.push(cur); cur = ''; inWord = false; }
      i++;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) fail();
      cur += text.slice(i + 1, end); inWord = true; i = end + 1;
    } else if (c === '"') {
      i++; inWord = true;
      while (true) {
        if (i >= text.length) fail();
        const d = text[i]!;
        if (d === '"') { i++; break; }
        if (d === '\\' && i + 1 < text.length && '\\"$`'.includes(text[i + 1]!)) { cur += text[i + 1]; i += 2; continue; }
        cur += d; i++;
      }
    } else if (c === '\\') {
      if (i + 1 >= text.length) throw new Error('No escaped character');
      cur += text[i + 1]; inWord = true; i += 2;
    } else { cur += c; inWord = true; i++; }
  }
  if (inWord) words.push(cur);
  return words;
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
    if (m !== null && keys.includes(m[1]!)) kv[m[1]!] = shlexSplit(m[2]!).join(' ');
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
