import { randomBytes } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import type { AnsibleSettings } from './config/ansible-cfg.js';
import { createParseEnv } from './api/parse-env.js';
import { renderListing } from './api/listing.js';
import type { RunRequest } from './api/request.js';
import { OptionError, TsplayError } from './errors/index.js';
import { applyLimit, loadInventory, selectHosts, type Inventory } from './inventory/index.js';
import { createPlaybookLoader } from './model/playbook-loader.js';
import { ModuleArgValidator } from './modules/validate.js';
import { JsonFileFactCache } from './facts/cache.js';
import { JsonReporter } from './report/json-reporter.js';
import type { Reporter } from './report/reporter.js';
import { TextReporter } from './report/text-reporter.js';
import { ConnectionPool } from './run/connection-pool.js';
import type { RunContext, RunOptions } from './run/context.js';
import { runPlaybooks, type LoadedPlaybook } from './run/playbook-runner.js';
import { RunState } from './run/run-state.js';
import { HostLedger } from './run/host-ledger.js';
import { Templar } from './template/index.js';
import { createConnectionFactory } from './transport/connect.js';
import { Redactor } from './transport/redact.js';
import type { ConnectionFactory } from './types/connection.js';

export type { RunRequest } from './api/request.js';
// the single front door: cli/ reaches the engine only through these
export { parseExtraVars } from './api/extra-vars.js';
export { inventoryReport, type InventoryRequest } from './api/inventory.js';
export { runCerts, type CertsRequest } from './api/certs.js';
export { runLabCommand as runLab } from './lab/command.js';

export interface RunDeps {
  readonly write: (text: string) => void;
  readonly settings: AnsibleSettings;
  readonly cwd: string;
  readonly connectionFactory?: ConnectionFactory;
}

function runOptions(req: RunRequest, s: AnsibleSettings, inventories: readonly string[]): RunOptions {
  const firstInv = inventories[0] === undefined ? undefined : resolve(inventories[0]);
  return {
    check: req.check,
    diff: req.diff,
    forks: req.forks ?? s.forks,
    verbosity: req.verbosity,
    tags: req.tags,
    skipTags: req.skipTags,
    extraVars: req.extraVars,
    limit: req.limit,
    startAtTask: req.startAtTask,
    become: { enabled: req.become ?? s.become, user: req.becomeUser ?? s.becomeUser, method: req.becomeMethod ?? s.becomeMethod, flags: s.becomeFlags },
    remoteUser: req.user ?? s.remoteUser,
    privateKeyFile: req.privateKey ?? s.privateKeyFile,
    connectTimeoutSec: s.timeout,
    gathering: s.gathering,
    hostKeyChecking: s.hostKeyChecking ? 'strict' : 'off',
    forceHandlers: req.forceHandlers ?? s.forceHandlers,
    anyErrorsFatal: s.anyErrorsFatal,
    inventoryDir: firstInv === undefined ? undefined : dirname(firstInv),
    inventoryFile: firstInv,
    configFile: s.configFile,
  };
}

function reporterFor(req: RunRequest, deps: RunDeps): Reporter {
  if (req.output === 'json') return new JsonReporter(deps.write);
  return new TextReporter({ write: deps.write, color: req.color, verbosity: req.verbosity, diff: req.diff });
}

/** One loader per playbook file: like ansible, its run-time includes resolve relative to that playbook. */
function loadAll(req: RunRequest, deps: RunDeps, templar: Templar): LoadedPlaybook[] {
  return req.playbooks.map((file) => {
    const full = resolve(deps.cwd, file);
    const loader = createPlaybookLoader(createParseEnv(dirname(full), deps.settings.rolesPath, templar));
    return { playbook: loader.loadPlaybook(full, req.extraVars), loader };
  });
}

/**
 * Like ansible-playbook (CLI.get_host_list), before the playbooks are even parsed: a --limit
 * that leaves no host of a non-empty inventory is an error (exit 1), not an empty run.
 */
function checkLimitLeavesHosts(inv: Inventory, limit: string | undefined, cwd: string): void {
  const all = selectHosts(inv, 'all');
  if (limit === undefined || all.length === 0 || applyLimit(inv, all, limit, cwd).length > 0) return;
  throw new TsplayError('run', 'Specified inventory, host pattern and/or --limit leaves us with no hosts to target.', {
    hint: `--limit ${limit} matches no host of the inventory`,
  });
}

/** The single entry the CLI and the tests use: parse, then run (or list), report, exit code. */
export async function runPlaybook(req: RunRequest, deps: RunDeps): Promise<number> {
  if (req.playbooks.length === 0) throw new OptionError('no playbook given', { hint: 'usage: tsplay PLAYBOOK.yml -i INVENTORY' });
  const inventories = req.inventories.length > 0 ? req.inventories : deps.settings.inventory;
  const inv: Inventory = loadInventory(inventories.length > 0 ? inventories : [], { cwd: deps.cwd });
  checkLimitLeavesHosts(inv, req.limit, deps.cwd);
  const templar = new Templar();
  const playbooks = loadAll(req, deps, templar);
  if (req.mode !== 'run') {
    deps.write(renderListing(req, playbooks.map((p) => p.playbook), inv));
    return 0;
  }
  const reporter = reporterFor(req, deps);
  const redactor = new Redactor();
  const run: RunContext = {
    options: runOptions(req, deps.settings, inventories),
    templar,
    state: new RunState(inv),
    ledger: new HostLedger(),
    connections: new ConnectionPool(deps.connectionFactory ?? createConnectionFactory({ verbosity: req.verbosity, log: (l) => deps.write(`${redactor.text(l)}\n`) })),
    redactor,
    emit: (e) => reporter.handle(e),
    omit: `__omit_place_holder__${randomBytes(20).toString('hex')}`,
    moduleArgs: new ModuleArgValidator(),
    factCache:
      deps.settings.factCaching === 'jsonfile' && deps.settings.factCachingConnection
        ? new JsonFileFactCache({ dir: resolve(deps.cwd, deps.settings.factCachingConnection), timeoutSec: deps.settings.factCachingTimeout })
        : undefined,
  };
  const code = await runPlaybooks(run, playbooks);
  reporter.finish();
  return code;
}
