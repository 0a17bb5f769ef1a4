import { describe, expect, it } from 'vitest';
import { requestKey } from '../../../bench/scale/recording.js';

// bench:scale replays a recorded host's answers by command: words drawn afresh each run must not
// make a command a stranger (a new file's probe carries its temp name, command's skip marker one).
describe('bench:scale request keys', () => {
  it('are the same for commands that differ only in their random words', () => {
    const a = requestKey({ command: "printf '%s' x > /tmp/d/.f.tsplay-0123456789ab; echo @@TSPLAY-SKIP-aaaaaaaaaaaa" }, 'node1');
    const b = requestKey({ command: "printf '%s' x > /tmp/d/.f.tsplay-ba9876543210; echo @@TSPLAY-SKIP-bbbbbbbbbbbb" }, 'node1');
    expect(a).toBe(b);
  });

  it('still tell other commands and other hosts\' names apart', () => {
    expect(requestKey({ command: 'stat /tmp/a' }, 'node1')).not.toBe(requestKey({ command: 'stat /tmp/b' }, 'node1'));
    expect(requestKey({ command: 'echo node1' }, 'node1')).toBe(requestKey({ command: 'echo node7' }, 'node7'));
  });
});
