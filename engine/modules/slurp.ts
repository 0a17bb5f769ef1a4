import type { ModuleDef } from '../types/module.js';
import { aliased, requireOneOf, STR } from './remote-file/args.js';
import { probe } from './remote-file/exec.js';

/** ansible.builtin.slurp: the file's bytes as base64, in one round trip. */
export const slurp: ModuleDef = {
  name: 'slurp',
  schema: { type: 'object', additionalProperties: false, ...requireOneOf(['src', 'path']), properties: { src: STR, path: STR } },
  supportsCheck: true,
  async run(ctx) {
    const src = aliased(ctx.args, ['src', 'path'])!;
    const [st] = await probe(ctx, [{ path: src, content: true }]);
    if (!st!.exists) return { changed: false, failed: true, msg: `file not found: ${src}` };
    if (st!.type === 'directory') return { changed: false, failed: true, msg: `source is a directory and must be a file: ${src}` };
    if (st!.content === undefined) return { changed: false, failed: true, msg: `file is not readable: ${src}` };
    return { changed: false, content: st!.content.toString('base64'), encoding: 'base64', source: src };
  },
};
