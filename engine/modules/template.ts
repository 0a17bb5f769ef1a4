import { decodeUtf8 } from '../source/utf8.js';
import { readFile } from 'node:fs/promises';
import { readControllerFile } from '../source/vault-text.js';
import type { ModuleDef, TemplateFileOptions } from '../types/module.js';
import { bool, BOOL, STR, str } from './remote-file/args.js';
import { readAttrArgs, withPreservedMode } from './remote-file/attrs.js';
import { basename } from './remote-file/exec.js';
import { placeContent } from './remote-file/place.js';
import { encodeText } from '../python/codecs.js';
import { ModuleFailure } from '../errors/index.js';
import { copySchema } from './copy.js';

export const templateSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['src', 'dest'],
  properties: {
    ...copySchema.properties,
    // like ansible's template action: the escaped spellings ('\r\n' in single quotes) are accepted too
    newline_sequence: { enum: ['\n', '\r', '\r\n', '\\n', '\\r', '\\r\\n'] },
    trim_blocks: BOOL, lstrip_blocks: BOOL,
    output_encoding: STR,
    block_start_string: STR, block_end_string: STR, variable_start_string: STR, variable_end_string: STR,
    comment_start_string: STR, comment_end_string: STR,
  },
} as const;

/** like ansible's template action: the per-template Jinja2 delimiter overrides */
function delimiters(a: Readonly<Record<string, unknown>>): TemplateFileOptions['delimiters'] {
  const pick = (k: string): string | undefined => str(a[k]);
  return {
    blockStart: pick('block_start_string'), blockEnd: pick('block_end_string'),
    variableStart: pick('variable_start_string'), variableEnd: pick('variable_end_string'),
    commentStart: pick('comment_start_string'), commentEnd: pick('comment_end_string'),
  };
}

/** ansible.builtin.template: renders on the controller, then places the bytes like copy. */
export const template: ModuleDef = {
  name: 'template',
  schema: templateSchema,
  supportsCheck: true,
  async run(ctx) {
    const a = ctx.args;
    const srcPath = ctx.findFile('templates', str(a.src)!);
    const dest = str(a.dest)!;
    const text = decodeUtf8(readControllerFile(await readFile(srcPath), srcPath, ctx.vault), srcPath);
    // defaults like ansible: trim_blocks on, lstrip_blocks off; the template_* vars describe this file
    const out = ctx.templating.renderFile(text, {
      trimBlocks: bool(a.trim_blocks, true), lstripBlocks: bool(a.lstrip_blocks, false), delimiters: delimiters(a),
      file: { src: str(a.src)!, path: srcPath, dest },
      // like ansible's template action: the Jinja2 environment's newline_sequence (template text only)
      newlineSequence: (str(a.newline_sequence) ?? '\n').replace(/\\([rn])/g, (_m, c: string) => (c === 'r' ? '\r' : '\n')) as '\n' | '\r' | '\r\n',
    });
    const encoded = encodeText(out, str(a.output_encoding) || 'utf-8');
    if (!encoded.ok) throw new ModuleFailure(encoded.message);
    return placeContent(ctx, {
      dest, basename: basename(srcPath), data: encoded.bytes, srcLabel: srcPath,
      attrs: withPreservedMode(readAttrArgs(a), srcPath), backup: bool(a.backup, false), force: bool(a.force, true), validate: str(a.validate),
    });
  },
};
