import { describe, expect, it } from 'vitest';
import { Templar } from '../../../engine/template/index.js';
import { LAYER_ORDER, type VarLayerEntry } from '../../../engine/vars/layers.js';
import { LazyVars, varsObjectView } from '../../../engine/vars/var-source.js';

const templar = new Templar();

describe('LazyVars', () => {
  it('the highest layer wins and provenance lists every layer that set the name', () => {
    const layers: VarLayerEntry[] = [
      { layer: 'role_defaults', source: 'role r defaults', vars: { x: 'default' } },
      { layer: 'inventory', source: 'group_vars/all.yml', vars: { x: 'inventory' } },
      { layer: 'play_vars', source: 'play vars', vars: { x: 'play' } },
    ];
    const v = new LazyVars(layers, templar);
    expect(v.get('x')).toBe('play');
    expect(v.explain('x').map((p) => p.source)).toEqual(['role r defaults', 'group_vars/all.yml', 'play vars']);
  });

  it('templates lazily, in the context of the resolving layer stack', () => {
    const v = new LazyVars(
      [
        { layer: 'role_defaults', source: 'd', vars: { url: 'http://{{ host }}:{{ port }}', port: 80 } },
        { layer: 'extra_vars', source: 'e', vars: { host: 'mirror', port: 8080 } },
      ],
      templar,
    );
    expect(v.get('url')).toBe('http://mirror:8080');
  });

  it('a self-referencing variable fails with the chain instead of recursing', () => {
    const v = new LazyVars([{ layer: 'play_vars', source: 'p', vars: { a: '{{ b }}', b: '{{ a }}' } }], templar);
    expect(() => v.get('a')).toThrow(/recursive loop detected in template: a -> b -> a/);
  });

  it('final layers are never templated again (registered results keep their braces)', () => {
    const v = new LazyVars([{ layer: 'set_fact', source: 'r', vars: { out: { stdout: '{{ x }}' } }, final: true }], templar);
    expect(v.get('out')).toEqual({ stdout: '{{ x }}' });
  });

  it('the object view supports `in`, keys and lazy reads', () => {
    const v = new LazyVars([{ layer: 'play_vars', source: 'p', vars: { a: 1, b: '{{ a + 1 }}' } }], templar);
    const view = varsObjectView(() => v);
    expect('a' in view).toBe(true);
    expect('zz' in view).toBe(false);
    expect(Object.keys(view).sort()).toEqual(['a', 'b']);
    expect(view.b).toBe('2');
  });

  it('the precedence table keeps ansible order for the layers people trip over', () => {
    const rank = (n: (typeof LAYER_ORDER)[number]) => LAYER_ORDER.indexOf(n);
    expect(rank('role_defaults')).toBeLessThan(rank('inventory'));
    expect(rank('inventory')).toBeLessThan(rank('facts'));
    expect(rank('play_vars')).toBeLessThan(rank('vars_files'));
    expect(rank('vars_files')).toBeLessThan(rank('role_vars'));
    expect(rank('task_vars')).toBeLessThan(rank('include_vars'));
    expect(rank('include_vars')).toBeLessThan(rank('set_fact'));
    expect(rank('set_fact')).toBeLessThan(rank('role_params'));
    expect(rank('include_params')).toBeLessThan(rank('extra_vars'));
  });
});
