import { describe, expect, it } from 'vitest';
import { Free } from '../../../engine/run/free.js';
import { HostPinned } from '../../../engine/run/host-pinned.js';
import { checkStrategy } from '../../../engine/run/strategies.js';
import type { Step } from '../../../engine/run/steps.js';
import type { GroupExecutor, Strategy } from '../../../engine/run/strategy.js';
import { TextReporter } from '../../../engine/report/text-reporter.js';
import { JsonReporter } from '../../../engine/report/json-reporter.js';
import type { RunEvent, TaskInfo } from '../../../engine/types/events.js';

const flush: Step = { kind: 'flush' };
const where = { file: '/p/site.yml', line: 7, col: 5 };

/**
 * Steps on host b wait for `bWaits` (20 ms when not given), steps elsewhere take no time;
 * returns the order steps ran in.
 */
function harness(make: (execute: GroupExecutor) => Strategy, bWaits: () => Promise<unknown> = () => new Promise((done) => setTimeout(done, 20))) {
  const ran: string[] = [];
  const strategy = make(async (group) => {
    expect(group).toHaveLength(1); // free strategies run one host's step at a time
    const r = group[0]!;
    if (r.host === 'b') await bWaits();
    ran.push(`${r.host}:${r.key}`);
    r.resolve({ kind: 'done' });
  });
  const walker = async (host: string, keys: string[]) => {
    try {
      for (const [i, k] of keys.entries()) await strategy.request(host, [i], k, flush);
    } finally {
      strategy.leave(host);
    }
  };
  return { ran, walker };
}

describe('free strategy', () => {
  it('lets a fast host run ahead of a slow one (no barrier between hosts)', async () => {
    // b's steps wait until a is done or 2 s passed: with a barrier between hosts a could not
    // finish first, so the wait runs out and the order shows it (no timing race under load)
    let aDone!: () => void;
    const aFinished = new Promise<void>((done) => (aDone = done));
    const bWaits = () => Promise.race([aFinished, new Promise((done) => setTimeout(done, 2000))]);
    const { ran, walker } = harness((ex) => new Free(['a', 'b'], ex, { forks: 5 }), bWaits);
    await Promise.all([walker('a', ['t1', 't2', 't3']).then(() => aDone()), walker('b', ['t1', 't2', 't3'])]);
    expect(ran.slice(0, 3)).toEqual(['a:t1', 'a:t2', 'a:t3']);
    expect(ran.filter((r) => r.startsWith('b:'))).toEqual(['b:t1', 'b:t2', 'b:t3']);
  });

  it('interleaves hosts whose steps never wait on a remote', async () => {
    const { ran, walker } = harness((ex) => new Free(['a', 'c'], ex, { forks: 5 }));
    await Promise.all([walker('a', ['t1', 't2']), walker('c', ['t1', 't2'])]);
    expect(ran).toEqual(['a:t1', 'c:t1', 'a:t2', 'c:t2']);
  });
});

describe('host_pinned strategy', () => {
  it('with one fork a host keeps its worker until it leaves: hosts run one after the other', async () => {
    const { ran, walker } = harness((ex) => new HostPinned(['b', 'a', 'c'], ex, { forks: 1 }));
    await Promise.all([walker('a', ['t1', 't2']), walker('b', ['t1', 't2']), walker('c', ['t1', 't2'])]);
    expect(ran).toEqual(['b:t1', 'b:t2', 'a:t1', 'a:t2', 'c:t1', 'c:t2']);
  });

  it('with two forks the third host starts when the first one is done', async () => {
    const { ran, walker } = harness((ex) => new HostPinned(['a', 'b', 'c'], ex, { forks: 2 }));
    await Promise.all([walker('a', ['t1', 't2']), walker('b', ['t1', 't2']), walker('c', ['t1'])]);
    expect(ran.indexOf('c:t1')).toBeGreaterThan(ran.indexOf('a:t2'));
    expect(ran.indexOf('c:t1')).toBeLessThan(ran.indexOf('b:t2'));
  });
});

describe('strategy names', () => {
  it.each([['linear', 'linear'], ['free', 'free'], ['ansible.builtin.host_pinned', 'host_pinned'], [undefined, 'linear']])('%s → %s', (value, name) => {
    expect(checkStrategy(value, where, false)).toBe(name);
  });
  it('an unknown name is one error with the place and the valid names', () => {
    expect(() => checkStrategy('fre', where, false)).toThrow(/Invalid play strategy specified: fre/);
    try {
      checkStrategy('fre', where, true);
    } catch (e) {
      expect(e).toMatchObject({ code: 'strategy', where, hint: expect.stringMatching(/linear, free, host_pinned.*ANSIBLE_STRATEGY/) });
    }
    expect.assertions(2);
  });
});

describe('reporting a free play like ansible', () => {
  const task = (name: string, line: number): TaskInfo => ({ name, action: 'debug', loc: { ...where, line }, isHandler: false });
  const t1 = task('one', 1);
  const t2 = task('two', 2);
  const result = (t: TaskInfo, host: string): RunEvent => ({ kind: 'host_result', task: t, host, status: 'ok', result: {}, ignored: false, noLog: false });
  const events = (strategy: string): RunEvent[] => [
    { kind: 'play_start', name: 'p', loc: where, hosts: ['a', 'b'], strategy },
    { kind: 'task_start', task: t1 }, { kind: 'task_start', task: t1 }, result(t1, 'a'),
    { kind: 'task_start', task: t2 }, result(t2, 'a'), result(t1, 'b'),
  ];
  const text = (strategy: string) => {
    let out = '';
    const r = new TextReporter({ write: (t) => { out += t; }, color: false, verbosity: 0, diff: false });
    for (const e of events(strategy)) r.handle(e);
    return out.split('\n').filter((l) => l !== '').map((l) => l.replace(/ \*+$/, ''));
  };
  it('text: a banner comes with each result whose task is not the last banner', () => {
    expect(text('free')).toEqual(['PLAY [p]', 'TASK [one]', 'ok: [a]', 'TASK [two]', 'ok: [a]', 'TASK [one]', 'ok: [b]']);
  });
  it('text: linear prints banners at task start', () => {
    expect(text('linear')).toEqual(['PLAY [p]', 'TASK [one]', 'TASK [one]', 'ok: [a]', 'TASK [two]', 'ok: [a]', 'ok: [b]']);
  });
  it('json: an entry per host result under free', () => {
    let out = '';
    const r = new JsonReporter((t) => { out += t; });
    for (const e of events('host_pinned')) r.handle(e);
    r.handle({ kind: 'recap', stats: new Map() });
    const doc = JSON.parse(out) as { plays: { tasks: { task: { name: string }; hosts: Record<string, unknown> }[] }[] };
    expect(doc.plays[0]!.tasks.map((t) => `${t.task.name}:${Object.keys(t.hosts).join(',')}`)).toEqual(['one:a', 'two:a', 'one:b']);
  });
  it('controller warnings (once) print once, task warnings every time', () => {
    let out = '';
    const r = new TextReporter({ write: (t) => { out += t; }, color: false, verbosity: 0, diff: false });
    for (let i = 0; i < 2; i++) r.handle({ kind: 'warning', message: 'w1', once: true });
    for (let i = 0; i < 2; i++) r.handle({ kind: 'warning', message: 'w2' });
    expect(out.match(/w1/g)).toHaveLength(1);
    expect(out.match(/w2/g)).toHaveLength(2);
  });
});
