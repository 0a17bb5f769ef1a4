import { describe, expect, it } from 'vitest';
import { ParseError } from '../../../engine/errors/index.js';
import { loadInventory, loadVarsFolders, varsFilesFor } from '../../../engine/inventory/index.js';
import { formatLoc } from '../../../engine/types/source.js';
import { fixture } from './oracle.js';

// Messages are ansible-core 2.14.18's (from `ansible-inventory -i FILE --list` warnings); tsplay
// fails instead of warning, and adds the column and a hint.
const CASES = [
  { file: 'bad-section.ini', at: '4:1', message: "Invalid section entry: '[web servers]'. Please make sure that there are no spaces" },
  { file: 'unknown-type.ini', at: '1:1', message: 'Section [web:foo] has unknown type: foo' },
  { file: 'unbalanced-range.ini', at: '3:3', message: "Invalid host range 'node[1:3': unbalanced range" },
  { file: 'uneven-range.ini', at: '2:1', message: 'host range must specify equal-length begin and end formats' },
  { file: 'bad-host-var.ini', at: '2:1', message: 'Expected key=value host variable assignment, got: oops' },
  { file: 'undefined-child.ini', at: '6:1', message: 'Section [p:children] includes undefined group: nope' },
  { file: 'vars-undefined.ini', at: '4:1', message: 'Section [ghost:vars] not valid for undefined group: ghost' },
  { file: 'loop.ini', at: '5:1', message: "Adding group 'a' as child to 'b' creates a recursive dependency loop." },
  { file: 'quote.ini', at: '2:1', message: `Error parsing host definition 'web1 motd="unterminated': No closing quotation` },
  { file: 'bad-var-line.ini', at: '2:1', message: 'Expected key=value, got: just_a_word' },
  { file: 'hosts-list.yml', at: '4:7', message: `Invalid "hosts" entry for "web" group, requires a dictionary, found "<class 'list'>" instead.` },
  { file: 'syntax.yml', at: '5:1', message: 'YAML syntax error' },
  { file: 'host-vars-string.yml', at: '3:5', message: 'Invalid data from file, expected dictionary and got: "just-a-string"' },
] as const;

function parseError(fn: () => unknown): ParseError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ParseError) return e;
    throw e;
  }
  throw new Error('expected a ParseError');
}

describe('inventory errors carry file:line:col and a hint', () => {
  for (const c of CASES) {
    it(`${c.file}: ${c.message.slice(0, 50)}`, () => {
      const e = parseError(() => loadInventory([fixture('errors', c.file)]));
      expect(e.message).toContain(c.message);
      expect(e.where && formatLoc(e.where)).toBe(`${fixture('errors', c.file)}:${c.at}`);
      expect(e.hint).toBeTruthy();
    });
  }

  it('a missing source is a warning and the load goes on, like ansible', () => {
    const warnings: string[] = [];
    const inv = loadInventory([fixture('errors', 'nope.ini')], { onWarning: (m) => warnings.push(m) });
    expect(warnings).toEqual([`Unable to parse ${fixture('errors', 'nope.ini')} as an inventory source`]);
    expect(inv.hosts.size).toBe(0);
  });

  it('a broken vars file fails only when a host or group asks for it', () => {
    const vf = loadVarsFolders(fixture('errors-vars'));
    expect(varsFilesFor(vf, 'group', 'ok')).toHaveLength(1);
    const e = parseError(() => varsFilesFor(vf, 'group', 'broken'));
    expect(e.where?.file).toBe(fixture('errors-vars', 'group_vars', 'broken.yml'));
    expect(e.where?.line).toBe(3); // the yaml package reports the unclosed [ at the end of input
  });
});
