import { describe, expect, it } from 'vitest';
import { runLabCommand } from '../../../engine/lab/command.js';

describe('tsplay lab command line', () => {
  const mistakes: { argv: string[]; message: RegExp }[] = [
    { argv: ['bogus'], message: /unknown lab command 'bogus'/ },
    { argv: ['up', '--hosts', 'many'], message: /invalid host count/ },
    { argv: ['up', '--kind', 'docker'], message: /invalid lab kind 'docker'/ },
    { argv: ['up', '--subnet', '10.88'], message: /invalid lab subnet '10.88'/ },
    { argv: ['down', '--hosts', '3'], message: /tsplay lab down: .*--hosts/ },
    { argv: ['status', 'extra'], message: /tsplay lab status: / },
  ];
  it.each(mistakes)('$argv is an option error, before anything is touched', async ({ argv, message }) => {
    await expect(runLabCommand(argv, () => {})).rejects.toMatchObject({ name: 'OptionError', message: expect.stringMatching(message) });
  });

  it('prints usage and exits 2 without a subcommand', async () => {
    const lines: string[] = [];
    expect(await runLabCommand([], (l) => lines.push(l))).toBe(2);
    expect(lines.join('\n')).toMatch(/^usage: tsplay lab up/);
  });

  it('reports a lab that is not up with exit 3', async () => {
    const lines: string[] = [];
    expect(await runLabCommand(['status', '--name', 'neverupx'], (l) => lines.push(l))).toBe(3);
    expect(lines[0]).toMatch(/^lab neverupx: down \(no state in .*\/\.tsplay\/lab\/neverupx\)$/);
  });
});
