import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ParseError } from '../../../engine/errors/index.js';
import { decodeUtf8, firstInvalidUtf8 } from '../../../engine/source/utf8.js';
import { loadYamlFile } from '../../../engine/source/yaml-file.js';

describe('strict UTF-8', () => {
  it.each([
    ['ascii', [0x61, 0x0a], -1],
    ['two, three and four byte sequences', [...Buffer.from('é€😀')], -1],
    ['FF FE', [0x61, 0xff, 0xfe], 1],
    ['overlong C0 80', [0xc0, 0x80], 0],
    ['UTF-16 surrogate ED A0 80', [0x61, 0x62, 0xed, 0xa0, 0x80], 2],
    ['truncated sequence at the end', [0x61, 0xe2, 0x82], 1],
    ['bad continuation', [0xe2, 0x28, 0xa1], 0],
    ['above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
  ])('%s', (_n, bytes, at) => {
    expect(firstInvalidUtf8(Uint8Array.from(bytes))).toBe(at);
  });

  it('names the file, byte, offset, line and column', () => {
    const err = (() => {
      try {
        decodeUtf8(Buffer.from([0x61, 0x0a, 0x62, 0x63, 0xff, 0xfe]), 't.j2');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ParseError);
    expect((err as ParseError).message).toBe('t.j2 is not valid UTF-8: byte 0xFF at offset 4 (line 2, column 3)');
    expect((err as ParseError).where).toEqual({ file: 't.j2', line: 2, col: 3 });
  });

  const dir = mkdtempSync(join(tmpdir(), 'tsplay-utf8-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('a playbook or vars file with invalid bytes fails to load instead of running with U+FFFD', () => {
    const f = join(dir, 'vars.yml');
    writeFileSync(f, Buffer.concat([Buffer.from('greeting: "caf'), Buffer.from([0xe9]), Buffer.from('"\n')]));
    expect(() => loadYamlFile(f)).toThrow(/vars\.yml is not valid UTF-8: byte 0xE9 at offset 14 \(line 1, column 15\)/);
  });
});
