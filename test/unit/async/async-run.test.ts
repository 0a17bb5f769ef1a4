import { gateOf } from '../modules/context.js';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { command } from '../../../engine/modules/command.js';
import { asyncStatusModule } from '../../../engine/modules/async_status.js';
import { LocalConnection } from '../../../engine/transport/local.js';
import type { Connection, ExecRequest } from '../../../engine/types/connection.js';
import type { AsyncSpec, ModuleContext } from '../../../engine/types/module.js';
import { isolatedEnv } from '../../fixtures/oracle/env.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'tsplay-async-test-'));
  dirs.push(d);
  return d;
}

/** A local connection that counts round trips (exec calls). */
function counting(): { conn: Connection; execs: ExecRequest[] } {
  const inner = new LocalConnection('h1');
  const execs: ExecRequest[] = [];
  const conn = Object.create(inner) as Connection;
  (conn as { exec: Connection['exec'] }).exec = (req) => { execs.push(req); return inner.exec(req); };
  return { conn, execs };
}

function ctxFor(conn: Connection, args: Record<string, unknown>, asyncSpec?: AsyncSpec, vars: Record<string, unknown> = {}): ModuleContext {
  return {
    host: 'h1', args, loc: { file: 't.yml', line: 1, col: 1 },
    ...gateOf(conn, false),
    findFile: () => { throw new Error('no files'); },
    templating: { renderFile: () => '', evaluate: () => undefined, conditional: () => true },
    vars, log: () => undefined, ...(asyncSpec ? { async: asyncSpec } : {}),
  } as ModuleContext;
}

describe('async jobs', () => {
  it('poll > 0: one round trip to start and one per poll; the files are removed once collected', async () => {
    const dir = tmp();
    const { conn, execs } = counting();
    const started = Date.now();
    const r = await command.run(ctxFor(conn, { _raw_params: 'sh -c "sleep 1.5; echo hi"' }, { seconds: 10, poll: 1, dir }));
    const polls = Math.floor((Date.now() - started) / 1000);
    expect(r).toMatchObject({ rc: 0, stdout: 'hi', finished: 1, started: 1, changed: true, failed: false });
    // the start, then one status read per second of polling (2 here, 3 on a loaded machine)
    expect(polls).toBeGreaterThanOrEqual(2);
    expect(execs).toHaveLength(1 + polls);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('poll 0 returns at once; async_status reads running, then the finished result, in one round trip each', async () => {
    const dir = tmp();
    const { conn, execs } = counting();
    const fired = await command.run(ctxFor(conn, { _raw_params: 'sh -c "sleep 2.5; echo done"' }, { seconds: 30, poll: 0, dir }));
    expect(fired).toMatchObject({ finished: 0, started: 1, changed: true, failed: 0 });
    const jid = String(fired.ansible_job_id);
    const st = ctxFor(conn, { jid }, undefined, { ansible_async_dir: dir });
    // still running: poll 0 did not wait for the job
    expect(await asyncStatusModule.run(st)).toMatchObject({ finished: 0, started: 1, changed: false, results_file: join(dir, jid) });
    expect(execs).toHaveLength(2);
    let last = {} as Record<string, unknown>;
    for (let i = 0; i < 40 && last.finished !== 1; i++) {
      await new Promise((r) => setTimeout(r, 250));
      last = await asyncStatusModule.run(st);
    }
    expect(last).toMatchObject({ finished: 1, rc: 0, stdout: 'done', cmd: ['sh', '-c', 'sleep 2.5; echo done'] });
    expect(execs.length).toBeLessThanOrEqual(2 + 40);
  });

  it('the job outlives the process that started it (the controller\'s connection dropping)', () => {
    const dir = tmp();
    // a separate node process starts the job and exits; this process then collects it
    const script = `
      import('${join(__dirname, '..', '..', '..', 'dist', 'engine', 'modules', 'command.js')}').then(async ({ command }) => {
        const { LocalConnection } = await import('${join(__dirname, '..', '..', '..', 'dist', 'engine', 'transport', 'local.js')}');
        const { hostAccess, hostGate } = await import('${join(__dirname, '..', '..', '..', 'dist', 'engine', 'run', 'module-context.js')}');
        const conn = new LocalConnection('h1');
        const gate = hostGate(false, async () => hostAccess(conn, undefined, {}), () => undefined);
        const r = await command.run({ host: 'h1', args: { _raw_params: 'sh -c "sleep 1; echo survived"' }, loc: { file: 'x', line: 1, col: 1 },
          ...gate, vars: {}, log: () => {}, async: { seconds: 30, poll: 0, dir: ${JSON.stringify(dir)} } });
        process.stdout.write(String(r.ansible_job_id));
        process.exit(0);
      });`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: isolatedEnv() });
    expect(r.status, r.stderr).toBe(0);
    const jid = r.stdout;
    spawnSync('sleep', ['1.6']);
    expect(readFileSync(join(dir, `${jid}.out`), 'utf8')).toBe('survived\n');
    expect(readFileSync(join(dir, `${jid}.rc`), 'utf8')).toMatch(/^0 /);
  });

  it('a timeout kills the job\'s whole process group; async_status says so', async () => {
    const dir = tmp();
    const { conn } = counting();
    const marker = join(dir, 'child-alive');
    // a grandchild that would touch a file after 3 s if it were not killed with its group
    const fired = await command.run(ctxFor(conn, { _raw_params: `sh -c "(sleep 3; touch ${marker}) & sleep 3; wait"` }, { seconds: 1, poll: 0, dir }));
    await new Promise((r) => setTimeout(r, 4200));
    expect(existsSync(marker)).toBe(false);
    const st = await asyncStatusModule.run(ctxFor(conn, { jid: String(fired.ansible_job_id) }, undefined, { ansible_async_dir: dir }));
    expect(st).toMatchObject({ finished: 1, failed: true, msg: 'Timeout exceeded' });
  });

  it('an unknown job is "could not find job"; cleanup erases a job', async () => {
    const dir = tmp();
    const { conn } = counting();
    writeFileSync(join(dir, 'j1.2'), '{"started": 1, "finished": 0}\n');
    const missing = await asyncStatusModule.run(ctxFor(conn, { jid: 'j9.9' }, undefined, { ansible_async_dir: dir }));
    expect(missing).toMatchObject({ failed: true, msg: 'could not find job', finished: 1 });
    const erased = await asyncStatusModule.run(ctxFor(conn, { jid: 'j1.2', mode: 'cleanup' }, undefined, { ansible_async_dir: dir }));
    expect(erased).toMatchObject({ erased: join(dir, 'j1.2') });
    expect(existsSync(join(dir, 'j1.2'))).toBe(false);
  });
});
