/**
 * Python's json.dumps() text with default settings (", " and ": " separators, ensure_ascii),
 * which is what ansible sends for `body_format: json` with a dict body.
 */
export function pyJsonDumps(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return asciiString(v);
  if (typeof v === 'number' || typeof v === 'boolean') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(pyJsonDumps).join(', ')}]`;
  if (typeof v === 'object') {
    return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${asciiString(k)}: ${pyJsonDumps(x)}`).join(', ')}}`;
  }
  return asciiString(String(v));
}

function asciiString(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Python urllib.parse.urlencode of a dict (quote_plus: spaces become '+'). */
export function urlencode(v: Readonly<Record<string, unknown>>): string {
  const plus = (s: string): string => encodeURIComponent(s).replace(/%20/g, '+').replace(/[!'()*~]/g, (c) => (c === '~' ? c : `%${c.charCodeAt(0).toString(16).toUpperCase()}`));
  return Object.entries(v).map(([k, x]) => `${plus(k)}=${plus(String(x))}`).join('&');
}
