import { ParseError } from '../errors/index.js';

/** Length of the UTF-8 sequence a lead byte starts, with the allowed range of its second byte. */
function sequence(lead: number): { len: number; lo: number; hi: number } | undefined {
  if (lead < 0x80) return { len: 1, lo: 0, hi: 0 };
  if (lead >= 0xc2 && lead <= 0xdf) return { len: 2, lo: 0x80, hi: 0xbf };
  if (lead === 0xe0) return { len: 3, lo: 0xa0, hi: 0xbf };
  if (lead === 0xed) return { len: 3, lo: 0x80, hi: 0x9f }; // no UTF-16 surrogates
  if (lead >= 0xe1 && lead <= 0xef) return { len: 3, lo: 0x80, hi: 0xbf };
  if (lead === 0xf0) return { len: 4, lo: 0x90, hi: 0xbf };
  if (lead >= 0xf1 && lead <= 0xf3) return { len: 4, lo: 0x80, hi: 0xbf };
  if (lead === 0xf4) return { len: 4, lo: 0x80, hi: 0x8f };
  return undefined;
}

/** Offset of the first byte that is not valid UTF-8, or -1 when the whole buffer is. */
export function firstInvalidUtf8(buf: Uint8Array): number {
  for (let i = 0; i < buf.length; ) {
    const s = sequence(buf[i]!);
    if (s === undefined) return i;
    if (s.len > 1) {
      if (i + s.len > buf.length || buf[i + 1]! < s.lo || buf[i + 1]! > s.hi) return i;
      for (let k = 2; k < s.len; k++) if ((buf[i + k]! & 0xc0) !== 0x80) return i;
    }
    i += s.len;
  }
  return -1;
}

/**
 * Decodes a text file the engine must understand (playbook, vars file, template). Invalid
 * bytes are an error naming the file, the byte offset, line and column: decoding them as
 * U+FFFD would silently change what lands on the hosts.
 */
export function decodeUtf8(buf: Buffer, file: string): string {
  const bad = firstInvalidUtf8(buf);
  if (bad < 0) return buf.toString('utf8');
  const before = buf.subarray(0, bad);
  const line = before.filter((b) => b === 0x0a).length + 1;
  const col = bad - (before.lastIndexOf(0x0a) + 1) + 1;
  throw new ParseError(`${file} is not valid UTF-8: byte 0x${buf[bad]!.toString(16).toUpperCase().padStart(2, '0')} at offset ${bad} (line ${line}, column ${col})`, {
    where: { file, line, col },
    hint: 'save the file as UTF-8 (iconv -f LATIN1 -t UTF-8); for binary content use copy, which sends the bytes as they are',
  });
}
