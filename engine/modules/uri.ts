import { ModuleArgsError } from '../errors/index.js';
import { sh, verbatim } from '../transport/shell.js';
import { runScript } from './remote-file/exec.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types/module.js';
import { bool, BOOL, STR, str } from './remote-file/args.js';
import { commonRequest, curlConfig, REQUEST_PROPS, type CurlRequest } from './system/curl.js';
import { parseHead, reasonPhrase } from './system/http-response.js';
import { pyJsonDumps, urlencode } from './system/pyjson.js';
import { parseSections, section, sectionText } from './system/sections.js';

export const uriSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['url'],
  properties: {
    ...REQUEST_PROPS, method: STR, body: {}, body_format: { enum: ['raw', 'json', 'form-urlencoded', 'form-multipart'] },
    status_code: { anyOf: [{ type: ['integer', 'string'] }, { type: 'array', items: { type: ['integer', 'string'] } }] },
    return_content: BOOL, follow_redirects: { enum: ['all', 'no', 'none', 'safe', 'urllib2', 'yes'] },
    creates: STR, removes: STR, decompress: BOOL,
  },
} as const;

/** Body text and the Content-Type it implies, like ansible's uri body_format handling. */
function encodeBody(ctx: ModuleContext, headers: Record<string, string>): string | undefined {
  const a = ctx.args;
  if (a.body === undefined || a.body === null) return undefined;
  const fmt = str(a.body_format) ?? 'raw';
  const hasCt = Object.keys(headers).some((k) => k.toLowerCase() === 'content-type');
  if (fmt === 'json') {
    if (!hasCt) headers['Content-Type'] = 'application/json';
    return typeof a.body === 'string' ? a.body : pyJsonDumps(a.body);
  }
  if (fmt === 'form-urlencoded') {
    if (!hasCt) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    if (typeof a.body === 'string') return a.body;
    if (typeof a.body !== 'object' || Array.isArray(a.body)) throw new ModuleArgsError('failed to parse body as form_urlencoded: a dict is required', { where: ctx.loc });
    return urlencode(a.body as Record<string, unknown>);
  }
  if (fmt === 'form-multipart') throw new ModuleArgsError('body_format form-multipart is not supported by tsplay', { where: ctx.loc });
  return typeof a.body === 'string' ? a.body : pyJsonDumps(a.body);
}

/** creates/removes as a shell guard that ends the script early, printing a `skip` section. */
function guard(a: Readonly<Record<string, unknown>>): string {
  const c = str(a.creates);
  const r = str(a.removes);
  let out = '';
  if (c !== undefined) out += sh`if [ -e ${c} ]; then ${verbatim(section('skip', sh`echo ${`${c} exists`}`))}\nexit 0; fi\n`;
  if (r !== undefined) out += sh`if [ ! -e ${r} ]; then ${verbatim(section('skip', sh`echo ${`${r} does not exist`}`))}\nexit 0; fi\n`;
  return out;
}

/** ONE exec: curl on the host into a private temp dir; status, headers and body come back in sections. */
function requestScript(a: Readonly<Record<string, unknown>>): string {
  return [
    guard(a),
    `d=$(mktemp -d) || exit 90`, `trap 'rm -rf -- "$d"' EXIT`,
    `start=$(date +%s%N)`,
    `w=$(curl -K - -sS -D "$d/h" -o "$d/b" -w '%{http_code} %{num_redirects} %{size_download} %{url_effective}' 2>"$d/e"); rc=$?`,
    section('meta', `echo "$rc $(( ($(date +%s%N) - start) / 1000000000 )) $w"`),
    section('err', `cat "$d/e"`),
    section('head', `cat "$d/h" 2>/dev/null`),
    section('body', `base64 -w0 < "$d/b" 2>/dev/null; echo`),
  ].join('\n');
}

function statusList(v: unknown): number[] {
  if (v === undefined || v === null) return [200];
  const items = Array.isArray(v) ? v : String(v).split(',');
  return items.map((x) => Number(String(x).trim()));
}

function parseResponse(ctx: ModuleContext, req: CurlRequest, stdout: string): ModuleResult {
  const sec = parseSections(stdout);
  if (sec.has('skip')) return { changed: false, skipped: true, msg: `skipped, since ${sectionText(sec, 'skip')}` };
  const [rc, elapsed, code, redirects, , ...urlParts] = sectionText(sec, 'meta').split(' ');
  const head = parseHead(sec.get('head') ?? '');
  // curl's url_effective carries the credentials as userinfo: never echo them back
  const base = { url: (urlParts.join(' ') || req.url).replace(/^([a-z]+:\/\/)[^/@]*@/i, '$1'), elapsed: Number(elapsed ?? 0), redirected: Number(redirects ?? 0) > 0 };
  const wanted = statusList(ctx.args.status_code);
  if (rc !== '0' || head === undefined) {
    const why = sectionText(sec, 'err').replace(/^curl: \(\d+\) /, '');
    return { changed: false, ...base, status: -1, failed: !wanted.includes(-1), msg: `Status code was -1 and not [${wanted.join(', ')}]: Request failed: ${why}` };
  }
  const status = Number(code);
  const body = Buffer.from(sectionText(sec, 'body'), 'base64').toString('utf8');
  const cookies = head.cookies;
  const out: ModuleResult = {
    changed: false, ...head.headers, ...base, status, cookies, cookies_string: Object.entries(cookies).map(([k, v]) => `${k}=${v}`).join('; '),
    msg: `OK (${head.headers.content_length ?? 'unknown'} bytes)`,
  };
  if (bool(ctx.args.return_content, false)) out.content = body;
  if (/json/.test(head.headers.content_type ?? '')) {
    try { out.json = JSON.parse(body); } catch { /* like ansible: a body that is not JSON is simply not decoded */ }
  }
  if (!wanted.includes(status)) {
    out.failed = true;
    out.msg = `Status code was ${status} and not [${wanted.join(', ')}]: HTTP Error ${status}: ${reasonPhrase(status, head.reason)}`;
    if (status >= 400) { delete out.cookies; delete out.cookies_string; }
  }
  return out;
}

/** ansible.builtin.uri: the request runs on the host with curl, so it reaches what the host reaches. */
export const uri: ModuleDef = {
  name: 'uri',
  schema: uriSchema,
  supportsCheck: false,
  async run(ctx) {
    const a = ctx.args;
    const base = commonRequest(a, str(a.url)!, 'safe');
    const headers = { ...base.headers };
    const body = encodeBody(ctx, headers);
    const req: CurlRequest = { ...base, headers, body, method: (str(a.method) ?? 'GET').toUpperCase() };
    const res = await runScript(ctx, requestScript(a), curlConfig(req));
    if (res.rc !== 0) return { changed: false, failed: true, msg: `uri failed on the host: ${res.stderr.trim()}` };
    return parseResponse(ctx, req, res.stdout);
  },
};
