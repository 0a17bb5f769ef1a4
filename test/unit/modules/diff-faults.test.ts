import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copy } from '../../../engine/modules/copy.js';
import { lineinfile } from '../../../engine/modules/lineinfile.js';
import { template } from '../../../engine/modules/template.js';
import { renderDiff } from '../../../engine/report/diff-text.js';
import { harness } from './context.js';

const dir = mkdtempSync(join(tmpdir(), 'tsplay-diff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('diff mode like ansible (outputs seen with ansible-core 2.14.18)', () => {
  it('binary content is not printed: "diff skipped: source file appears to be binary"', async () => {
    const src = join(dir, 'bin.dat');
    writeFileSync(src, Buffer.from('abc\x00\x1b]0;title\x07def\n', 'latin1'));
    const r = await harness().run(copy, { src, dest: join(dir, 'out.dat') }, { diff: true });
    expect(r.changed).toBe(true);
    expect(renderDiff(r.diff)).toBe('diff skipped: source file appears to be binary\n');
  });

  it('a binary destination replaced by text: "diff skipped: destination file appears to be binary"', async () => {
    const dest = join(dir, 'was-bin.dat');
    writeFileSync(dest, Buffer.from([0, 1, 2]));
    const r = await harness().run(copy, { content: 'text\n', dest }, { diff: true });
    expect(renderDiff(r.diff)).toBe('diff skipped: destination file appears to be binary\n');
  });

  it('copy with only a mode change shows the file module\'s JSON diff', async () => {
    const dest = join(dir, 'txt.dat');
    writeFileSync(dest, 'hello\n');
    chmodSync(dest, 0o600);
    const r = await harness().run(copy, { content: 'hello\n', dest, mode: '0640' }, { diff: true });
    expect(r.changed).toBe(true);
    expect(renderDiff(r.diff)).toBe('--- before\n+++ after\n@@ -1,4 +1,4 @@\n {\n-    "mode": "0600",\n+    "mode": "0640",\n     "path": "' + dest + '"\n }\n\n');
  });

  it('lineinfile with only a mode change shows the (file attributes) diff', async () => {
    const dest = join(dir, 'li.txt');
    writeFileSync(dest, 'hello\n');
    chmodSync(dest, 0o644);
    const r = await harness().run(lineinfile, { path: dest, line: 'hello', mode: '0600' }, { diff: true });
    expect(r.changed).toBe(true);
    expect(renderDiff(r.diff)).toBe(`--- before: ${dest} (file attributes)\n+++ after: ${dest} (file attributes)\n@@ -1,3 +1,3 @@\n {\n-    "mode": "0644"\n+    "mode": "0600"\n }\n\n`);
  });

  it('a template with invalid UTF-8 fails with the file and offset instead of writing U+FFFD', async () => {
    const src = join(dir, 'bad.j2');
    writeFileSync(src, Buffer.from([0x61, 0xff, 0xfe, 0x0a]));
    const dest = join(dir, 'rendered.txt');
    await expect(harness().run(template, { src, dest })).rejects.toThrow(`${src} is not valid UTF-8: byte 0xFF at offset 1 (line 1, column 2)`);
  });
});
