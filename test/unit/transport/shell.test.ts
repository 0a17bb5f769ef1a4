import { describe, expect, it } from 'vitest';
import { sh, verbatim } from '../../../engine/transport/shell.js';

describe('sh`` builds commands from parts', () => {
  it.each([
    [sh`mkdir -p -- ${'/tmp/a b'}`, "mkdir -p -- '/tmp/a b'"],
    [sh`echo ${"it's"}`, "echo 'it'\\''s'"],
    [sh`userdel ${['-r', '-f']} ${'alice'}`, 'userdel -r -f alice'],
    [sh`sleep ${5}`, 'sleep 5'],
    [sh`echo ${'$(reboot)'}; ${verbatim('true')}`, "echo '$(reboot)'; true"],
    [sh`rm -f -- ${''}`, "rm -f -- ''"],
  ])('%s', (got, want) => expect(got).toBe(want));
  it('refuses a value it cannot quote', () => {
    expect(() => sh`echo ${{ a: 1 }}`).toThrow(TypeError);
  });
});
