import type { SFTPWrapper } from 'ssh2';
import { UnreachableError } from '../errors/index.js';
import type { Connection, ExecRequest, ExecResult } from '../types/connection.js';
import { becomeFailure, wrapBecome } from './become.js';
import type { LogSink } from './redact.js';
import { withCwdAndEnv, quote } from './shell.js';
import { announcePid, killGroupScript, killTreeScript } from './remote-pid.js';
import type { ShellChannel } from './remote-shell.js';
import { ShellPool } from './shell-pool.js';
import { ChannelLimiter, isChannelRefused } from './ssh-channels.js';
import { collectChannel, type OpenChannel } from './ssh-exec.js';
import { describe, type Dialled, type Endpoint } from './ssh-dial.js';
import { sftpRead, sftpWrite } from './ssh-sftp.js';

export interface SshSessionOptions {
  /** Session channels open at once (exec + the SFTP session); sshd's MaxSessions default is 10. */
  readonly maxSessions: number;
  readonly verbosity: number;
  /** Already redacting: every line goes through redact.ts before it reaches here. */
  readonly log: LogSink;
  /** Run commands through persistent shells (shell-pool.ts); false: a channel per command. */
  readonly persistentShell: boolean;
}

/**
 * One persistent ssh2 connection to one host for the whole run: a channel per command,
 * queued under the server's MaxSessions, and one lazily opened SFTP session reused for all
 * transfers. Once the connection drops, every call throws UnreachableError (no silent
 * reconnect: the host is marked unreachable like ansible does for that task).
 */
export class SshConnection implements Connection {
  readonly #limiter: ChannelLimiter;
  #lost: string | undefined;
  #sftp: Promise<SFTPWrapper> | undefined;
  /** Permits held for a session's whole life: the SFTP session and the persistent shells. */
  #held = 0;
  readonly #closed: Promise<void>;
  readonly #shells: ShellPool | undefined;

  constructor(
    readonly hostName: string,
    private readonly target: Endpoint,
    private readonly session: Dialled,
    private readonly opts: SshSessionOptions,
  ) {
    this.#limiter = new ChannelLimiter(opts.maxSessions);
    this.#closed = new Promise((resolve) => session.client.once('close', () => resolve()));
    const onGone = (why: string) => () => {
      this.#lost ??= why;
    };
    session.client.on('close', onGone('the connection was closed by the remote host'));
    session.client.on('end', onGone('the connection was closed by the remote host'));
    session.client.on('error', (e: Error) => {
      this.#lost ??= e.message;
      opts.log(`<${target.host}> ssh: connection error: ${e.message}`);
    });
    this.#shells = !opts.persistentShell ? undefined : new ShellPool({
      host: target.host,
      open: (command) => this.#openShellChannel(command),
      killTree: (pid, become) => this.#runKill(killTreeScript(pid), become),
      lost: () => (this.#lost === undefined ? undefined : this.#unreachable(`connection lost while running a command: ${this.#lost}`)),
      verbosity: opts.verbosity,
      log: opts.log,
    });
    this.#shells?.warm();
  }

  #unreachable(detail: string, cause?: unknown): UnreachableError {
    return new UnreachableError(`Failed to connect to the host via ssh: ${describe(this.target)}: ${detail}`, { cause });
  }

  #checkAlive(): void {
    if (this.#lost !== undefined) throw this.#unreachable(`connection lost: ${this.#lost}`);
  }

  async exec(req: ExecRequest): Promise<ExecResult> {
    this.#checkAlive();
    const viaShell = await this.#shells?.exec(req);
    if (viaShell !== undefined) return viaShell;
    const wrapped = wrapBecome(withCwdAndEnv(req.command, req.cwd, req.env), req.become);
    // Like ansible: the login shell only ever sees `/bin/sh -c '...'`, whatever shell it is.
    const command = `/bin/sh -c ${quote(announcePid(wrapped.command))}`;
    if (this.opts.verbosity >= 3) this.opts.log(`<${this.target.host}> SSH: EXEC ${command}`);
    await this.#limiter.acquire();
    try {
      const channel = await this.#openExec(command);
      const result = await collectChannel(channel, wrapped, req, {
        killGroup: (pid) => this.#killGroup(pid, req),
        lost: () => this.#unreachable(`connection lost while running a command${this.#lost ? `: ${this.#lost}` : ''}`),
      });
      const refused = becomeFailure(req.become, result.gate, result.rc, result.stderr);
      if (refused) throw refused;
      return { rc: result.rc, stdout: result.stdout, stderr: result.stderr };
    } finally {
      this.#limiter.release();
    }
  }

  /**
   * Opens an exec channel; when sshd refuses one more session, lowers the limit and waits.
   * The exit listener is attached inside ssh2's callback: a fast command's exit-status can
   * arrive in the same packet batch, before any awaiting code would run.
   */
  async #openExec(command: string): Promise<OpenChannel> {
    for (let attempt = 1; ; attempt++) {
      this.#checkAlive();
      try {
        return await new Promise<OpenChannel>((resolve, reject) => {
          this.session.client.exec(command, (err, ch) => {
            if (err) return reject(err);
            const open: OpenChannel = { ch, exit: undefined };
            ch.on('exit', (code: number | null, signal?: string) => {
              open.exit = { code, signal };
            });
            resolve(open);
          });
        });
      } catch (e) {
        if (this.#lost !== undefined) throw this.#unreachable(`connection lost: ${this.#lost}`, e);
        if (!isChannelRefused(e) || attempt > 20) throw this.#unreachable(`${(e as Error).message} (server MaxSessions too low?)`, e);
        await this.#afterRefusal(attempt);
      }
    }
  }

  /**
   * sshd refused a session. With other channels open, its MaxSessions is lower than our limit:
   * lower the limit and wait for a turn. With none open, it is still tearing down a session
   * that just closed on our side: back off briefly and retry.
   */
  async #afterRefusal(attempt: number): Promise<void> {
    const held = this.#held;
    if (this.#limiter.inUse - 1 - held > 0) {
      this.opts.log(`<${this.target.host}> ssh: server refused a session channel; lowering the limit to ${Math.max(1 + held, this.#limiter.inUse - 1)}`);
      this.#limiter.shrink(1 + held);
      this.#limiter.release();
      await this.#limiter.acquire();
      return;
    }
    await new Promise((r) => setTimeout(r, 5 * attempt));
  }

  /**
   * Kills a cancelled command's process group with a command of its own (as the become user
   * when the command had one: root's processes need root to be killed). It skips the channel
   * limiter: the cancelled command still holds its permit, and a full limiter must not stall it.
   */
  #killGroup(pid: number, req: ExecRequest): Promise<void> {
    return this.#runKill(killGroupScript(pid), req.become);
  }

  async #runKill(script: string, become: ExecRequest['become']): Promise<void> {
    if (this.#lost !== undefined) return;
    const wrapped = wrapBecome(script, become);
    const open = await this.#openExec(`/bin/sh -c ${quote(announcePid(wrapped.command))}`);
    await collectChannel(open, wrapped, { command: '', timeoutMs: 5000 }, { killGroup: async () => undefined, lost: () => new Error('lost') });
  }

  /**
   * A channel for a persistent shell: it holds a permit for its whole life (like SFTP), and
   * the limit is raised so that one-off channels (kills, fallbacks) still get a turn.
   */
  async #openShellChannel(command: string): Promise<ShellChannel> {
    this.#held++;
    this.#limiter.ensureAtLeast(this.#held + 1);
    await this.#limiter.acquire();
    const done = (): void => {
      this.#held--;
      this.#limiter.release();
    };
    let open: OpenChannel;
    try {
      open = await this.#openExec(command);
    } catch (e) {
      done();
      throw e;
    }
    const ch = open.ch;
    ch.on('close', done);
    // a write racing the shell's end must not become an uncaught stream error; the close says it all
    ch.on('error', () => undefined);
    return {
      write: (d) => void ch.write(d),
      onStdout: (cb) => void ch.on('data', cb),
      onStderr: (cb) => void ch.stderr.on('data', cb),
      onClose: (cb) => void ch.on('close', () => cb(open.exit?.code ?? undefined)),
      close: () => {
        ch.end();
        ch.close();
      },
    };
  }

  #sftpSession(): Promise<SFTPWrapper> {
    this.#sftp ??= (async () => {
      this.#held++;
      this.#limiter.ensureAtLeast(this.#held + 1); // SFTP and the shells, at least one left for commands
      await this.#limiter.acquire(); // held for the session's life: SFTP counts against MaxSessions
      return new Promise<SFTPWrapper>((resolve, reject) => {
        this.session.client.sftp((err, sftp) => {
          if (!err) return resolve(sftp);
          this.#limiter.release();
          this.#held--;
          this.#sftp = undefined;
          reject(this.#lost !== undefined ? this.#unreachable(`connection lost: ${this.#lost}`, err) : this.#unreachable(`cannot start SFTP: ${err.message}`, err));
        });
      });
    })();
    return this.#sftp;
  }

  async putFile(remotePath: string, data: Buffer, mode?: number): Promise<void> {
    this.#checkAlive();
    if (this.opts.verbosity >= 3) this.opts.log(`<${this.target.host}> SSH: PUT ${data.length} bytes TO ${remotePath}`);
    const sftp = await this.#sftpSession();
    await sftpWrite(sftp, remotePath, data, mode).catch((e: unknown) => {
      throw this.#lost !== undefined ? this.#unreachable(`connection lost: ${this.#lost}`, e) : e;
    });
  }

  async getFile(remotePath: string): Promise<Buffer> {
    this.#checkAlive();
    if (this.opts.verbosity >= 3) this.opts.log(`<${this.target.host}> SSH: FETCH ${remotePath}`);
    const sftp = await this.#sftpSession();
    return sftpRead(sftp, remotePath).catch((e: unknown) => {
      throw this.#lost !== undefined ? this.#unreachable(`connection lost: ${this.#lost}`, e) : e;
    });
  }

  async close(): Promise<void> {
    this.#lost ??= 'closed by tsplay';
    this.#shells?.close();
    this.session.client.end();
    for (const hop of this.session.hops) hop.end();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.#closed, new Promise<void>((r) => (timer = setTimeout(r, 2000)))]);
    clearTimeout(timer);
  }
}
