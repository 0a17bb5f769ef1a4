import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import type { AnyAuthMethod, AuthHandlerMiddleware, AuthenticationType, ParsedKey } from 'ssh2';
import type { Secret } from '../types/secret.js';

/** One way to log in, with a label for "tried: ..." messages (never containing a secret). */
interface AuthCandidate {
  readonly label: string;
  readonly type: AuthenticationType;
  readonly method: AnyAuthMethod;
}

export interface AuthInputs {
  readonly user: string;
  readonly privateKeyFile?: string;
  readonly passphrase?: Secret;
  readonly password?: Secret;
  /** SSH_AUTH_SOCK of the controller, or undefined for no agent. */
  readonly agentSocket?: string;
}

/** A key file that cannot be used at all: the caller turns this into an UnreachableError. */
export class KeyFileError extends Error {}

/** Why a key parse failed, in user words (ssh2's own messages are terse). */
function keyProblem(file: string, err: Error, hasPassphrase: boolean): string {
  if (/encrypted|passphrase/i.test(err.message)) {
    return hasPassphrase
      ? `cannot decrypt private key ${file}: wrong passphrase`
      : `private key ${file} is encrypted and no passphrase was given (load it into ssh-agent, or set the passphrase)`;
  }
  if (/Bad passphrase|bad decrypt|Invalid padding/i.test(err.message)) return `cannot decrypt private key ${file}: wrong passphrase`;
  return `cannot read private key ${file}: ${err.message}`;
}

async function loadKey(file: string, passphrase: Secret | undefined): Promise<ParsedKey> {
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch (e) {
    throw new KeyFileError(`cannot read private key ${file}: ${(e as Error).message}`);
  }
  const parsed = ssh2.utils.parseKey(data, passphrase?.reveal());
  if (parsed instanceof Error) throw new KeyFileError(keyProblem(file, parsed, passphrase !== undefined));
  return Array.isArray(parsed) ? (parsed[0] as ParsedKey) : parsed;
}

/** OpenSSH's default identities, used when no key file is configured (encrypted ones skipped). */
async function defaultKeys(): Promise<{ file: string; key: ParsedKey }[]> {
  const out: { file: string; key: ParsedKey }[] = [];
  for (const name of ['id_ed25519', 'id_ecdsa', 'id_rsa']) {
    const file = join(homedir(), '.ssh', name);
    const data = await readFile(file).catch(() => undefined);
    if (data === undefined) continue;
    const parsed = ssh2.utils.parseKey(data);
    if (!(parsed instanceof Error)) out.push({ file, key: Array.isArray(parsed) ? parsed[0] : parsed });
  }
  return out;
}

/** Builds the ordered list OpenSSH would try: key file (or default keys), agent, password. */
export async function authCandidates(inp: AuthInputs): Promise<AuthCandidate[]> {
  const username = inp.user;
  const out: AuthCandidate[] = [];
  const keys = inp.privateKeyFile
    ? [{ file: inp.privateKeyFile, key: await loadKey(inp.privateKeyFile, inp.passphrase) }]
    : await defaultKeys();
  for (const { file, key } of keys) {
    out.push({ label: `publickey (${file})`, type: 'publickey', method: { type: 'publickey', username, key } });
  }
  if (inp.agentSocket) {
    out.push({ label: 'publickey (ssh-agent)', type: 'publickey', method: { type: 'agent', username, agent: inp.agentSocket } });
  }
  if (inp.password) {
    const password = inp.password.reveal();
    out.push({ label: 'password', type: 'password', method: { type: 'password', username, password } });
    out.push({
      label: 'keyboard-interactive',
      type: 'keyboard-interactive',
      method: {
        type: 'keyboard-interactive',
        username,
        // Servers that only offer keyboard-interactive ask for the password as a prompt.
        prompt: (_name, _instr, _lang, prompts, finish) => finish(prompts.map(() => password)),
      },
    });
  }
  return out;
}

/**
 * An ssh2 authHandler that walks the candidates, skipping methods the server does not offer,
 * and records what it tried so an auth failure can say so.
 */
export function authHandler(candidates: readonly AuthCandidate[], tried: string[]): AuthHandlerMiddleware {
  let i = 0;
  return (methodsLeft, _partial, next) => {
    while (i < candidates.length) {
      const c = candidates[i++];
      if (methodsLeft && !methodsLeft.includes(c.type)) continue;
      tried.push(c.label);
      next(c.method);
      return;
    }
    next(false as unknown as AuthenticationType); // ssh2 stops on false: no more methods
  };
}
