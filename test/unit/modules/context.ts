import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { ModuleArgValidator } from '../../../engine/modules/validate.js';
import { Templar } from '../../../engine/template/index.js';
import { LazyVars } from '../../../engine/vars/var-source.js';
import { LocalConnection } from '../../../engine/transport/local.js';
import { HostNotebook } from '../../../engine/run/host-notes.js';
import { checkModeSkip, hostAccess, hostGate } from '../../../engine/run/module-context.js';
import type { BecomeSpec, Connection, ExecRequest } from '../../../engine/types/connection.js';
import type { ModuleContext, ModuleDef, ModuleResult, ModuleTemplating } from '../../../engine/types/module.js';

/** The engine's own gate (probe/change) over a test connection, as the runner builds it. */
export function gateOf(conn: Connection, check: boolean, become?: BecomeSpec, diff = false): Pick<ModuleContext, 'probe' | 'change' | 'mayChange' | 'diffs'> {
  return hostGate(check, async () => hostAccess(conn, become, {}), () => undefined, diff);
}

/** Runs a module like the task runner: one without check-mode support is skipped in check mode. */
export function runLikeRunner(mod: ModuleDef, ctx: ModuleContext, check: boolean): Promise<ModuleResult> {
  return check && !mod.supportsCheck ? Promise.resolve(checkModeSkip(mod)) : mod.run(ctx);
}

export const FIXTURES = join(import.meta.dirname, '../../fixtures/modules');

/** Wraps a Connection and counts round trips (exec and putFile calls). */
export class CountingConnection implements Connection {
  execs = 0;
  puts = 0;
  readonly commands: string[] = [];
  constructor(private readonly inner: Connection) {}
  get hostName(): string { return this.inner.hostName; }
  get trips(): number { return this.execs + this.puts; }
  exec(req: ExecRequest) { this.execs++; this.commands.push(req.command); return this.inner.exec(req); }
  putFile(p: string, d: Buffer, m?: number) { this.puts++; return this.inner.putFile(p, d, m); }
  getFile(p: string) { return this.inner.getFile(p); }
  close() { return this.inner.close(); }
}

/** The engine's Templar over plain variables, as the runner hands it to modules. */
function realTemplating(vars: Record<string, unknown>): ModuleTemplating {
  const templar = new Templar();
  const lazy = (extra?: Readonly<Record<string, unknown>>) =>
    new LazyVars([{ layer: 'play_vars', source: 'test vars', vars: { ...vars, ...(extra ?? {}) } }], templar);
  return {
    renderFile: (text, opts) => templar.renderText(text, lazy(), opts),
    evaluate: (expr) => templar.evaluateExpression(expr, lazy()),
    conditional: (expr, extra) => templar.evaluateConditional(expr, lazy(extra)),
  };
}

export interface Harness {
  readonly conn: CountingConnection;
  run(mod: ModuleDef, args: Record<string, unknown>, opts?: { check?: boolean; diff?: boolean; become?: BecomeSpec }): Promise<ModuleResult>;
}

/** Like a run, the harness keeps notes on its host between module runs (noNotes: none, like a unit test of old). */
export function harness(vars: Record<string, unknown> = {}, o: { readonly noNotes?: boolean } = {}): Harness {
  const conn = new CountingConnection(new LocalConnection('localhost'));
  const notes = o.noNotes === true ? undefined : new HostNotebook().for('localhost');
  return {
    conn,
    run(mod, args, opts = {}) {
      const ctx: ModuleContext = {
        host: 'localhost', args, loc: { file: 'test.yml', line: 1, col: 1 },
        ...gateOf(conn, opts.check ?? false, opts.become, opts.diff ?? false),
        findFile: (kind, name) => {
          if (isAbsolute(name)) return name;
          const p = join(FIXTURES, kind, name);
          if (!existsSync(p)) throw new Error(`Could not find or access '${name}'`);
          return p + (name.endsWith('/') ? '/' : '');
        },
        templating: realTemplating(vars), vars, log: () => undefined, notes,
      };
      return runLikeRunner(mod, ctx, opts.check ?? false);
    },
  };
}

/** Counts the round trips of one module run. */
export async function tripsOf(h: Harness, mod: ModuleDef, args: Record<string, unknown>): Promise<{ result: ModuleResult; trips: number }> {
  const before = h.conn.trips;
  const result = await h.run(mod, args);
  return { result, trips: h.conn.trips - before };
}

export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'tsplay-mod-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Validates args with the engine's own validator (the one the runner uses). */
export function validArgs(mod: ModuleDef, args: Record<string, unknown>): boolean {
  try {
    new ModuleArgValidator().check(mod, args);
    return true;
  } catch {
    return false;
  }
}
