import { closeSync, openSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { OptionError } from '../errors/index.js';
import type { Node, Playbook } from '../model/types.js';
import { EventStreamReporter } from '../report/event-stream.js';
import { JsonReporter } from '../report/json-reporter.js';
import { ProfileReporter } from '../report/profile-reporter.js';
import { ProgressDisplay } from '../report/progress.js';
import { fanOut, type Reporter } from '../report/reporter.js';
import { TextReporter } from '../report/text-reporter.js';
import type { TrafficMeter } from '../transport/metered.js';
import type { RunRequest } from './request.js';

interface ReporterDeps {
  readonly write: (text: string) => void;
  readonly cwd: string;
  readonly reporters?: readonly Reporter[];
  readonly now?: () => number;
  readonly columns?: () => number;
}

/** Tasks a play holds before dynamic includes expand (the "of n" of the progress line). */
function countTasks(nodes: readonly Node[]): number {
  return nodes.reduce((n, node) => n + (node.kind === 'block' ? countTasks(node.block) + countTasks(node.always) : 1), 0);
}

function plannedTasks(playbooks: readonly Playbook[]): number[] {
  return playbooks.flatMap((pb) => pb.plays.map((p) => p.sections.reduce((n, s) => n + countTasks(s), 0)));
}

/** --events FILE|-: the stream's own writer; a file is created 0600 (results may be sensitive). */
function eventSink(target: string, deps: ReporterDeps): { write: (line: string) => void; close: () => void } {
  if (target === '-') return { write: deps.write, close: () => undefined };
  const path = resolve(deps.cwd, target);
  let fd: number;
  try {
    fd = openSync(path, 'w', 0o600);
  } catch (e) {
    throw new OptionError(`cannot write the event stream to ${path}: ${(e as Error).message}`, { hint: '--events takes a writable file path or - for stdout' });
  }
  return { write: (line) => writeSync(fd, line), close: () => closeSync(fd) };
}

/**
 * Every reporter a run asked for, fanned out in a fixed order (output, extras, events, profile,
 * then the progress line last so it is drawn below everything), and the writer that ordinary
 * output must use so the progress line stays at the bottom.
 */
export function buildReporters(req: RunRequest, deps: ReporterDeps, playbooks: readonly Playbook[], meter: TrafficMeter | undefined): { reporter: Reporter; write: (text: string) => void } {
  const now = deps.now ?? Date.now;
  const progress = req.progress === true
    ? new ProgressDisplay({ out: deps.write, now, columns: deps.columns ?? (() => 80), plannedTasks: plannedTasks(playbooks) })
    : undefined;
  const write = progress?.writeAbove ?? deps.write;
  const list: Reporter[] = [];
  // `--events -` owns stdout: the text/json output is left out rather than interleaved with it
  const streamOnStdout = req.events === '-';
  if (req.output === 'json' && !streamOnStdout) list.push(new JsonReporter(write));
  if (req.output === 'text' && !streamOnStdout) list.push(new TextReporter({ write, color: req.color, verbosity: req.verbosity, diff: req.diff }));
  list.push(...(deps.reporters ?? []));
  if (req.events !== undefined) {
    const sink = eventSink(req.events, deps);
    const stream = new EventStreamReporter({ write: sink.write, now });
    list.push({ handle: (e) => stream.handle(e), finish: () => { stream.finish(); sink.close(); } });
  }
  if (meter !== undefined) list.push(new ProfileReporter({ write, now, traffic: () => meter.snapshot(), columns: deps.columns?.() }));
  if (progress !== undefined) list.push(progress);
  return { reporter: fanOut(list), write };
}
