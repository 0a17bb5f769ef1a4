import { describe, expect, it } from 'vitest';
import { Linear } from '../../../engine/run/linear.js';
import type { Step } from '../../../engine/run/steps.js';
import { serialBatches } from '../../../engine/run/batches.js';
import { tagsSelected } from '../../../engine/run/tags.js';

describe('Linear strategy barrier', () => {
  it('runs the earliest position first and groups hosts on the same step', async () => {
    const ran: string[] = [];
    const ls = new Linear(['a', 'b', 'c'], async (group) => {
      ran.push(`${group[0]!.key}:${group.map((g) => g.host).join(',')}`);
      for (const g of group) g.resolve({ kind: 'done' });
    });
    const flush: Step = { kind: 'flush' };
    const walker = async (host: string, steps: [number[], string][]) => {
      try {
        for (const [pos, name] of steps) await ls.request(host, pos, name, flush);
      } finally {
        ls.leave(host);
      }
    };
    // b is in a rescue section ([1,1,0]) while a and c move on to [2]: the rescue runs first.
    await Promise.all([
      walker('a', [[[1, 0, 0], 't1'], [[2], 't2']]),
      walker('b', [[[1, 0, 0], 't1'], [[1, 1, 0], 'rescue'], [[2], 't2']]),
      walker('c', [[[1, 0, 0], 't1'], [[2], 't2']]),
    ]);
    expect(ran).toEqual(['t1:a,b,c', 'rescue:b', 't2:a,b,c']);
  });
});

describe('serial batches', () => {
  const hosts = ['h1', 'h2', 'h3', 'h4', 'h5'];
  const where = { file: 'x', line: 1, col: 1 };
  it.each([
    [undefined, [['h1', 'h2', 'h3', 'h4', 'h5']]],
    [2, [['h1', 'h2'], ['h3', 'h4'], ['h5']]],
    ['40%', [['h1', 'h2'], ['h3', 'h4'], ['h5']]],
    [[1, 3], [['h1'], ['h2', 'h3', 'h4'], ['h5']]],
    [['20%', 2], [['h1'], ['h2', 'h3'], ['h4', 'h5']]],
  ])('serial %j', (serial, expected) => {
    expect(serialBatches(hosts, serial, where)).toEqual(expected);
  });
  it('rejects nonsense', () => {
    expect(() => serialBatches(hosts, 'many', where)).toThrow(/invalid serial value/);
  });
});

describe('tag selection (ansible evaluate_tags)', () => {
  it.each([
    [[], [], [], true],
    [['never'], [], [], false],
    [['never', 'x'], ['x'], [], true],
    [['always'], ['other'], [], true],
    [['always'], [], ['always'], false],
    [['a'], ['b'], [], false],
    [['a'], ['tagged'], [], true],
    [[], ['untagged'], [], true],
    [['a'], [], ['a'], false],
    [['always'], [], ['all'], true],
  ])('task %j with --tags %j --skip-tags %j → %s', (tags, only, skip, expected) => {
    expect(tagsSelected(new Set(tags), only, skip)).toBe(expected);
  });
});
