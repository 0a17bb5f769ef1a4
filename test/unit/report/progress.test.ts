import { describe, expect, it } from 'vitest';
import { ProgressDisplay } from '../../../engine/report/progress.js';
import type { RunEvent, TaskInfo } from '../../../engine/types/events.js';

const task = (name: string, isHandler = false): TaskInfo => ({ name, action: 'command', loc: { file: 'site.yml', line: 3, col: 5 }, isHandler });

function display(planned: number[] = [3]) {
  const out: string[] = [];
  let now = 1_000_000;
  const p = new ProgressDisplay({ out: (t) => out.push(t), now: () => now, columns: () => 200, plannedTasks: planned, tickMs: 0 });
  const status = () => {
    const last = out[out.length - 1]!;
    // eslint-disable-next-line no-control-regex
    return last.replace(/\r\x1b\[2K|\x1b\[7m|\x1b\[0m/g, '');
  };
  return { p, out, status, advance: (ms: number) => { now += ms; } };
}

describe('progress line', () => {
  it('shows play, task i of n, hosts done / changed / failed / unreachable, elapsed time and who is still running', () => {
    const d = display();
    d.p.handle({ kind: 'play_start', name: 'web', loc: { file: 'site.yml', line: 1, col: 3 }, hosts: ['a', 'b', 'c'] });
    d.p.handle({ kind: 'task_start', task: task('first') });
    expect(d.status()).toBe('[web] task 1 of 3: first | hosts 0/3 changed 0 failed 0 unreachable 0 | 0:00:00 | running: a, b, c (0.0s)');
    d.advance(2500);
    const result = (host: string, status: 'changed' | 'failed' | 'unreachable'): RunEvent => ({ kind: 'host_result', task: task('first'), host, status, result: {}, ignored: false, noLog: false });
    d.p.handle(result('a', 'changed'));
    d.p.handle(result('b', 'unreachable'));
    expect(d.status()).toBe('[web] task 1 of 3: first | hosts 2/3 changed 1 failed 0 unreachable 1 | 0:00:02 | running: c (2.5s)');
    d.p.handle(result('c', 'failed'));
    d.p.handle({ kind: 'task_start', task: task('second') });
    // hosts that failed or became unreachable leave the play: the next task counts only a
    expect(d.status()).toBe('[web] task 2 of 3: second | hosts 0/1 changed 0 failed 0 unreachable 0 | 0:00:02 | running: a (0.0s)');
  });

  it('under free a task starts once per host but counts once', () => {
    const d = display();
    const at = (name: string, line: number): TaskInfo => ({ ...task(name), loc: { file: 'site.yml', line, col: 5 } });
    d.p.handle({ kind: 'play_start', name: 'web', loc: { file: 'site.yml', line: 1, col: 3 }, hosts: ['a', 'b'], strategy: 'free' });
    d.p.handle({ kind: 'task_start', task: at('first', 3) });
    d.p.handle({ kind: 'task_start', task: at('first', 3) });
    expect(d.status()).toMatch(/^\[web\] task 1 of 3: first /);
    d.p.handle({ kind: 'task_start', task: at('second', 5) });
    d.p.handle({ kind: 'task_start', task: at('first', 3) });
    expect(d.status()).toMatch(/^\[web\] task 2 of 3: second /);
  });

  it('prints ordinary lines above the status line and leaves the screen clean at the end', () => {
    const d = display();
    d.p.handle({ kind: 'play_start', name: 'p', loc: { file: 'x', line: 1, col: 1 }, hosts: ['a'] });
    d.p.writeAbove('TASK [x] ****\n');
    // the status line was cleared before the text, then drawn again under it
    expect(d.out[d.out.length - 2]).toBe('\r\x1b[2KTASK [x] ****\n');
    expect(d.out[d.out.length - 1]).toMatch(/^\r\x1b\[2K\x1b\[7m\[p\]/);
    d.p.finish();
    expect(d.out[d.out.length - 1]).toBe('\r\x1b[2K');
  });

  it('never draws wider than the terminal, and drops "of n" once includes ran past the estimate', () => {
    const d = display([1]);
    d.p.handle({ kind: 'play_start', name: 'p'.repeat(300), loc: { file: 'x', line: 1, col: 1 }, hosts: ['a'] });
    expect(d.status().length).toBeLessThanOrEqual(199);
    const e = display([1]);
    e.p.handle({ kind: 'play_start', name: 'p', loc: { file: 'x', line: 1, col: 1 }, hosts: ['a'] });
    e.p.handle({ kind: 'task_start', task: task('one') });
    e.p.handle({ kind: 'task_start', task: task('two') });
    expect(e.status()).toMatch(/^\[p\] task 2: two /);
  });
});
