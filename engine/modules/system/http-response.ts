/** Parses what curl -D wrote: the LAST response's status line and headers (after redirects). */
export interface HttpHead {
  readonly status: number;
  readonly reason: string;
  /** ansible's uri result keys: lower-cased, '-' turned into '_'. */
  readonly headers: Record<string, string>;
  readonly cookies: Record<string, string>;
}

export function parseHead(text: string): HttpHead | undefined {
  const blocks = text.replace(/\r/g, '').split(/\n\n+/).filter((b) => /^HTTP\//.test(b));
  const last = blocks[blocks.length - 1];
  if (last === undefined) return undefined;
  const [statusLine, ...lines] = last.split('\n');
  const m = /^HTTP\/\S+\s+(\d{3})\s*(.*)$/.exec(statusLine!);
  const headers: Record<string, string> = {};
  const cookies: Record<string, string> = {};
  for (const line of lines) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const name = line.slice(0, i).trim().toLowerCase();
    const value = line.slice(i + 1).trim();
    // like ansible (python's HTTPMessage): repeated headers are joined with ', '
    const key = name.replace(/-/g, '_');
    headers[key] = headers[key] === undefined ? value : `${headers[key]}, ${value}`;
    if (name === 'set-cookie') {
      const c = /^([^=;]+)=([^;]*)/.exec(value);
      if (c) cookies[c[1]!] = c[2]!;
    }
  }
  return { status: m ? Number(m[1]) : -1, reason: m?.[2] ?? '', headers, cookies };
}

/** python http.client.responses for the common codes (ansible's "HTTP Error 404: Not Found"). */
export function reasonPhrase(status: number, given: string): string {
  if (given !== '') return given;
  const table: Record<number, string> = { 200: 'OK', 201: 'Created', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found', 304: 'Not Modified', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable' };
  return table[status] ?? '';
}
