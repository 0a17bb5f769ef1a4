import type { Secret } from './secret.js';

/** Privilege escalation as a wrapper around a command (design.md: sudo is a wrapper, not a flag). */
export interface BecomeSpec {
  readonly method: 'sudo' | 'su';
  readonly user: string;
  readonly flags?: string;
  /** Fed on stdin, never in argv and never logged. */
  readonly password?: Secret;
  readonly exe?: string;
}

export interface ExecRequest {
  /** Shell text run by `/bin/sh -c` on the host; build it with transport/shell.ts quoting. */
  readonly command: string;
  readonly stdin?: Buffer | string;
  readonly become?: BecomeSpec;
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  readonly timeoutMs?: number;
  /** Aborting kills the command's remote process group and rejects with CancelledError. */
  readonly signal?: AbortSignal;
}

export interface ExecResult {
  readonly rc: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * One open session to one host, kept for the whole run. Implementations: transport/local.ts,
 * transport/ssh.ts. A failure to reach or keep the host throws UnreachableError.
 */
export interface Connection {
  readonly hostName: string;
  exec(req: ExecRequest): Promise<ExecResult>;
  /** Writes bytes as the login user (SFTP for ssh). Callers wanting atomicity write a temp name and rename. */
  putFile(remotePath: string, data: Buffer, mode?: number): Promise<void>;
  getFile(remotePath: string): Promise<Buffer>;
  close(): Promise<void>;
}

/** What a host's variables say about how to reach it (ansible_host, ansible_port, ...). */
export interface ConnectionParams {
  readonly inventoryHostname: string;
  readonly connection: 'ssh' | 'local' | string;
  readonly host: string;
  readonly port: number;
  readonly user?: string;
  readonly password?: Secret;
  readonly privateKeyFile?: string;
  readonly privateKeyPassphrase?: Secret;
  readonly commonArgs?: string;
  readonly extraArgs?: string;
  readonly timeoutSec: number;
  readonly retries: number;
  readonly hostKeyChecking: 'strict' | 'accept-new' | 'off';
  readonly knownHostsFile?: string;
}

export interface ConnectionFactory {
  connect(params: ConnectionParams): Promise<Connection>;
}
