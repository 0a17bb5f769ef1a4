import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import type { AnsibleSettings } from '../config/ansible-cfg.js';
import { OptionError, TsplayError } from '../errors/index.js';
import { createFile, decryptFiles, editFile, encryptFiles, encryptStrings, rekeyFiles, viewFiles, type VaultActionContext } from '../vault/actions.js';
import { VaultKeyring, type VaultSecret } from '../vault/keyring.js';
import { writeOutput } from '../vault/files.js';
import { TtyPrompter } from './tty-prompt.js';
import { addVaultOptions, readVaultSecrets } from './vault-options.js';

const ACTIONS = ['encrypt', 'decrypt', 'view', 'edit', 'create', 'rekey', 'encrypt_string'] as const;
type Action = (typeof ACTIONS)[number];
const ENCRYPTING: readonly Action[] = ['encrypt', 'create', 'encrypt_string'];

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function program(action: Action): Command {
  const cmd = addVaultOptions(new Command(`tsplay vault ${action}`))
    .argument('[args...]')
    .option('--output <file>', 'write the result to this file (- for stdout)')
    .option('--encrypt-vault-id <id>', 'the vault id to encrypt with')
    .option('--new-vault-id <id>', 'rekey: the new vault id')
    .option('--new-vault-password-file <file>', 'rekey: the new vault password file')
    .option('-n, --name <name>', 'encrypt_string: the variable name (repeatable)', collect, [])
    .option('--stdin-name <name>', 'encrypt_string: the name of the variable read from stdin')
    .option('-p, --prompt', 'encrypt_string: ask for the string to encrypt')
    .option('--show-input', 'encrypt_string: echo the string typed at the prompt')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  return cmd;
}

function parse(action: Action, argv: string[]): { args: string[]; o: Record<string, unknown> } | undefined {
  const cmd = program(action);
  try {
    cmd.parse(argv, { from: 'user' });
  } catch (e) {
    if ((e as { code?: string }).code === 'commander.helpDisplayed') return undefined;
    throw new OptionError((e as Error).message.replace(/^error: /, ''), { hint: `see tsplay vault ${action} --help` });
  }
  return { args: cmd.args, o: cmd.opts() };
}

async function keyringFor(action: Action, o: Record<string, unknown>, settings: AnsibleSettings, cwd: string, tty: TtyPrompter): Promise<VaultKeyring> {
  const secrets = await readVaultSecrets(o, settings, cwd, true, tty, ENCRYPTING.includes(action));
  if (secrets.length === 0) throw new OptionError("A vault password is required to use Ansible's Vault");
  const encryptId = (o.encryptVaultId as string | undefined) ?? settings.vaultEncryptIdentity;
  if (ENCRYPTING.includes(action) && secrets.length > 1 && encryptId === undefined) {
    throw new OptionError(`The vault-ids ${secrets.map((s) => s.id).join(',')} are available to encrypt. Specify the vault-id to encrypt with --encrypt-vault-id`);
  }
  return new VaultKeyring(secrets);
}

/** rekey's new password: --new-vault-id / --new-vault-password-file, else a prompt (asked twice). */
async function nextSecrets(o: Record<string, unknown>, settings: AnsibleSettings, cwd: string, tty: TtyPrompter): Promise<VaultSecret[]> {
  const ids = o.newVaultId === undefined ? [] : [String(o.newVaultId)];
  const files = o.newVaultPasswordFile === undefined ? [] : [String(o.newVaultPasswordFile)];
  const opts = { vaultId: ids, vaultPasswordFile: files, askVaultPassword: false };
  return readVaultSecrets(opts, { ...settings, vaultPasswordFile: undefined, vaultIdentityList: [] }, cwd, true, tty, true);
}

function context(keyring: VaultKeyring, o: Record<string, unknown>, settings: AnsibleSettings): VaultActionContext {
  return {
    keyring,
    encryptId: (o.encryptVaultId as string | undefined) ?? settings.vaultEncryptIdentity,
    salt: settings.vaultEncryptSalt === undefined ? undefined : Buffer.from(settings.vaultEncryptSalt, 'utf8'),
  };
}

async function stringsToEncrypt(args: string[], o: Record<string, unknown>, tty: TtyPrompter): Promise<{ text: string; name?: string }[]> {
  const names = o.name as string[];
  const items: { text: string; name?: string }[] = [];
  if (o.prompt === true) {
    const name = await tty.ask('Variable name (enter for no name): ');
    const text = await tty.ask(o.showInput === true ? 'String to encrypt:' : 'String to encrypt (hidden): ', { echo: o.showInput === true });
    if (text === undefined || text === '') throw new OptionError('The plaintext provided from the prompt was empty, not encrypting');
    items.push({ text, ...(name ? { name } : {}) });
  }
  const fromStdin = args.includes('-') || o.stdinName !== undefined || (args.length === 0 && o.prompt !== true);
  if (fromStdin) {
    const text = readFileSync(0, 'utf8');
    if (text === '') throw new OptionError('stdin was empty, not encrypting');
    items.push({ text, ...(o.stdinName ? { name: String(o.stdinName) } : {}) });
  }
  args.filter((a) => a !== '').filter((a) => a !== '-').forEach((text, i) => items.push({ text, ...(names[i] ? { name: names[i] } : {}) }));
  if (args.includes('')) throw new OptionError('The plaintext provided from the command line args was empty, not encrypting');
  return items;
}

function newIdLabel(slug: unknown): string | undefined {
  return typeof slug === 'string' && slug.includes('@') ? slug.slice(0, slug.indexOf('@')) || undefined : undefined;
}

function say(text: string, always = false): void {
  if (always || process.stdout.isTTY === true) process.stderr.write(`${text}\n`);
}

const USAGE = `usage: tsplay vault ${ACTIONS.join('|')} [--vault-id LABEL@SOURCE] [--vault-password-file FILE] [-J] [options] [FILE...]\n`;

/** `tsplay vault ACTION ...`: ansible-vault's commands, reading and writing the same files. */
export async function runVaultCommand(argv: string[], settings: AnsibleSettings, cwd: string): Promise<number> {
  const action = argv[0] as Action;
  if (argv.length === 0 || argv[0] === '-h' || argv[0] === '--help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (!ACTIONS.includes(action)) throw new OptionError(`unknown vault action: ${argv[0] ?? '(none)'}`, { hint: `one of ${ACTIONS.join(', ')}` });
  try {
    return await runAction(action, argv.slice(1), settings, cwd);
  } catch (e) {
    // like ansible-vault: any failure (wrong password, unreadable file) exits 1
    if (e instanceof TsplayError && e.code !== 'option') throw new TsplayError('vault-command', e.message, { hint: e.hint });
    throw e;
  }
}

async function runAction(action: Action, argv: string[], settings: AnsibleSettings, cwd: string): Promise<number> {
  const parsed = parse(action, argv);
  if (parsed === undefined) return 0; // --help
  const { args, o } = parsed;
  const tty = new TtyPrompter();
  const ctx = context(await keyringFor(action, o, settings, cwd, tty), o, settings);
  const output = o.output as string | undefined;
  switch (action) {
    case 'encrypt': encryptFiles(ctx, args, output); say('Encryption successful'); break;
    case 'decrypt': decryptFiles(ctx, args, output); say('Decryption successful'); break;
    case 'view': viewFiles(ctx, args, (b) => process.stdout.write(b)); break;
    case 'edit': for (const f of args) editFile(ctx, f); break;
    case 'create':
      if (args.length !== 1) throw new OptionError('tsplay vault create can take only one filename argument');
      createFile(ctx, args[0]!);
      break;
    case 'rekey': {
      const next = { ...ctx, keyring: new VaultKeyring(await nextSecrets(o, settings, cwd, tty)), encryptId: newIdLabel(o.newVaultId) };
      rekeyFiles(ctx, next, args);
      say('Rekey successful', true);
      break;
    }
    case 'encrypt_string': writeOutput(output ?? '-', encryptStrings(ctx, await stringsToEncrypt(args, o, tty))); say('Encryption successful'); break;
  }
  return 0;
}
