import { describe, expect, it } from 'vitest';
import { pyLiteralOrString } from '../../../engine/python/literal-eval.js';
import { expandHostPattern } from '../../../engine/inventory/ranges.js';
import { shlexSplit } from '../../../engine/python/shlex.js';

// Expected values printed by ansible-core 2.14.18's BaseInventoryPlugin._expand_hostpattern
// and Python 3.11's ast.literal_eval (what the INI plugin applies to every value).
const RANGES: ReadonlyArray<readonly [string, readonly string[], number | null]> = [
  ['node[01:10]', ['node01', 'node02', 'node03', 'node04', 'node05', 'node06', 'node07', 'node08', 'node09', 'node10'], null],
  ['node[1:10:2]', ['node1', 'node3', 'node5', 'node7', 'node9'], null],
  ['db[a:c]', ['dba', 'dbb', 'dbc'], null],
  ['x[0:2]-y[a:b]', ['x0-ya', 'x0-yb', 'x1-ya', 'x1-yb', 'x2-ya', 'x2-yb'], null],
  ['host[1:3].example.com:2222', ['host1.example.com', 'host2.example.com', 'host3.example.com'], 2222],
  ['[::1]:22', ['::1'], 22],
  ['10.0.[1:2].5', ['10.0.1.5', '10.0.2.5'], null],
  ['node[5:3]', [], null],
  ['web[:2]', ['web0', 'web1', 'web2'], null],
  ['node[A:C]', ['nodeA', 'nodeB', 'nodeC'], null],
  ['192.168.1.1:22', ['192.168.1.1'], 22],
  ['plain', ['plain'], null],
  ['h:22', ['h'], 22],
];

const LITERALS: ReadonlyArray<readonly [string, unknown]> = [
  ['5', 5], ['True', true], ['yes', 'yes'], ['007', '007'], ['0o17', 15], ['0b101', 5], ['1_000', 1000],
  ['1e3', 1000], ['-3', -3], ['"a" "b"', 'ab'], ["u'x'", 'x'], ["r'a\\\\nb'", 'a\\\\nb'], ['(1,)', [1]], ['(1)', 1],
  ['{1,2}', [1, 2]], ['{"a": [1, {"b": None}]}', { a: [1, { b: null }] }], ['hello # c', 'hello # c'], ['5 # c', 5],
  ['[1, 2,]', [1, 2]], ['f"x"', 'f"x"'], ['1+2', '1+2'], ['abc', 'abc'], ['""', ''], ['0', 0],
];

describe('host ranges and ports', () => {
  for (const [pattern, hosts, port] of RANGES) {
    it(`${pattern} -> ${hosts.length} host(s)${port === null ? '' : ` port ${port}`}`, () => {
      expect(expandHostPattern(pattern)).toEqual({ hostnames: hosts, port: port ?? undefined });
    });
  }
});

describe('INI values are Python literals or strings', () => {
  for (const [text, value] of LITERALS) {
    it(`${text} -> ${JSON.stringify(value)}`, () => {
      expect(pyLiteralOrString(text)).toEqual(value);
    });
  }
});

describe('host lines are split like shlex (posix, comments)', () => {
  it.each([
    ['web1 a=1 b="x y"', ['web1', 'a=1', 'b=x y']],
    ["web1 a='\"5\"'", ['web1', 'a="5"']],
    ['web1 a=b#c d=e', ['web1', 'a=b']],
    ['web1 a="#not comment"', ['web1', 'a=#not comment']],
    ['web1 a=x\\ y', ['web1', 'a=x y']],
  ] as const)('%s', (line, tokens) => {
    expect(shlexSplit(line, { comments: true })).toEqual(tokens);
  });
});
