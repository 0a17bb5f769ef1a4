import { randomBytes } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import type { AnsibleSettings } from './config/ansible-cfg.js';
import { createParseEnv } from './api/parse-env.js';
import { createPyModules, type PyModuleRunner } from './pymodules/index.js';
import { renderListing } from './api/listing.js';
import type { RunRequest } from './api/request.js';
import { OptionError, TsplayError } from './errors/index.js';
import { applyLimit, loadInventory, selectHosts, type Inventory } from './inventory/index.js';
import { createPlaybookLoader } from './model/playbook-loader.js';
import { ModuleArgValidator } from './modules/validate.js';
import { JsonFileFactCache } from './facts/cache.js';
import { buildReporters } from './api/reporters.js';
import { planSetup, type PlanVerdict } from './api/plan.js';
import type { Reporter } from './report/reporter.js';
import { ConnectionPool } from './run/connection-pool.js';
import type { RunContext, RunOptions } from './run/context.js';
import { runPlaybooks, type LoadedPlaybook } from './run/playbook-runner.js';
import { checkPromptsAnswerable } from './run/vars-prompt.js';
import { RunState } from './run/run-state.js';
import { HostNotebook } from './run/host-notes.js';
import { HostLedger } from './run/host-ledger.js';
import { Templar } from './template/index.js';
import { createConnectionFactory } from './transport/connect.js';
import { TrafficMeter } from './transport/metered.js';
import { Redactor } from './transport/redact.js';
import type { ConnectionFactory } from './types/connection.js';
import type { VaultDecrypter } from './types/vault.js';
import type { Ask } from './types/prompt.js';
import { VaultKeyring } from './vault/keyring.js';
import { scrubError } from './api/scrub-error.js';

export type { RunRequest } from './api/request.js';
export type { PlanVerdict } from './api/plan.js';
// the single front door: cli/ reaches the engine only through these
export { parseExtraVars } from './api/extra-vars.js';
export { inventoryReport, type InventoryRequest } from './api/inventory.js';
export { runCerts, type CertsRequest } from './api/certs.js';

export interface RunDeps {
  readonly write: (text: string) => void;
  readonly settings: AnsibleSettings;
  readonly cwd: string;
  readonly connectionFactory?: ConnectionFactory;
  /** Reporters besides the output's own (the plan command's). */
  readonly reporters?: readonly Reporter[];
  /** The clock for durations (ms since the epoch); tests inject one. */
  readonly now?: () => number;
  /** The terminal's width for the progress line. */
  readonly columns?: () => number;
  /** Aborted when the user interrupts: the run stops scheduling and cancels remote commands. */
  readonly signal?: AbortSignal;
  /** The user's terminal (vars_prompt, pause); absent when stdin is not a TTY. */
  readonly ask?: Ask;
  /** The environment ansible would see (ANSIBLE_* and PATH for finding Python); process.env by default. */
  readonly env?: NodeJS.ProcessEnv;
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
    become: { enabled: req.become ?? s.become, user: req.becomeUser ?? s.becomeUser, method: req.becomeMethod ?? s.becomeMethod, flags: s.becomeFlags, password: req.becomePassword },
    connection: req.connection,
    sshCommonArgs: req.sshCommonArgs,
    sshExtraArgs: req.sshExtraArgs,
    remoteUser: req.user ?? s.remoteUser,
    privateKeyFile: req.privateKey ?? s.privateKeyFile,
    connectTimeoutSec: req.timeout ?? s.timeout,
    gathering: s.gathering,
    hostKeyChecking: s.hostKeyChecking ? 'strict' : 'off',
    forceHandlers: req.forceHandlers ?? s.forceHandlers,
    errorOnMissingHandler: s.errorOnMissingHandler,
    hashBehaviour: s.hashBehaviour,
    anyErrorsFatal: s.anyErrorsFatal,
    strategy: s.strategy,
    inventoryDir: firstInv === undefined ? undefined : dirname(firstInv),
    inventoryFile: firstInv,
    configFile: s.configFile,
    retryFiles: { enabled: s.retryFilesEnabled, savePath: s.retryFilesSavePath },
  };
}


/** One loader per playbook file: like ansible, its run-time includes resolve relative to that playbook. */
function loadAll(req: RunRequest, deps: RunDeps, templar: Templar, vault: VaultDecrypter, py: PyModuleRunner, warn: (m: string) => void): LoadedPlaybook[] {
  return req.playbooks.map((file) => {
    const full = resolve(deps.cwd, file);
    const loader = createPlaybookLoader(createParseEnv(dirname(full), deps.settings.rolesPath, templar, { vault, pyModules: py, warn }));
    return { playbook: loader.loadPlaybook(full, req.extraVars), loader, given: file };
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

function metered(meter: TrafficMeter | undefined, factory: ConnectionFactory): ConnectionFactory {
  return meter === undefined ? factory : meter.wrap(factory);
}

/** The single entry the CLI and the tests use: parse, then run (or list), report, exit code. */
export async function runPlaybook(req: RunRequest, deps: RunDeps): Promise<number> {
  // Decrypted vault values (and private prompt answers) are masked in every output of the run;
  // no_log values and connection secrets only in the -vvv logs (the run's redactor), like ansible.
  const secrets = new Redactor(req.knownSecrets ?? []);
  const redactor = new Redactor(req.knownSecrets ?? []);
  const vault = new VaultKeyring(req.vaultSecrets ?? [], (v) => { secrets.add(v); redactor.add(v); });
  const masked: RunDeps = { ...deps, write: (t) => deps.write(secrets.text(t)) };
  try {
    return await runWithVault(req, masked, { redactor, secrets }, vault);
  } catch (e) {
    throw scrubError(e, secrets);
  }
}

async function runWithVault(req: RunRequest, deps: RunDeps, masks: { redactor: Redactor; secrets: Redactor }, vault: VaultKeyring): Promise<number> {
  const { redactor, secrets } = masks;
  if (req.playbooks.length === 0) throw new OptionError('no playbook given', { hint: 'usage: tsplay PLAYBOOK.yml -i INVENTORY' });
  const inventories = req.inventories.length > 0 ? req.inventories : deps.settings.inventory;
  // like ansible: parse-time warnings (inventory, duplicate keys) come before the first PLAY line
  const warnings: string[] = [];
  const inv: Inventory = loadInventory(inventories.length > 0 ? inventories : [], { cwd: deps.cwd, vault, onWarning: (m) => warnings.push(m) });
  checkLimitLeavesHosts(inv, req.limit, deps.cwd);
  const templar = new Templar();
  const s = deps.settings;
  const py = createPyModules({ library: s.library, moduleUtils: s.moduleUtils, collectionsPaths: s.collectionsPaths, scanSysPath: s.collectionsScanSysPath }, deps.env ?? process.env);
  const playbooks = loadAll(req, deps, templar, vault, py, (m) => warnings.push(m));
  if (req.mode !== 'run') {
    deps.write(renderListing(req, playbooks.map((p) => p.playbook), inv, templar));
    return 0;
  }
  const meter = req.profile === true ? new TrafficMeter() : undefined;
  const { reporter, write } = buildReporters(req, deps, playbooks.map((p) => p.playbook), meter);
  for (const message of new Set(warnings)) reporter.handle({ kind: 'warning', message });
  if (req.becomePassword !== undefined) redactor.add(req.becomePassword.reveal());
  const run: RunContext = {
    options: runOptions(req, deps.settings, inventories),
    templar,
    state: new RunState(inv),
    ledger: new HostLedger(),
    pyModules: py,
    notes: new HostNotebook(),
    connections: new ConnectionPool(metered(meter, deps.connectionFactory ?? createConnectionFactory({ verbosity: req.verbosity, log: (l) => write(`${redactor.text(l)}\n`), persistentShell: s.persistentShell }))),
    redactor,
    signal: deps.signal,
    vault,
    ask: deps.ask,
    emit: (e) => reporter.handle(e),
    omit: `__omit_place_holder__${randomBytes(20).toString('hex')}`,
    moduleArgs: new ModuleArgValidator(),
    factCache:
      deps.settings.factCaching === 'jsonfile' && deps.settings.factCachingConnection
        ? new JsonFileFactCache({ dir: resolve(deps.cwd, deps.settings.factCachingConnection), timeoutSec: deps.settings.factCachingTimeout, scrub: (v) => secrets.value(v) })
        : undefined,
  };
  checkPromptsAnswerable(run, playbooks.map((p) => p.playbook));
  if (req.flushCache === true && run.factCache !== undefined) {
    const cache = run.factCache;
    await Promise.all([...inv.hosts.keys()].map((h) => cache.remove(h)));
  }
  const code = await runPlaybooks(run, playbooks);
  reporter.finish();
  return code;
}

/**
 * `tsplay plan`: the playbook in check + diff mode reported per host; the verdict says whether
 * anything would change ('changes'), something would fail ('failed'), or neither.
 */
export async function planPlaybook(req: RunRequest, deps: RunDeps): Promise<{ code: number; verdict: PlanVerdict }> {
  const plan = planSetup(req, deps.write, deps.cwd);
  const code = await runPlaybook(plan.req, { ...deps, reporters: [...(deps.reporters ?? []), plan.reporter] });
  return { code, verdict: plan.verdict() };
}

/** `tsplay lab ...`: the lab code is loaded for that command only, not at every start. */
export async function runLab(argv: string[]): Promise<number> {
  return (await import('./lab/command.js')).runLabCommand(argv);
}
