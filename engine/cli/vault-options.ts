import { Option, type Command } from 'commander';
import type { AnsibleSettings } from '../config/ansible-cfg.js';
import type { VaultSecret } from '../vault/keyring.js';
import { loadVaultSecrets } from '../vault/sources.js';
import type { TtyPrompter } from './tty-prompt.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** The vault flags ansible-playbook and ansible-vault share. */
export function addVaultOptions(cmd: Command): Command {
  return cmd
    .option('--vault-id <id>', 'the vault identity to use: LABEL@FILE, LABEL@prompt or a FILE (repeatable)', collect, [])
    .option('--vault-pass-file, --vault-password-file <file>', 'vault password file, or an executable that prints it (repeatable)', collect, [])
    .option('-J, --ask-vault-pass', 'ask for the vault password on the terminal')
    .addOption(new Option('--ask-vault-password').hideHelp());
}

/** Reads the passwords the flags, ANSIBLE_VAULT_* and ansible.cfg name, in ansible's order. */
export function readVaultSecrets(o: Record<string, unknown>, settings: AnsibleSettings, cwd: string, autoPrompt: boolean, tty: TtyPrompter, newPassword = false): Promise<VaultSecret[]> {
  return loadVaultSecrets({
    vaultIds: o.vaultId as string[],
    passwordFiles: o.vaultPasswordFile as string[],
    askVaultPass: o.askVaultPass === true || o.askVaultPassword === true,
    configPasswordFile: settings.vaultPasswordFile,
    configIdentityList: settings.vaultIdentityList,
    autoPrompt,
    newPassword,
    cwd,
  }, (q) => tty.ask(q, { echo: false }));
}
