import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { applyLimit, selectHosts, splitHostPattern } from '../inventory/index.js';
import { ParseError, TsplayError } from '../errors/index.js';
import type { PlaybookLoader } from '../model/playbook-loader.js';
import type { Play, RawVars, TaskNode } from '../model/types.js';
import { loadVarsFile } from '../source/vars-file.js';
import { serialBatches } from './batches.js';
import { activeHosts, type PlayContext, type RunContext } from './context.js';
import { walkPlay } from './host-walker.js';
import { NotificationBook } from './notifications.js';
import { rootScope } from './scope.js';
import { executeGroup } from './step-executor.js';
import { checkStrategy, isLockstep, strategyFor } from './strategies.js';
import type { StrategyName } from './strategy.js';
import { runTaskGroup } from './task-group.js';
import { isUndefinedError, undefinedText } from './task-errors.js';
import { toBool } from '../python/boolean.js';
import { hostVars } from './vars-builder.js';
import { answerPrompts } from './vars-prompt.js';
import type { VarsFolders } from '../inventory/index.js';
import { LazyVars } from '../vars/var-source.js';

/** What play keywords templated before any host is chosen (hosts, serial) can see. */
function playLevelVars(run: RunContext, play: Play, promptVars: RawVars = {}): LazyVars {
  return new LazyVars([
    { layer: 'play_vars', source: 'play vars', vars: play.kw.vars ?? {} },
    { layer: 'vars_prompt', source: 'vars_prompt', vars: promptVars },
    { layer: 'extra_vars', source: 'extra vars', vars: run.options.extraVars },
  ], run.templar);
}

/** like ansible's play.post_validate: the play name is templated with play vars and extra vars. */
function playTitle(run: RunContext, play: Play, promptVars: RawVars): string {
  if (!play.name.includes('{{') && !play.name.includes('{%')) return play.name;
  try {
    return String(run.templar.template(play.name, playLevelVars(run, play, promptVars), { where: play.loc }));
  } catch {
    return play.name;
  }
}

/** The hosts the play's pattern matches (after --limit, in inventory order), failed hosts included. */
function patternHosts(run: RunContext, play: Play, promptVars: RawVars): string[] {
  const vars = playLevelVars(run, play, promptVars);
  let pattern: string | string[];
  try {
    pattern = run.templar.template(play.hosts, vars, { where: play.loc }) as string | string[];
  } catch (e) {
    // like ansible's play.post_validate: an AnsibleParserError, so exit code 4
    if (!isUndefinedError(e)) throw e;
    throw new ParseError(`The field 'hosts' has an invalid value, which includes an undefined variable. The error was: ${undefinedText(e)}`, { where: play.loc });
  }
  const inv = run.state.inventory;
  let hosts = selectHosts(inv, pattern);
  // like ansible: an explicit localhost not in the inventory is the implicit local host
  const words = (Array.isArray(pattern) ? pattern : String(pattern).split(/[:,]/)).map((w) => w.trim());
  for (const w of ['localhost', '127.0.0.1']) if (words.includes(w) && !inv.hosts.has(w) && !hosts.includes(w)) hosts.push(w);
  // like ansible's inventory manager: each pattern that matches nothing is a warning
  for (const term of splitHostPattern(pattern).map((p) => p.replace(/^[!&]/, ''))) {
    if (term !== 'all' && term !== 'localhost' && term !== '127.0.0.1' && !inv.groups.has(term) && selectHosts(inv, term).length === 0) {
      run.emit({ kind: 'warning', message: `Could not match supplied host pattern, ignoring: ${term}` });
    }
  }
  if (run.options.limit) hosts = applyLimit(inv, hosts, run.options.limit).concat(hosts.filter((h) => !inv.hosts.has(h) && run.options.limit?.split(/[:,]/).includes(h)));
  return hosts.filter((h, i) => hosts.indexOf(h) === i);
}

/** The play's `order` applies to execution and batches, not to ansible_play_hosts(_all). */
function inPlayOrder(play: Play, hosts: readonly string[]): string[] {
  const out = [...hosts];
  if (play.order === 'reverse_inventory') out.reverse();
  if (play.order === 'sorted') out.sort();
  if (play.order === 'reverse_sorted') out.sort().reverse();
  return out;
}

/** vars_files: each entry a path (or a list: the first that exists), templated per host. */
function loadVarsFiles(pc: PlayContext, host: string): void {
  const out: { source: string; vars: Record<string, unknown> }[] = [];
  const vars = hostVars(pc, host);
  for (const entry of pc.play.varsFiles) {
    const options = (Array.isArray(entry) ? entry : [entry]).map((e) => String(pc.run.templar.template(e, vars, { where: pc.play.loc })));
    const paths = options.map((p) => (isAbsolute(p) ? p : join(pc.play.playbookDir, p)));
    const hit = paths.find((p) => existsSync(p));
    if (hit === undefined) {
      throw new TsplayError('vars_files', `vars file ${options.join(', ')} was not found`, { where: pc.play.loc, hint: `looked for: ${paths.join(', ')}` });
    }
    out.push({ source: hit, vars: loadVarsFile(hit, { listOfMappings: true, vault: pc.run.vault }) });
  }
  pc.varsFiles.set(host, out);
}

/** ANSIBLE_ERROR_ON_MISSING_HANDLER=false: like ansible, an unknown handler is a warning. */
function missingHandler(run: RunContext): ((name: string) => void) | undefined {
  if (run.options.errorOnMissingHandler !== false) return undefined;
  return (name) => run.emit({ kind: 'warning', message: `The requested handler '${name}' was not found in any of the known handlers` });
}

/** Handler names are templated with the play's variables, like ansible. */
function handlerNames(run: RunContext, play: Play): (text: string) => string | undefined {
  const seen = new Map<string, string | undefined>();
  return (text) => {
    if (seen.has(text)) return seen.get(text);
    let name: string | undefined;
    try {
      name = String(run.templar.template(text, playLevelVars(run, play)));
    } catch {
      run.emit({ kind: 'warning', message: `Handler '${text}' is unusable because it has no listen topics and the name could not be templated (host-specific variables are not supported in handler names). The error: undefined variable` });
    }
    seen.set(text, name);
    return name;
  };
}

function gatherTask(play: Play): TaskNode {
  return {
    kind: 'task', loc: play.loc, name: 'Gathering Facts', action: 'setup',
    args: play.gatherSubset === undefined ? {} : { gather_subset: play.gatherSubset },
    kw: {}, isHandler: false,
  };
}

function wantsFacts(run: RunContext, play: Play, host: string): boolean {
  if (play.gatherFacts !== undefined && play.gatherFacts !== null) return toBool(play.gatherFacts);
  if (run.options.gathering === 'explicit') return false;
  if (run.options.gathering === 'smart') return Object.keys(run.state.host(host).facts).length === 0;
  return true;
}

async function runBatch(pc: PlayContext, batch: string[]): Promise<void> {
  pc.batch = batch;
  for (const h of batch) loadVarsFiles(pc, h);
  const gatherOn = batch.filter((h) => wantsFacts(pc.run, pc.play, h));
  if (gatherOn.length > 0) {
    const res = await runTaskGroup(pc, gatherTask(pc.play), rootScope(pc.play.kw), gatherOn);
    for (const [h, o] of res) {
      if (o.status === 'unreachable') pc.run.ledger.markUnreachable(h);
      else if (o.status === 'failed') pc.run.ledger.markFailed(h);
    }
  }
  const live = activeHosts(pc, batch);
  if (!isLockstep(pc.strategy) && pc.play.maxFailPercentage !== undefined && pc.play.maxFailPercentage !== null) {
    // like ansible's free strategy (the controller's Display: each warning once per run)
    pc.run.emit({ kind: 'warning', message: 'Using max_fail_percentage with the free strategy is not supported, as tasks are executed independently on each host', once: true });
  }
  const strategy = strategyFor(pc.strategy)(live, (group) => executeGroup(pc, group), { forks: pc.run.options.forks });
  const startAt = { found: pc.run.options.startAtTask === undefined, name: pc.run.options.startAtTask };
  await Promise.all(live.map((host) => walkPlay({ pc, strategy, host, startAt })));
}

/** like ansible's Play.post_validate: `strategy` is templated with the play's vars, then looked up. */
function playStrategy(run: RunContext, play: Play, promptVars: RawVars): StrategyName {
  const raw = play.strategy ?? run.options.strategy ?? 'linear';
  const value = run.templar.template(raw, playLevelVars(run, play, promptVars), { where: play.strategyLoc });
  return checkStrategy(value, play.strategy === undefined ? play.loc : play.strategyLoc, play.strategy === undefined);
}

export async function runPlay(run: RunContext, play: Play, loader: PlaybookLoader, playbookVars: VarsFolders | undefined): Promise<void> {
  // like ansible: failed hosts sit out later plays but stay in ansible_play_hosts_all
  // like ansible's PlaybookExecutor: prompts are answered before the play starts
  const promptVars = await answerPrompts(run, play, playLevelVars(run, play), run.templar);
  const all = patternHosts(run, play, promptVars);
  const title = playTitle(run, play, promptVars);
  // like ansible's PlaybookExecutor: serial batches are cut from every host the pattern matches,
  // hosts failed in earlier plays included (their batch is announced and runs nothing)
  const ordered = inPlayOrder(play, all);
  const strategy = playStrategy(run, play, promptVars);
  if (ordered.length === 0) {
    run.emit({ kind: 'play_start', name: title, loc: play.loc, hosts: [], strategy });
    run.emit({ kind: 'no_hosts', name: title });
    return;
  }
  const pc: PlayContext = {
    run, play, strategy, loader, playbookVars, promptVars, playHostsAll: all, batch: ordered.filter((h) => run.ledger.inGame(h)), varsFiles: new Map(),
    caches: { inventoryLayers: new Map(), factLayers: new WeakMap() }, book: new NotificationBook(play.handlers, missingHandler(run), handlerNames(run, play)), includeCache: new Map(), publicIncludedRoles: [],
  };
  run.ledger.beginPlay();
  // like ansible: serial may be templated with play vars and extra vars
  const serial = run.templar.template(play.serial, playLevelVars(run, play, promptVars), { where: play.loc });
  for (const batch of serialBatches(ordered, serial, play.loc)) {
    const live = batch.filter((h) => run.ledger.inGame(h));
    // like ansible: each serial batch is announced as its own play (PLAY header, json play entry)
    run.emit({ kind: 'play_start', name: title, loc: play.loc, hosts: live, strategy });
    if (live.length === 0) continue;
    await runBatch(pc, live);
    run.ledger.endBatch();
    if (run.ledger.playEnded) break;
    // like ansible: when every host of a batch failed (in this batch), the play and the rest of the playbook stop
    if (live.length === batch.length && live.every((h) => !run.ledger.inGame(h))) {
      run.ledger.abortPlaybook();
      break;
    }
  }
}
