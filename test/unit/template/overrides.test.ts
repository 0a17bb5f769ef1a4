import { describe, expect, test } from 'vitest';
import { Templar } from '../../../engine/template/index.js';
import { TemplateError } from '../../../engine/errors/index.js';
import { applyHeaderOverrides } from '../../../engine/template/overrides.js';
import { varsOf } from './helpers.js';

// What the oracle tables (cases/template-overrides) cannot show: tsplay's own refusals.
describe('#jinja2: header overrides', () => {
  const base = { trimBlocks: true, lstripBlocks: false, escapeBackslashes: false };

  test('an environment attribute tsplay does not implement is refused by name, with the supported ones', () => {
    let err: unknown;
    try {
      new Templar().renderText('#jinja2: autoescape: True\n{{ v }}\n', varsOf({ v: '<b>' }));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TemplateError);
    expect((err as TemplateError).message).toBe("the jinja2 override 'autoescape' is not supported by tsplay");
    expect((err as TemplateError).hint).toContain('line_statement_prefix');
  });

  test('a value that is not a Python literal is an error, not a string', () => {
    expect(() => applyHeaderOverrides('#jinja2: trim_blocks: Nope\nx', base)).toThrow(/malformed jinja2 override value for 'trim_blocks'/);
  });

  test('the header line is removed and the options set; the caller options stay as they were', () => {
    const r = applyHeaderOverrides("#jinja2: lstrip_blocks: True, variable_start_string: '[['\nbody\n", base);
    expect(r.body).toBe('body\n');
    expect(r.opts).toMatchObject({ lstripBlocks: true, delimiters: { variableStart: '[[' } });
    expect(base.lstripBlocks).toBe(false);
  });

  test('a text without the header is untouched', () => {
    const r = applyHeaderOverrides('x\n#jinja2: trim_blocks: False\n', base);
    expect(r).toEqual({ body: 'x\n#jinja2: trim_blocks: False\n', opts: base });
  });
});
