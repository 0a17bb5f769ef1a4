import { labDown, labUp, type LabState } from '../../../engine/lab/index.js';
import { ModuleArgValidator } from '../../../engine/modules/validate.js';
import { createConnectionFactory } from '../../../engine/transport/connect.js';
import type { Connection } from '../../../engine/types/connection.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../../../engine/types/module.js';
import { CountingConnection, gateOf, runLikeRunner } from '../../unit/modules/context.js';

/** This suite's own lab (name and subnet differ from every other suite's). */
export const LAB = { name: 'tsplaymods', subnet: '10.88.9', hosts: 1, kind: 'systemd' as const };

export interface LabHost {
  readonly state: LabState;
  readonly conn: CountingConnection;
  /** Runs a module the way the executor would: schema check, then run. */
  run(mod: ModuleDef, args: Record<string, unknown>, opts?: { check?: boolean; diff?: boolean; vars?: Record<string, unknown>; findFile?: ModuleContext['findFile'] }): Promise<ModuleResult>;
  /** Round trips of one run. */
  trips(mod: ModuleDef, args: Record<string, unknown>): Promise<{ result: ModuleResult; trips: number; ms: number }>;
  /** Shell on the host to read state back (not counted). */
  sh(command: string): Promise<string>;
  close(): Promise<void>;
}

export async function openLabHost(): Promise<LabHost> {
  const state = await labUp(LAB);
  const h = state.hosts[0]!;
  const raw: Connection = await createConnectionFactory().connect({
    inventoryHostname: h.name, connection: 'ssh', host: h.ip, port: 22, user: 'root', privateKeyFile: state.privateKey,
    timeoutSec: 10, retries: 1, hostKeyChecking: 'strict', knownHostsFile: state.knownHosts,
  });
  // labUp returns once sshd answers; units started by later boot steps must be settled first
  await raw.exec({ command: 'systemctl is-system-running --wait >/dev/null 2>&1 || true' });
  const conn = new CountingConnection(raw);
  const validator = new ModuleArgValidator();
  const run: LabHost['run'] = async (mod, args, opts = {}) => {
    validator.check(mod, args);
    const ctx: ModuleContext = {
      host: h.name, args, loc: { file: 'e2e.yml', line: 1, col: 1 },
      ...gateOf(conn, opts.check ?? false, undefined, opts.diff ?? false),
      findFile: opts.findFile ?? ((_k, name) => name),
      templating: { renderFile: (t) => t, evaluate: () => undefined, conditional: () => true },
      vars: opts.vars ?? {}, log: () => undefined,
    };
    return runLikeRunner(mod, ctx, opts.check ?? false);
  };
  return {
    state, conn, run,
    async trips(mod, args) {
      const before = conn.trips;
      const t0 = performance.now();
      const result = await run(mod, args);
      return { result, trips: conn.trips - before, ms: Math.round(performance.now() - t0) };
    },
    async sh(command) {
      const r = await raw.exec({ command });
      return r.stdout;
    },
    close: () => raw.close(),
  };
}

export async function closeLab(host: LabHost | undefined): Promise<void> {
  await host?.close().catch(() => undefined);
  await labDown(LAB);
}
