import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { TsplayError, type TsplayErrorInit } from '../errors/index.js';
import { Secret } from '../types/secret.js';
import { DEFAULT_VAULT_ID, type VaultSecret } from './keyring.js';
import { isVaultText } from './envelope.js';

/** Where the vault passwords of one command come from (command line, environment, ansible.cfg). */
export interface VaultSourceOptions {
  /** --vault-id LABEL@SOURCE (or just SOURCE), in order. */
  readonly vaultIds: readonly string[];
  /** --vault-password-file FILE, in order. */
  readonly passwordFiles: readonly string[];
  readonly askVaultPass: boolean;
  /** ANSIBLE_VAULT_PASSWORD_FILE / vault_password_file in ansible.cfg. */
  readonly configPasswordFile?: string;
  /** ANSIBLE_VAULT_IDENTITY_LIST / vault_identity_list in ansible.cfg: considered first. */
  readonly configIdentityList: readonly string[];
  /** Like ansible-vault (not ansible-playbook): prompt when nothing else gives a password. */
  readonly autoPrompt: boolean;
  /** A password to encrypt with: the prompt asks twice (like ansible-vault's create_new_password). */
  readonly newPassword?: boolean;
  readonly cwd: string;
}

/** Like ansible: a password that cannot be read is an error of the run (exit 1), not of the options. */
function passwordError(message: string, init: TsplayErrorInit = {}): TsplayError {
  return new TsplayError('vault-password', message, init);
}

/** Asks the user for a password on the terminal (no echo); undefined when there is no TTY. */
export type PasswordPrompt = (question: string) => Promise<string | undefined>;

interface Slug {
  readonly id: string;
  readonly source: string;
}

/** Like ansible's CLI.split_vault_id: `label@source`, or a bare source for the default id. */
function splitSlug(slug: string): Slug {
  const at = slug.indexOf('@');
  if (at < 0) return { id: DEFAULT_VAULT_ID, source: slug };
  return { id: slug.slice(0, at) || DEFAULT_VAULT_ID, source: slug.slice(at + 1) };
}

/** Like ansible's build_vault_ids: config ids, then --vault-id, then password files, then the prompt. */
export function vaultSlugs(o: VaultSourceOptions): Slug[] {
  const files = [...o.passwordFiles, ...(o.configPasswordFile ? [o.configPasswordFile] : [])];
  const slugs = [...o.configIdentityList, ...o.vaultIds].map(splitSlug);
  slugs.push(...files.map((f) => ({ id: DEFAULT_VAULT_ID, source: f })));
  if (o.askVaultPass || (slugs.length === 0 && o.autoPrompt)) slugs.push({ id: DEFAULT_VAULT_ID, source: 'prompt_ask_vault_pass' });
  return slugs;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Like ansible's script_is_client: `NAME-client` or `NAME-client.EXT` gets `--vault-id LABEL`. */
function isClientScript(path: string): boolean {
  const name = basename(path);
  return name.slice(0, name.length - extname(name).length).endsWith('-client');
}

function runScript(path: string, id: string): Buffer {
  const args = isClientScript(path) ? ['--vault-id', id] : [];
  // stderr is the user's: like ansible, a script may prompt there.
  const r = spawnSync(path, args, { stdio: ['inherit', 'pipe', 'inherit'], maxBuffer: 1 << 20 });
  if (r.error) throw passwordError(`Problem running vault password script ${path} (${r.error.message})`, { hint: 'if this is not a script, remove the executable bit from the file' });
  if (r.status === 2 && args.length > 0) throw passwordError(`Vault password client script ${path} did not find a secret for vault-id=${id}`);
  if (r.status !== 0) throw passwordError(`Vault password script ${path} returned non-zero (${String(r.status)})`, { hint: 'run the script by hand to see why' });
  return r.stdout;
}

// Like ansible: a password file is stripped of surrounding whitespace, a script's output of CR/LF.
function trimPassword(b: Buffer, all: boolean): string {
  const text = b.toString('utf8');
  return all ? text.trim() : text.replace(/^[\r\n]+|[\r\n]+$/g, '');
}

function fromFile(slug: Slug, cwd: string): VaultSecret {
  const path = resolve(cwd, slug.source.replace(/^~(?=$|\/)/, process.env.HOME ?? '~'));
  if (!existsSync(path)) throw passwordError(`The vault password file ${path} was not found`, { hint: 'check --vault-password-file / --vault-id LABEL@FILE and vault_password_file in ansible.cfg' });
  const script = isExecutable(path);
  const raw = script ? runScript(path, slug.id) : readFileSync(path);
  if (!script && isVaultText(raw)) throw passwordError(`The vault password file ${path} is itself vault-encrypted`, { hint: 'tsplay reads plain password files and scripts' });
  const password = trimPassword(raw, !script);
  if (password === '') throw passwordError(`Invalid vault password was provided from ${script ? 'script' : 'file'} (${path}): it is empty`, { hint: 'put the password on the first line of the file' });
  return { id: slug.id, password: new Secret(password), source: path };
}

// Like ansible: --ask-vault-pass keeps the old prompt wording, LABEL@prompt names the vault id.
function questions(slug: Slug, isNew: boolean): string[] {
  const labelled = slug.source === 'prompt';
  if (!isNew) return [labelled ? `Vault password (${slug.id}): ` : 'Vault password: '];
  return labelled ? [`New vault password (${slug.id}): `, `Confirm new vault password (${slug.id}): `] : ['New Vault password: ', 'Confirm New Vault password: '];
}

async function fromPrompt(slug: Slug, ask: PasswordPrompt, isNew: boolean): Promise<VaultSecret> {
  const answers: string[] = [];
  for (const q of questions(slug, isNew)) {
    const answer = await ask(q);
    if (answer === undefined) throw passwordError('a vault password prompt needs a terminal, and stdin is not one', { hint: 'use --vault-password-file FILE or --vault-id LABEL@FILE when not interactive' });
    answers.push(answer.trim());
  }
  if (answers[0] === '') throw passwordError('Invalid vault password was provided from prompt: it is empty');
  if (answers.length > 1 && answers[0] !== answers[1]) throw passwordError('Passwords do not match', { hint: 'type the same password twice' });
  return { id: slug.id, password: new Secret(answers[0]!), source: 'prompt' };
}

/** Reads every password the options name, in ansible's order. */
export async function loadVaultSecrets(o: VaultSourceOptions, ask: PasswordPrompt): Promise<VaultSecret[]> {
  const out: VaultSecret[] = [];
  for (const slug of vaultSlugs(o)) {
    const prompt = slug.source === 'prompt' || slug.source === 'prompt_ask_vault_pass';
    out.push(prompt ? await fromPrompt(slug, ask, o.newPassword === true) : fromFile(slug, o.cwd));
  }
  return out;
}
