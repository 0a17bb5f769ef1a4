import { describe, expect, it } from 'vitest';
import { ChannelLimiter, isChannelRefused } from '../../../engine/transport/ssh-channels.js';

describe('ChannelLimiter', () => {
  it('queues past the limit and wakes waiters in order', async () => {
    const l = new ChannelLimiter(2);
    const order: number[] = [];
    await l.acquire();
    await l.acquire();
    const third = l.acquire().then(() => order.push(3));
    const fourth = l.acquire().then(() => order.push(4));
    await Promise.resolve();
    expect(order).toEqual([]);
    l.release();
    await third;
    l.release();
    await fourth;
    expect(order).toEqual([3, 4]);
  });

  it('shrinks to what the server accepted', async () => {
    const l = new ChannelLimiter(10);
    for (let i = 0; i < 4; i++) await l.acquire();
    l.shrink(); // the 4th was refused: 3 were open
    expect(l.limit).toBe(3);
  });

  it('never shrinks below the floor, and grows back on demand', async () => {
    const l = new ChannelLimiter(10);
    await l.acquire();
    l.shrink(2); // alone and refused, but one permit is SFTP's for good
    expect(l.limit).toBe(2);
    l.shrink();
    expect(l.limit).toBe(1);
    l.ensureAtLeast(2);
    expect(l.limit).toBe(2);
  });

  it('recognises ssh2 channel refusals', () => {
    expect(isChannelRefused(new Error('(SSH) Channel open failure: open failed'))).toBe(true);
    expect(isChannelRefused(new Error('Not connected'))).toBe(false);
  });
});
