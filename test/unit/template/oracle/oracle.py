#!/usr/bin/env python3
"""Runs template cases through real ansible-core and prints what it observed.

Used to write the expectations in test/unit/template/*.test.ts (never run by vitest).
stdin: JSON list of {"id", "mode": template|when|var|text, "expr", "vars"?, "opts"?}
stdout: JSON {id: {"value": ...} | {"error": msg}}; floats keep their ".0" via "pyrepr".
"""
import json, os, subprocess, sys, tempfile

def task_for(case, tmp):
    mode, expr = case['mode'], case['expr']
    t = {'name': case['id'], 'ignore_errors': True, 'vars': case.get('vars', {})}
    if mode == 'template':
        t['debug'] = {'msg': expr}
    elif mode == 'when':
        t['debug'] = {'msg': 'ran'}
        t['when'] = expr
    elif mode == 'var':
        t['debug'] = {'var': expr}
    elif mode == 'text':
        src = os.path.join(tmp, case['id'] + '.j2')
        with open(src, 'w') as f:
            f.write(expr)
        t['template'] = dict({'src': src, 'dest': src + '.out'}, **case.get('opts', {}))
    return t

def main():
    cases = json.load(sys.stdin)
    with tempfile.TemporaryDirectory() as tmp:
        play = [{'hosts': 'localhost', 'gather_facts': False, 'tasks': [task_for(c, tmp) for c in cases]}]
        pb = os.path.join(tmp, 'pb.yml')
        with open(pb, 'w') as f:
            json.dump(play, f)
        env = dict(os.environ, ANSIBLE_STDOUT_CALLBACK='json', ANSIBLE_LOCALHOST_WARNING='false',
                   ANSIBLE_INVENTORY_UNPARSED_WARNING='false', ANSIBLE_DEPRECATION_WARNINGS='false')
        p = subprocess.run(['ansible-playbook', '-i', 'localhost,', '-c', 'local', pb],
                           env=env, capture_output=True, text=True)
        data = json.loads(p.stdout)
        out = {}
        for task, case in zip(data['plays'][0]['tasks'], cases):
            r = task['hosts']['localhost']
            if r.get('failed'):
                out[case['id']] = {'error': r.get('msg')}
            elif case['mode'] == 'template':
                out[case['id']] = {'value': r['msg'], 'pyrepr': repr(r['msg'])}
            elif case['mode'] == 'when':
                out[case['id']] = {'value': not r.get('skipped', False)}
            elif case['mode'] == 'var':
                v = r.get(case['expr'])
                out[case['id']] = {'value': v, 'pyrepr': repr(v)}
            else:
                with open(os.path.join(tmp, case['id'] + '.j2.out')) as f:
                    out[case['id']] = {'value': f.read()}
        json.dump(out, sys.stdout, indent=1)
        print()

main()
