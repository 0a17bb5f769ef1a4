import { describe, expect, it } from 'vitest';
import { parseKv, splitArgs } from '../../../engine/model/kv-args.js';

describe('k=v arguments', () => {
  it.each([
    ['src=a dest=/tmp/b', { src: 'a', dest: '/tmp/b' }],
    ['msg="hello world" x=1', { msg: 'hello world', x: '1' }],
    ["msg='{{ a }} {{ b }}'", { msg: '{{ a }} {{ b }}' }],
    ['msg={{ a | default("x y") }}', { msg: '{{ a | default("x y") }}' }],
  ])('%s', (text, expected) => {
    expect(parseKv(text)).toEqual(expected);
  });

  it('free-form modules keep the command text and only lift their own options', () => {
    expect(parseKv('echo a=b chdir=/tmp', new Set(['chdir']))).toEqual({ chdir: '/tmp', _raw_params: 'echo a=b' });
  });

  it('splits like ansible: quotes and jinja keep words together', () => {
    expect(splitArgs(`a "b c" {{ d e }} 'f g'`)).toEqual(['a', '"b c"', '{{ d e }}', "'f g'"]);
  });
});
