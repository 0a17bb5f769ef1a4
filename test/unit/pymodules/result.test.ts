import { describe, expect, it } from 'vitest';
import { filterNonJsonLines, mapModuleOutput } from '../../../engine/pymodules/result.js';

const exec = (stdout: string, stderr = '', rc = 0) => ({ stdout, stderr, rc });

describe('mapModuleOutput (ansible _execute_module / _parse_returned_data)', () => {
  it('drops junk around the JSON like _filter_non_json_lines', () => {
    expect(filterNonJsonLines('motd\n{"a": 1}\ntrailer')).toEqual({ json: '{"a": 1}', junkAfter: ['trailer'] });
    expect(filterNonJsonLines('no json here')).toBeUndefined();
  });

  it('maps a result: internal keys removed, lines split, facts as an effect, diff headers renamed', () => {
    const r = mapModuleOutput(exec(JSON.stringify({
      changed: true, stdout: 'a\nb\n', _ansible_no_log: false, warnings: [],
      ansible_facts: { services: { x: 1 }, discovered_interpreter_python: '/usr/bin/python3' },
      diff: { before: 'x\n', after: 'y\n', before_header: 'f (content)' },
    })));
    expect(r.changed).toBe(true);
    expect(r.stdout_lines).toEqual(['a', 'b']);
    expect('_ansible_no_log' in r).toBe(false);
    expect('warnings' in r).toBe(false);
    expect(r.ansible_facts).toEqual({ services: { x: 1 } });
    expect(r.effects).toEqual([{ kind: 'facts', facts: { services: { x: 1 } } }]);
    expect(r.diff).toEqual({ before: 'x\n', after: 'y\n', beforeHeader: 'f (content)' });
  });

  it('renames a non-list results key and treats truthy failed as failed', () => {
    const r = mapModuleOutput(exec('{"results": "text", "failed": 1}'));
    expect(r.ansible_module_results).toBe('text');
    expect(r.failed).toBe(true);
  });

  it('reports MODULE FAILURE with the traceback when no JSON came back', () => {
    const r = mapModuleOutput(exec('', 'Traceback (most recent call last):\n boom', 1));
    expect(r).toMatchObject({ failed: true, rc: 1, msg: 'MODULE FAILURE\nSee stdout/stderr for the exact error', exception: 'Traceback (most recent call last):\n boom' });
  });

  it('says to set the interpreter when no python was found', () => {
    expect(String(mapModuleOutput(exec('', 'tsplay: no python interpreter found\n', 127)).msg)).toMatch(/^The module failed to execute correctly, you probably need to set the interpreter\./);
  });
});
