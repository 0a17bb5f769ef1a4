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

  // expected values printed by ansible-core 2.14.18's own split_args / parse_kv(check_raw=True)
  it.each([
    ['echo a \\\nb "c\nd" |  x\necho 2\n', ['echo', 'a', 'b', '"c\nd"', '| ', 'x\n', 'echo', '2\n'], 'echo a b "c\nd" |  x\necho 2\n'],
    ['a=1\nb="x y"\n', ['a=1\n', 'b="x y"\n'], 'a=1\nb="x y"\n'],
    ['{{ a\n}} b', ['{{ a\n}}', 'b'], '{{ a\n}} b'],
  ])('split_args/join_args keep lines like ansible: %j', (text, words, raw) => {
    expect(splitArgs(text)).toEqual(words);
    expect(parseKv(text, new Set(['chdir']))).toEqual({ _raw_params: raw });
  });
});
