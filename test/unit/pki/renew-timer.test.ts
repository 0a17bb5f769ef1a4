import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nunjucks from 'nunjucks';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers.js';

/**
 * The auto-renewal units (auto_renew_certificates: true) render as Jinja2 with the template
 * module's settings (trim_blocks on), give systemd a valid calendar, and a script bash accepts.
 */
const TEMPLATES = join(import.meta.dirname, '../../../roles/kubernetes/control-plane/templates');
const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(TEMPLATES), { autoescape: false, trimBlocks: true, throwOnUndefined: false });
const tmp = tempDir('tsplay-pki-timer-');
afterAll(() => tmp.cleanup());
const VARS = { groups: { kube_control_plane: ['cp1', 'cp2', 'cp3'] }, inventory_hostname: 'cp1', bin_dir: '/usr/local/bin', etcd_deployment_type: 'host' };
const field = (text: string, key: string): string | undefined => new RegExp(`^${key}=(.*)$`, 'm').exec(text)?.[1];

describe('k8s-certs-renew systemd units', () => {
  it('the timer is monthly by default (first Monday, 03:00) with a delay spread over control planes', () => {
    const timer = env.render('k8s-certs-renew.timer.j2', VARS);
    expect(field(timer, 'OnCalendar')).toBe('Mon *-*-1,2,3,4,5,6,7 03:00:00');
    expect(field(timer, 'RandomizedDelaySec')).toBe('30min');
    expect(field(timer, 'Persistent')).toBe('yes');
    const next = execFileSync('systemd-analyze', ['calendar', '--iterations=3', field(timer, 'OnCalendar') as string], { encoding: 'utf8' });
    const dates = [...next.matchAll(/Mon (\d{4}-\d\d-(\d\d)) 03:00:00/g)].map((m) => Number(m[2]));
    expect(dates).toHaveLength(3);
    for (const day of dates) expect(day).toBeLessThanOrEqual(7);
  });

  it('auto_renew_certificates_systemd_calendar overrides the calendar', () => {
    const timer = env.render('k8s-certs-renew.timer.j2', { ...VARS, auto_renew_certificates_systemd_calendar: '*-*-01 04:30:00' });
    expect(field(timer, 'OnCalendar')).toBe('*-*-01 04:30:00');
    expect(execFileSync('systemd-analyze', ['calendar', '*-*-01 04:30:00'], { encoding: 'utf8' })).toContain('Normalized form: *-*-01 04:30:00');
  });

  it('the service is a oneshot running the renew script from bin_dir', () => {
    const svc = env.render('k8s-certs-renew.service.j2', { ...VARS, bin_dir: '/opt/bin' });
    expect(field(svc, 'Type')).toBe('oneshot');
    expect(field(svc, 'ExecStart')).toBe('/opt/bin/k8s-certs-renew.sh');
  });

  it.each([['host', true], ['kubeadm', false]])('the script parses with bash -n and restarts host etcd only when etcd_deployment_type=%s', (mode, restartsEtcd) => {
    const script = env.render('k8s-certs-renew.sh.j2', { ...VARS, etcd_deployment_type: mode });
    const file = join(tmp.dir, `renew-${mode}.sh`);
    writeFileSync(file, script);
    execFileSync('bash', ['-n', file]);
    expect(script).toContain('"${BIN_DIR}/kubeadm" certs renew all');
    expect(script.includes('systemctl restart etcd.service')).toBe(restartsEtcd);
    expect(script).not.toMatch(/\{%|\{\{/);
    expect(readFileSync(file, 'utf8').startsWith('#!/bin/bash\n')).toBe(true);
  });
});
