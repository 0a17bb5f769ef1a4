import { describe, expect, it } from 'vitest';
import { HostLedger } from '../../../engine/run/host-ledger.js';

describe('HostLedger', () => {
  it('counts results like ansible: ignored failures are ok+ignored, real ones count when marked', () => {
    const l = new HostLedger();
    l.count('h1', 'changed', { ignored: false, changed: true });
    l.count('h1', 'failed', { ignored: true, changed: true });
    l.count('h1', 'failed', { ignored: false, changed: false });
    l.markFailed('h1');
    l.count('h2', 'unreachable', { ignored: false, changed: false });
    l.markUnreachable('h2');
    expect(l.recap().get('h1')).toEqual({ ok: 2, changed: 2, unreachable: 0, failures: 1, skipped: 0, rescued: 0, ignored: 1 });
    expect(l.recap().get('h2')).toMatchObject({ ok: 0, unreachable: 1 });
    expect(l.exitCode()).toBe(4);
    expect(l.active(['h1', 'h2', 'h3'])).toEqual(['h3']);
  });
  it('clear_host_errors forgives failed hosts always, unreachable ones only within their batch', () => {
    const l = new HostLedger();
    l.beginPlay();
    l.markFailed('h1');
    l.markUnreachable('h2');
    l.clearErrors(['h1', 'h2']);
    expect(l.active(['h1', 'h2'])).toEqual(['h1', 'h2']);
    expect(l.exitCode()).toBe(0);
    l.markUnreachable('h2');
    l.endBatch();
    l.beginPlay();
    l.clearErrors(['h2']);
    l.beginPlay();
    expect(l.isUnreachable('h2')).toBe(true);
  });
  it('end_host and end_play last one play; an abort lasts the playbook', () => {
    const l = new HostLedger();
    l.beginPlay();
    l.end('h1');
    l.endPlay();
    expect(l.active(['h1', 'h2'])).toEqual(['h2']);
    expect(l.playEnded).toBe(true);
    l.beginPlay();
    expect(l.active(['h1', 'h2'])).toEqual(['h1', 'h2']);
    expect(l.playEnded).toBe(false);
    l.failWithoutCount('h2');
    l.abortPlaybook();
    expect(l.aborted).toBe(true);
    expect(l.recap().get('h2')).toBeUndefined();
    expect(l.exitCode()).toBe(2);
  });
});
