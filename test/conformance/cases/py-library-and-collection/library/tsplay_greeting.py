#!/usr/bin/python
# A playbook-adjacent module (library/ next to the playbook), as ansible finds one: it
# writes a greeting file, supports check mode and diff, and imports module_utils beyond basic.
from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_bytes


def main():
    module = AnsibleModule(
        argument_spec=dict(path=dict(type='path', required=True), name=dict(type='str', default='world')),
        supports_check_mode=True,
    )
    path = module.params['path']
    want = 'hello %s\n' % module.params['name']
    try:
        with open(path) as f:
            have = f.read()
    except IOError:
        have = None
    changed = have != want
    if changed and not module.check_mode:
        with open(path, 'wb') as f:
            f.write(to_bytes(want))
    module.exit_json(changed=changed, path=path, greeting=want.strip(), check=module.check_mode,
                     diff=dict(before=have or '', after=want, before_header=path, after_header=path))


if __name__ == '__main__':
    main()
