import type { ModuleDef } from '../types/module.js';
import { aliased, bool, BOOL, requireOneOf, STR, str } from './remote-file/args.js';
import { probe } from './remote-file/exec.js';
import type { ChecksumAlgorithm } from './remote-file/probe.js';
import { statDict } from './remote-file/statdict.js';

const ALGOS = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'] as const;

/** like ansible's stat: "type/sub; charset=x" from `file`, 'unknown' when it cannot tell. */
function mimeFields(text: string | undefined): { mimetype: string; charset: string } {
  const m = /^([^;]+);\s*charset=(\S+)/.exec(text ?? '');
  return m ? { mimetype: m[1]!.trim(), charset: m[2]!.trim() } : { mimetype: 'unknown', charset: 'unknown' };
}

/** ansible.builtin.stat: everything from ONE remote command (stat, checksum, access). */
export const stat: ModuleDef = {
  name: 'stat',
  schema: {
    type: 'object',
    additionalProperties: false,
    ...requireOneOf(['path', 'dest', 'name']),
    properties: {
      path: STR, dest: STR, name: STR, follow: BOOL, get_checksum: BOOL, get_md5: BOOL,
      checksum_algorithm: { enum: ALGOS }, checksum: { enum: ALGOS }, checksum_algo: { enum: ALGOS },
      get_mime: BOOL, mime: BOOL, mime_type: BOOL, mime_type_get: BOOL, get_attributes: BOOL, attr: BOOL, attributes: BOOL,
    },
  },
  supportsCheck: true,
  async run(ctx) {
    const a = ctx.args;
    const path = aliased(a, ['path', 'dest', 'name'])!;
    const algo = (str(a.checksum_algorithm ?? a.checksum ?? a.checksum_algo) ?? 'sha1') as ChecksumAlgorithm;
    const getMime = bool(a.get_mime ?? a.mime ?? a.mime_type ?? a.mime_type_get, true);
    const [st] = await probe(ctx, [{ path, follow: bool(a.follow, false), access: true, checksum: bool(a.get_checksum, true) ? algo : undefined, mime: getMime }]);
    if (!st!.exists) return { changed: false, stat: { exists: false } };
    return { changed: false, stat: { ...statDict(st!), ...(getMime ? mimeFields(st!.mime) : {}) } };
  },
};
