/** Python codec names that differ from the WHATWG labels TextDecoder knows. */
const ALIASES: Readonly<Record<string, string>> = { cp1252: 'windows-1252', cp1251: 'windows-1251', cp1250: 'windows-1250', latin1: 'iso-8859-1', latin_1: 'iso-8859-1' };

/**
 * windows-1252's 0x80-0x9F, which Node's TextDecoder reads as Latin-1 control characters
 * (Python's cp1252 leaves 0x81, 0x8D, 0x8F, 0x90, 0x9D undefined).
 */
const CP1252_HIGH = '\u20ac\0\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\0\u017d\0\0\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\0\u017e\u0178';

/** The byte of each character of a single-byte encoding (built from TextDecoder's table). */
function singleByteTable(label: string): Map<string, number> | undefined {
  let dec: TextDecoder;
  try {
    dec = new TextDecoder(label, { fatal: false });
  } catch {
    return undefined;
  }
  if (dec.encoding === 'utf-8' || dec.encoding.startsWith('utf-16') || /jis|euc|gb|big5|2022/.test(dec.encoding)) return undefined;
  const table = new Map<string, number>();
  for (let b = 0; b < 256; b++) {
    const ch = dec.decode(Uint8Array.of(b));
    if (ch !== '\ufffd' && !table.has(ch)) table.set(ch, b);
  }
  if (dec.encoding === 'windows-1252') {
    for (let b = 0x80; b < 0xa0; b++) table.delete(String.fromCharCode(b));
    [...CP1252_HIGH].forEach((ch, i) => ch !== '\0' && table.set(ch, 0x80 + i));
  }
  return table;
}

/** An encoding's bytes, or Python's message when the codec is unknown or a character does not fit. */
export type Encoded = { readonly ok: true; readonly bytes: Buffer } | { readonly ok: false; readonly message: string };

/**
 * Text to bytes in a Python codec's name (the template action's output_encoding, b64encode's
 * encoding): UTF-8/16 and single-byte encodings (latin-1, windows-125x, iso-8859-x, koi8 ...).
 */
export function encodeText(text: string, encoding: string): Encoded {
  const bytes = encodeOrMessage(text, encoding);
  return typeof bytes === 'string' ? { ok: false, message: bytes } : { ok: true, bytes };
}

/** Bytes to text in a Python codec's name; undefined when the codec is unknown. */
export function decodeBytes(bytes: Buffer, encoding: string): string | undefined {
  const name = encoding.trim().toLowerCase().replace(/_/g, '-').replace(/^utf-16-(le|be)$/, 'utf-16$1');
  try {
    return new TextDecoder(ALIASES[name.replace(/-/g, '_')] ?? name).decode(bytes);
  } catch {
    return undefined;
  }
}

function encodeOrMessage(text: string, encoding: string): Buffer | string {
  const name = encoding.trim().toLowerCase().replace(/_/g, '-');
  if (name === 'utf-8' || name === 'utf8') return Buffer.from(text, 'utf8');
  if (name === 'utf-16-le' || name === 'utf-16le') return Buffer.from(text, 'utf16le');
  if (name === 'utf-16') return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  const table = singleByteTable(ALIASES[name.replace(/-/g, '_')] ?? ALIASES[name] ?? name);
  if (table === undefined) return `unknown encoding: ${encoding}`;
  const out = Buffer.alloc([...text].length);
  let i = 0;
  for (const ch of text) {
    const b = table.get(ch);
    if (b === undefined) return `'${encoding}' codec can't encode character '\\u${ch.codePointAt(0)!.toString(16).padStart(4, '0')}' in position ${i}: character maps to <undefined>`;
    out[i++] = b;
  }
  return out;
}
