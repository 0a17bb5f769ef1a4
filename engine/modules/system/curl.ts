import { bool, BOOL, str } from '../remote-file/args.js';

/**
 * get_url and uri run curl ON THE HOST (it must reach addresses only the host can reach).
 * Every option goes into a curl config read from stdin (`curl -K -`), so passwords and
 * headers never appear in a process list or a logged command line.
 */
export interface CurlRequest {
  readonly url: string;
  readonly method?: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutSec: number;
  readonly validateCerts: boolean;
  readonly username?: string;
  readonly password?: string;
  /** Send basic auth up front (ansible force_basic_auth); otherwise curl answers a 401 challenge. */
  readonly forceBasicAuth: boolean;
  readonly followRedirects: 'all' | 'none' | 'safe' | 'urllib2' | 'no' | 'yes';
  readonly clientCert?: string;
  readonly clientKey?: string;
  readonly caPath?: string;
  readonly userAgent: string;
  readonly useProxy: boolean;
  /** Ask for and undo Content-Encoding (ansible's decompress, default true). */
  readonly decompress: boolean;
  /** Sent as-is (already encoded by the caller). */
  readonly body?: string;
}

/** A value in curl's config syntax: double-quoted with backslash escapes. */
export function cfgQuote(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}

function follows(req: CurlRequest): boolean {
  const m = (req.method ?? 'GET').toUpperCase();
  switch (req.followRedirects) {
    case 'all': case 'yes': return true;
    case 'none': case 'no': return false;
    // like ansible: 'safe' and 'urllib2' follow only for GET/HEAD
    default: return m === 'GET' || m === 'HEAD';
  }
}

/** The config text for `curl -K -`. */
export function curlConfig(req: CurlRequest): string {
  const lines: string[] = [`url = ${cfgQuote(req.url)}`, `user-agent = ${cfgQuote(req.userAgent)}`];
  const method = (req.method ?? 'GET').toUpperCase();
  if (method === 'HEAD') lines.push('head');
  else if (method !== 'GET' || req.body !== undefined) lines.push(`request = ${cfgQuote(method)}`);
  if (req.timeoutSec > 0) lines.push(`max-time = ${req.timeoutSec}`, `connect-timeout = ${req.timeoutSec}`);
  if (!req.validateCerts) lines.push('insecure');
  if (follows(req)) lines.push('location', 'max-redirs = 50');
  if (!req.useProxy) lines.push('noproxy = "*"');
  if (req.decompress) lines.push('compressed');
  for (const [k, v] of Object.entries(req.headers)) lines.push(`header = ${cfgQuote(`${k}: ${v}`)}`);
  if (req.username !== undefined) {
    lines.push(`user = ${cfgQuote(`${req.username}:${req.password ?? ''}`)}`);
    if (!req.forceBasicAuth) lines.push('anyauth');
  }
  if (req.clientCert !== undefined) lines.push(`cert = ${cfgQuote(req.clientCert)}`);
  if (req.clientKey !== undefined) lines.push(`key = ${cfgQuote(req.clientKey)}`);
  if (req.caPath !== undefined) lines.push(`cacert = ${cfgQuote(req.caPath)}`);
  // data-raw: a body starting with '@' is text, not a file name
  if (req.body !== undefined) lines.push(`data-raw = ${cfgQuote(req.body)}`);
  return `${lines.join('\n')}\n`;
}

/** headers given as a dict, or ansible's legacy "k:v,k2:v2" string. */
export function headerArg(v: unknown): Record<string, string> {
  if (v === undefined || v === null || v === '') return {};
  if (typeof v === 'object' && !Array.isArray(v)) {
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, String(x)]));
  }
  const out: Record<string, string> = {};
  for (const part of String(v).split(',')) {
    const i = part.indexOf(':');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

/** The request options get_url and uri share, read from module args. */
export function commonRequest(a: Readonly<Record<string, unknown>>, url: string, dfltFollow: CurlRequest['followRedirects']): CurlRequest {
  return {
    url, headers: headerArg(a.headers), timeoutSec: Number(a.timeout ?? (a.socket_timeout ?? 30)),
    validateCerts: bool(a.validate_certs, true), username: str(a.url_username), password: str(a.url_password),
    forceBasicAuth: bool(a.force_basic_auth, false),
    followRedirects: (str(a.follow_redirects) ?? dfltFollow) as CurlRequest['followRedirects'],
    clientCert: str(a.client_cert), clientKey: str(a.client_key), caPath: str(a.ca_path),
    userAgent: str(a.http_agent) ?? 'ansible-httpget', useProxy: bool(a.use_proxy, true), decompress: bool(a.decompress, true),
  };
}

/** Schema properties shared by get_url and uri. */
export const REQUEST_PROPS = {
  url: { type: 'string' }, headers: { type: ['object', 'string'] }, timeout: { type: ['integer', 'string'] },
  validate_certs: BOOL, url_username: { type: 'string' }, url_password: { type: 'string' },
  force_basic_auth: BOOL, client_cert: { type: 'string' }, client_key: { type: 'string' },
  ca_path: { type: 'string' }, http_agent: { type: 'string' }, use_proxy: BOOL, use_gssapi: BOOL, use_netrc: BOOL,
  unredirected_headers: { type: 'array' }, ciphers: { type: ['array', 'string'] },
} as const;
