from ansible.module_utils.basic import AnsibleModule

def main():
    m = AnsibleModule(argument_spec=dict(word=dict(type='str', default='x')), supports_check_mode=False)
    m.warn('a warning from %s' % m.params['word'])
    m.exit_json(changed=False, word=m.params['word'])

if __name__ == '__main__':
    main()
