/**
 * One measured run of the scale benchmark in a fresh process (so peak memory is this run's):
 * node dist/bench/scale/child.js PROJECT_DIR HOSTS → prints one JSON line of measurements.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runPlaybook } from '../../engine/api.js';
import { loadSettings } from '../../engine/config/ansible-cfg.js';
import { ReplayFactory } from './replay.js';
import type { Recording } from './recording.js';

async function main(dir: string, hosts: number, tasks: number): Promise<void> {
  const rec = JSON.parse(readFileSync(join(dir, 'recording.json'), 'utf8')) as Recording;
  const names = Array.from({ length: hosts }, (_, i) => `sim${String(i + 1).padStart(5, '0')}`);
  const inventory = join(dir, `hosts-${hosts}.ini`);
  writeFileSync(inventory, `[sim]\n${names.join('\n')}\n`);
  const replay = new ReplayFactory(rec);
  let bytes = 0;
  let recap = '';
  const settings = loadSettings({ ANSIBLE_CONFIG: join(dir, 'ansible.cfg') }, dir);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const code = await runPlaybook(
    {
      playbooks: [join(dir, 'site.yml')], inventories: [inventory], tags: [], skipTags: [], extraVars: {}, check: false, diff: false,
      forks: 100, verbosity: 0, mode: 'run', output: 'text', color: false,
    },
    { write: (t) => { bytes += t.length; if (t.includes('changed=')) recap += t; }, settings, cwd: dir, connectionFactory: replay },
  );
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const changed = [...recap.matchAll(/changed=(\d+)/g)].reduce((s, m) => s + Number(m[1]), 0);
  const failed = [...recap.matchAll(/failed=(\d+)/g)].reduce((s, m) => s + Number(m[1]), 0);
  console.log(JSON.stringify({
    hosts, tasks, exitCode: code, wallMs, cpuMs, cpuMsPerTaskHost: cpuMs / (hosts * tasks),
    peakRssMb: process.resourceUsage().maxRSS / 1024, outputBytes: bytes, changed, failed, misses: replay.misses,
  }));
}

const [dir, hosts, tasks] = process.argv.slice(2);
main(dir!, Number(hosts), Number(tasks)).catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
