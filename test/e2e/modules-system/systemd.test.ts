import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { service } from '../../../engine/modules/service.js';
import { systemd_service } from '../../../engine/modules/systemd_service.js';
import { closeLab, openLabHost, type LabHost } from './lab-context.js';

// in /usr/lib like a packaged unit: systemctl cannot mask a unit whose file lives in /etc
const UNIT = `[Unit]
Description=tsplay demo
[Service]
ExecStart=/bin/sleep infinity
ExecReload=/bin/true
[Install]
WantedBy=multi-user.target
`;

describe('systemd_service / service on a real systemd lab host', () => {
  let h: LabHost;
  beforeAll(async () => {
    h = await openLabHost();
    await h.sh(`systemctl disable --now tsdemo 2>/dev/null; systemctl unmask tsdemo 2>/dev/null; rm -f /etc/systemd/system/tsdemo.service; cat > /usr/lib/systemd/system/tsdemo.service <<'X'\n${UNIT}X`);
  }, 120_000);
  afterAll(() => closeLab(h), 60_000);

  it('started + enabled with daemon_reload: changes, then a second run is ok in one round trip', async () => {
    const args = { name: 'tsdemo', state: 'started', enabled: true, daemon_reload: true };
    const first = await h.run(systemd_service, args);
    expect(first).toMatchObject({ changed: true, name: 'tsdemo', state: 'started', enabled: true });
    expect((first.status as Record<string, string>).ActiveState).toBe('inactive');
    expect(await h.sh('systemctl is-active tsdemo; systemctl is-enabled tsdemo')).toBe('active\nenabled\n');
    const again = await h.trips(systemd_service, { name: 'tsdemo', state: 'started', enabled: true });
    expect(again.result).toMatchObject({ changed: false, state: 'started', enabled: true });
    expect((again.result.status as Record<string, string>)).toMatchObject({ ActiveState: 'active', SubState: 'running', UnitFileState: 'enabled', LoadState: 'loaded' });
    expect(Number((again.result.status as Record<string, string>).MainPID)).toBeGreaterThan(0);
    expect(again.trips).toBe(1);
  });

  it('check mode reports a stop and leaves the service running', async () => {
    const r = await h.run(systemd_service, { name: 'tsdemo', state: 'stopped', enabled: false }, { check: true });
    expect(r).toMatchObject({ changed: true, state: 'stopped', enabled: false });
    expect(await h.sh('systemctl is-active tsdemo; systemctl is-enabled tsdemo')).toBe('active\nenabled\n');
  });

  it('restarted always changes and reports state started; the MainPID changes', async () => {
    const before = (await h.sh('systemctl show -p MainPID --value tsdemo')).trim();
    const r = await h.run(systemd_service, { name: 'tsdemo', state: 'restarted' });
    expect(r).toMatchObject({ changed: true, state: 'started' });
    expect((await h.sh('systemctl show -p MainPID --value tsdemo')).trim()).not.toBe(before);
  });

  it('service delegates to systemd (facts say systemd, or the probe finds it)', async () => {
    const r1 = await h.run(service, { name: 'tsdemo', state: 'stopped' }, { vars: { ansible_facts: { service_mgr: 'systemd' } } });
    expect(r1).toMatchObject({ changed: true, state: 'stopped' });
    const r2 = await h.trips(service, { name: 'tsdemo', state: 'stopped' });
    expect([r2.result.changed, r2.trips]).toEqual([false, 1]);
    expect(await h.sh('systemctl is-active tsdemo || true')).toBe('inactive\n');
  });

  it('masked: mask, then ok; unmask', async () => {
    expect((await h.run(systemd_service, { name: 'tsdemo', masked: true, enabled: false })).changed).toBe(true);
    expect(await h.sh('systemctl is-enabled tsdemo || true')).toBe('masked\n');
    expect((await h.run(systemd_service, { name: 'tsdemo', masked: true })).changed).toBe(false);
    expect((await h.run(systemd_service, { name: 'tsdemo', masked: false })).changed).toBe(true);
  });

  it('an unknown unit fails like ansible; bad args are rejected by the schema', async () => {
    const r = await h.run(systemd_service, { name: 'nope-tsplay', state: 'started' });
    expect(r).toMatchObject({ failed: true, msg: 'Could not find the requested service nope-tsplay: host' });
    await expect(h.run(systemd_service, { name: 'x', state: 'running' })).rejects.toThrow(/value of state must be one of/);
    await expect(h.run(service, { name: 'x', state: 'started', bogus: 1 })).rejects.toThrow(/Unsupported parameters for \(service\) module: bogus/);
  });
});
