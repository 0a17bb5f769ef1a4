import { runScript } from './remote-file/exec.js';
import { randomBytes } from 'node:crypto';
import { ModuleArgsError } from '../errors/index.js';
import { sh } from '../transport/shell.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types/module.js';
import { bool, BOOL, FILE_ATTR_PROPS, STR, str } from './remote-file/args.js';
import { attrChanges, attrCommands, fileResultFields, hasChanges, readAttrArgs, type AttrChanges } from './remote-file/attrs.js';
import { backupName, basename, dirname } from './remote-file/exec.js';
import { parseProbe, probeScript, type ProbeItem, type ProbeResult, type RemoteStat } from './remote-file/probe.js';
import { digestFromLines, parseChecksumArg, urlFilename, type ChecksumSpec } from './system/checksum.js';
import { commonRequest, curlConfig, REQUEST_PROPS, type CurlRequest } from './system/curl.js';
import { parseSections, section, sectionText } from './system/sections.js';
import { failed } from './system/result.js';

export const getUrlSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['url', 'dest'],
  properties: {
    ...REQUEST_PROPS, dest: STR, checksum: STR, force: BOOL, thirsty: BOOL, backup: BOOL, tmp_dest: STR,
    sha256sum: STR, decompress: BOOL, validate_certs: BOOL, follow_redirects: STR,
    /** tsplay extra: retry transient curl failures on the host (ansible has only the task keyword). */
    retries: { type: ['integer', 'string'] },
    ...FILE_ATTR_PROPS,
  },
} as const;

interface Plan {
  readonly dest: string;
  readonly st: ProbeResult;
  readonly parentExists: boolean;
  /** Expected digest (already resolved from a checksum file) or undefined. */
  readonly digest?: string;
  readonly algorithm?: ProbeItem['checksum'];
}

/** ONE round trip: dest (and dest/NAME for a directory dest), its parent, the checksum file. */
async function plan(ctx: ModuleContext, req: CurlRequest, destArg: string, ck: ChecksumSpec): Promise<Plan | { readonly fail: ModuleResult }> {
  const algorithm = ck.kind === 'none' ? undefined : ck.algorithm;
  const inner = `${destArg.replace(/\/+$/, '')}/${urlFilename(req.url)}`;
  const items: ProbeItem[] = [{ path: destArg, follow: true, checksum: algorithm }, { path: inner, follow: true, checksum: algorithm }, { path: dirname(destArg) }];
  const fetchSum = ck.kind === 'url' ? section('sum', `curl -K - -fsS || echo "@@FAILED $?"`) + '\n' : '';
  const stdin = ck.kind === 'url' ? curlConfig({ ...req, url: ck.url }) : undefined;
  const res = await runScript(ctx, `${fetchSum}${section('probe', probeScript(items))}`, stdin);
  const sec = parseSections(res.stdout);
  const [d, in_, parent] = parseProbe(items, sec.get('probe') ?? '');
  const isDir = destArg.endsWith('/') || (d!.exists && d!.type === 'directory');
  const dest = isDir ? inner : destArg;
  const st = isDir ? in_! : d!;
  let digest = ck.kind === 'value' ? ck.value : undefined;
  if (ck.kind === 'url') {
    const text = sectionText(sec, 'sum');
    if (/@@FAILED \d+$/.test(text)) return { fail: failed(`Request failed for checksum file ${ck.url}: ${res.stderr.trim()}`, { url: req.url, dest }) };
    digest = digestFromLines(text, urlFilename(req.url));
    if (digest === undefined) return { fail: failed(`Unable to find a checksum for file '${urlFilename(req.url)}' in '${ck.url}'`, { url: req.url, dest }) };
  }
  if (digest !== undefined && !/^[0-9a-f]+$/.test(digest)) return { fail: failed('The checksum format is invalid', { url: req.url, dest }) };
  return { dest, st, parentExists: isDir || parent!.exists, digest, algorithm };
}

const RC = { curl: 91, notModified: 92, mismatch: 93, same: 94, tmp: 90, wouldChange: 95 } as const;

/** The download as one script: temp file in dest's directory, verify, compare, rename. */
function downloadScript(p: Plan, changes: AttrChanges, opts: { retries: number; backup: boolean; force: boolean; http: boolean; checkOnly: boolean }): string {
  const tmpPath = `${dirname(p.dest)}/.${basename(p.dest)}.tsplay-${randomBytes(6).toString('hex')}`;
  const existing = p.st.exists && p.st.type === 'file' ? p.st : undefined;
  const keep = existing === undefined
    ? ['chmod "$(printf %o $(( 0666 & ~$(umask) )))" -- "$tmp"']
    : [`chown ${existing.uid}:${existing.gid} -- "$tmp" 2>/dev/null || true`, `chmod ${(existing.mode & 0o7777).toString(8)} -- "$tmp"`];
  // If-Modified-Since only means something to HTTP; for file:// curl would write 0 bytes.
  const timeCond = existing !== undefined && !opts.force && opts.http ? sh` -z ${p.dest}` : '';
  const retry = opts.retries > 0 ? ` --retry ${opts.retries} --retry-connrefused` : '';
  const verify = p.digest === undefined ? [] : [
    `sum=$(${p.algorithm}sum < "$tmp" | cut -d' ' -f1); echo "sum=$sum"`,
    sh`[ "$sum" = ${p.digest} ] || exit ${RC.mismatch}`,
  ];
  return [
    sh`tmp=${tmpPath}`,
    `trap 'rm -f -- "$tmp"' EXIT`,
    `: > "$tmp" || exit ${RC.tmp}`,
    sh`[ -f ${p.dest} ] && echo "dsha1=$(sha1sum < ${p.dest} | cut -d' ' -f1)"`,
    `start=$(date +%s%N)`,
    `code=$(curl -K - -fsS -o "$tmp" -w '%{http_code} %{size_download}'${retry}${timeCond}); rc=$?`,
    `echo "code=$code"; echo "elapsed=$(( ($(date +%s%N) - start) / 1000000000 ))"`,
    `[ $rc = 0 ] || exit ${RC.curl}`,
    `case "$code" in 304*) exit ${RC.notModified};; esac`,
    `echo "sha1=$(sha1sum < "$tmp" | cut -d' ' -f1)"`,
    ...verify,
    ...(opts.checkOnly
      // like ansible's check mode: download to compare, change nothing
      ? [sh`if [ -f ${p.dest} ] && cmp -s -- "$tmp" ${p.dest}; then exit ${RC.same}; fi`, `exit ${RC.wouldChange}`]
      : []),
    sh`if [ -f ${p.dest} ] && cmp -s -- "$tmp" ${p.dest}; then`, ...attrCommands(p.dest, changes), `${probeScript([{ path: p.dest, checksum: 'md5' }])}; exit ${RC.same}; fi`,
    ...(opts.backup && existing !== undefined ? [sh`cp -p -- ${p.dest} ${backupName(p.dest)} && echo ${`backup=${backupName(p.dest)}`}`] : []),
    ...keep, ...attrCommands(tmpPath, changes),
    sh`mv -f -- "$tmp" ${p.dest}`, probeScript([{ path: p.dest, checksum: 'md5' }]),
  ].join('\n');
}

function kv(stdout: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of stdout.matchAll(/^(\w+)=(.*)$/gm)) out[m[1]!] ??= m[2]!;
  return out;
}

async function download(ctx: ModuleContext, req: CurlRequest, p: Plan, changes: AttrChanges, checkOnly: boolean): Promise<ModuleResult> {
  const a = ctx.args;
  // like ansible: an existing dest whose checksum does not match is downloaded again (no
  // If-Modified-Since, which would answer 304 and keep the wrong file)
  const mismatched = p.digest !== undefined && p.st.exists && p.st.type === 'file';
  const script = downloadScript(p, changes, {
    retries: Number(a.retries ?? 0), backup: bool(a.backup, false), force: bool(a.force ?? a.thirsty, false) || mismatched,
    http: /^https?:/i.test(req.url), checkOnly,
  });
  const res = await runScript(ctx, script, curlConfig(req));
  const v = kv(res.stdout.split('@@TSPLAY-PROBE')[0]!);
  const [code, bytes] = (v.code ?? '000 0').split(' ');
  const status = code === '000' ? null : Number(code);
  const base = { url: req.url, dest: p.dest, elapsed: Number(v.elapsed ?? 0), checksum_dest: v.dsha1 ?? null, checksum_src: v.sha1 ?? null, status_code: status };
  switch (res.rc) {
    case RC.curl: return failed('Request failed', { ...base, response: res.stderr.trim() });
    case RC.tmp: return failed(`Destination ${dirname(p.dest)} is not writable: ${res.stderr.trim()}`, base);
    case RC.mismatch: return failed(`The checksum for ${p.dest} did not match ${p.digest}; it was ${v.sum}.`, base);
    case RC.notModified: return { changed: hasChanges(changes), ...base, msg: 'Not Modified', ...fileResultFields(p.st as RemoteStat) };
    // like ansible's check mode: the download happened (to a temp file); dest is reported as it is
    case RC.wouldChange: return { changed: true, ...base, msg: `OK (${bytes} bytes)`, ...(p.st.exists ? fileResultFields(p.st as RemoteStat) : {}) };
    case 0: case RC.same:
      if (checkOnly) return { changed: hasChanges(changes), ...base, msg: `OK (${bytes} bytes)`, ...(p.st.exists ? fileResultFields(p.st as RemoteStat) : {}) };
      break;
    default: return failed(`download of ${req.url} failed: ${res.stderr.trim()}`, base);
  }
  const [after] = parseProbe([{ path: p.dest }], res.stdout);
  if (after === undefined || !after.exists) return failed(`${p.dest} missing after download`, base);
  const changed = res.rc === 0 || hasChanges(changes);
  const out: ModuleResult = { changed, ...base, msg: `OK (${bytes ?? after.size} bytes)`, md5sum: after.checksum, ...fileResultFields(after) };
  if (v.backup !== undefined) out.backup_file = v.backup;
  return out;
}

/** ansible.builtin.get_url: curl on the host; a matching checksum means no download at all. */
export const get_url: ModuleDef = {
  name: 'get_url',
  schema: getUrlSchema,
  supportsCheck: true,
  async run(ctx) {
    const a = ctx.args;
    // curl wants a file:// path URL-encoded; ansible's open_url takes it as written
    const url = str(a.url)!.replace(/^file:\/\/.*/i, (u) => u.replace(/ /g, '%20'));
    const ck = parseChecksumArg(str(a.checksum) ?? (a.sha256sum === undefined ? undefined : `sha256:${String(a.sha256sum)}`));
    if (typeof ck === 'string') throw new ModuleArgsError(ck, { where: ctx.loc });
    const req = { ...commonRequest(a, url, 'safe'), timeoutSec: Number(a.timeout ?? 10) };
    const p = await plan(ctx, req, str(a.dest)!, ck);
    if ('fail' in p) return p.fail;
    if (!p.parentExists) return failed(`Destination ${dirname(p.dest)} does not exist`, { url, dest: p.dest });
    const existing = p.st.exists && p.st.type === 'file' ? p.st : undefined;
    const changes = attrChanges(readAttrArgs(a), existing, false);
    const force = bool(a.force ?? a.thirsty, false);
    // like ansible: an existing dest whose checksum matches is never downloaded again
    if (existing !== undefined && !force && p.digest !== undefined && existing.checksum === p.digest) {
      return keepExisting(ctx, url, existing, changes);
    }
    // the download rides in one round trip with its checks: the gate says whether dest may change
    const apply = ctx.mayChange(`download ${url} to ${p.dest}`);
    if (!apply && existing === undefined) return { changed: true, url, dest: p.dest, msg: 'would download' };
    return download(ctx, req, p, changes, !apply);
  },
};

async function keepExisting(ctx: ModuleContext, url: string, st: RemoteStat, changes: AttrChanges): Promise<ModuleResult> {
  const base = { url, dest: st.path, elapsed: 0, checksum_dest: null, checksum_src: null };
  if (!hasChanges(changes)) return { changed: false, ...base, msg: 'file already exists', ...fileResultFields(st) };
  const done = await ctx.change(`set the attributes of ${st.path}`, ['set -e', ...attrCommands(st.path, changes), probeScript([{ path: st.path }])].join('\n'));
  if (!done.applied) return { changed: true, ...base, msg: 'file already exists but file attributes changed', ...fileResultFields(st) };
  const res = done.value;
  if (res.rc !== 0) return failed(res.stderr.trim(), base);
  const [after] = parseProbe([{ path: st.path }], res.stdout);
  return { changed: true, ...base, msg: 'file already exists but file attributes changed', ...fileResultFields(after as RemoteStat) };
}
