import { TemplateError } from '../../errors/index.js';
import { splitArgs } from '../python/args.js';
import { pyStr } from '../python/repr.js';
import type { FilterTable } from './types.js';

/** ansible's predefined comment styles (plugins/filter/core.py comment_styles). */
const STYLES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  plain: { decoration: '# ' },
  erlang: { decoration: '% ' },
  c: { decoration: '// ' },
  cblock: { beginning: '/*', decoration: ' * ', end: ' */' },
  xml: { beginning: '<!--', decoration: ' - ', end: '-->' },
};

/** ansible's comment(text, style='plain', **kw): the text as a comment block, piece by piece like ansible. */
function comment(text: unknown, ...args: unknown[]): string {
  const { pos, kw } = splitArgs(args);
  const style = pyStr(kw.style ?? pos[0] ?? 'plain');
  const styleParams = STYLES[style];
  if (!styleParams) throw new TemplateError(`'${style}'`, { hint: `Available styles: ${Object.keys(STYLES).join(', ')}` });
  const prepostfix = pyStr('decoration' in kw ? kw.decoration : styleParams.decoration);
  const given = Object.fromEntries(Object.entries(kw).filter(([k]) => k !== 'style'));
  const p: Record<string, unknown> = {
    newline: '\n', beginning: '', prefix: prepostfix.trimEnd(), prefix_count: 1,
    decoration: '', postfix: prepostfix.trimEnd(), postfix_count: 1, end: '',
    ...styleParams, ...given,
  };
  const s = (k: string): string => pyStr(p[k]);
  const nl = s('newline');
  const beginning = s('beginning') ? s('beginning') + nl : '';
  let prefix = '';
  if (s('prefix')) prefix = (s('prefix') !== nl ? s('prefix') + nl : nl).repeat(Math.max(0, Number(p.prefix_count)));
  const deco = s('decoration');
  const body = (deco + pyStr(text).split(nl).join(nl + deco)).split(deco + nl).join(deco.trimEnd() + nl);
  const postfix = ['', ...Array.from({ length: Math.max(0, Number(p.postfix_count)) }, () => s('postfix'))].join(nl);
  const end = s('end') ? nl + s('end') : '';
  return beginning + prefix + body + postfix + end;
}

export const commentFilters: FilterTable = { comment };
