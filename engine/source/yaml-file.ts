import { readFileSync } from 'node:fs';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode, type Tags } from 'yaml';
import { ParseError } from '../errors/index.js';
import type { SourceLoc } from '../types/source.js';
import type { VaultDecrypter } from '../types/vault.js';
import { decryptVaultFile, markSecretLeaves, vaultScalar } from './vault-text.js';
import { decodeUtf8 } from './utf8.js';

/** Where each mapping/sequence of a loaded document and each of its keys came from. */
export interface NodeOrigin {
  readonly loc: SourceLoc;
  readonly keys: ReadonlyMap<string, SourceLoc>;
}

export interface LoadedYaml {
  readonly file: string;
  readonly value: unknown;
  /** Position of a mapping or sequence returned in `value` (by identity). */
  origin(obj: object): NodeOrigin | undefined;
  /** Keys given twice in one mapping (the last wins, like PyYAML): ansible warns about each. */
  readonly duplicates: readonly { readonly key: string; readonly mapping: SourceLoc }[];
}

/** ansible's words for a duplicate key (seen with ansible-core 2.14.18). */
export function duplicateKeyWarning(file: string, d: LoadedYaml['duplicates'][number]): string {
  return `While constructing a mapping from ${file}, line ${d.mapping.line}, column ${d.mapping.col}, found a duplicate dict key (${d.key}). Using last defined value only.`;
}

// Ansible reads YAML 1.1 with PyYAML: yes/no are booleans and 0644 is octal.
// PyYAML's YAML 1.1 booleans: unlike the spec (and the yaml package), y/Y/n/N stay strings.
const PYYAML_BOOL = {
  identify: (v: unknown) => typeof v === 'boolean',
  default: true,
  tag: 'tag:yaml.org,2002:bool',
  test: /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  resolve: (s: string) => /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/.test(s),
};

// PyYAML's YAML 1.1 floats need a dot (1e3 and e1 stay strings) and an exponent needs a sign.
const PYYAML_FLOAT = {
  identify: (v: unknown) => typeof v === 'number' && !Number.isInteger(v),
  default: true,
  tag: 'tag:yaml.org,2002:float',
  test: /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  resolve: (s: string) => {
    if (/nan$/i.test(s)) return NaN;
    if (/inf$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
    return Number.parseFloat(s.replace(/_/g, ''));
  },
};

const REPLACED = new Set(['tag:yaml.org,2002:bool', 'tag:yaml.org,2002:float']);

/**
 * ansible's !unsafe: the text is never templated. tsplay keeps plain strings, so text with Jinja
 * delimiters becomes a Jinja string literal that templates to exactly itself (once; the result
 * is not templated again, like any rendered value).
 */
function unsafeText(s: string): string {
  if (!/\{[{%#]/.test(s)) return s;
  return `{{ '${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}' }}`;
}

const EXTRA_TAGS = [
  { tag: '!unsafe', resolve: unsafeText },
  // The envelope text stays as it is here; convert() decrypts it, knowing the node's position.
  { tag: '!vault', resolve: (s: string) => s },
];

const PARSE_OPTIONS = {
  version: '1.1' as const,
  uniqueKeys: false,
  prettyErrors: false,
  customTags: (tags: Tags): Tags => [...tags.filter((t) => typeof t === 'string' || !REPLACED.has(t.tag)), PYYAML_BOOL, PYYAML_FLOAT, ...EXTRA_TAGS] as Tags,
};

/** Loads a YAML file; a vault-encrypted file is decrypted first and every value in it is a secret. */
export function loadYamlFile(file: string, vault?: VaultDecrypter): LoadedYaml {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new ParseError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, {
      hint: 'check the path and that the file is readable',
    });
  }
  const text = decodeUtf8(bytes, file);
  const plain = decryptVaultFile(text, file, vault);
  if (plain === undefined) return parseYamlText(text, file, vault);
  const loaded = parseYamlText(plain, file, vault);
  markSecretLeaves(loaded.value, vault!);
  return loaded;
}

export function parseYamlText(text: string, file: string, vault?: VaultDecrypter): LoadedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, { ...PARSE_OPTIONS, lineCounter: lines });
  const locAt = (offset: number): SourceLoc => {
    const p = lines.linePos(offset);
    return { file, line: p.line, col: p.col };
  };
  const problem = doc.errors[0];
  if (problem !== undefined) {
    const first = problem.message.split('\n')[0] ?? problem.message;
    throw new ParseError(`YAML syntax error: ${first}`, {
      where: locAt(problem.pos[0]),
      hint: 'check indentation, quoting of values that start with {{ and unbalanced brackets',
    });
  }
  const origins = new WeakMap<object, NodeOrigin>();
  const duplicates: { key: string; mapping: SourceLoc }[] = [];
  const convert = (node: YamlNode | null | undefined | unknown): unknown => {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) return convert(node.resolve(doc));
    if (isScalar(node) && node.tag === '!vault') return vaultScalar(String(node.value), locAt(node.range?.[0] ?? 0), vault);
    if (isScalar(node)) return node.value === undefined ? null : node.value;
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      const keys = new Map<string, SourceLoc>();
      for (const pair of node.items) {
        const keyNode = pair.key as YamlNode | null;
        const rawKey = isScalar(keyNode) ? keyNode.value : convert(keyNode);
        if (keyNode && isScalar(keyNode) && keyNode.value === '<<' && isMap(pair.value as YamlNode)) {
          Object.assign(out, convert(pair.value));
          continue;
        }
        const key = rawKey === null ? 'null' : String(rawKey);
        if (Object.hasOwn(out, key)) duplicates.push({ key, mapping: locAt(node.range?.[0] ?? 0) });
        out[key] = convert(pair.value);
        if (keyNode?.range) keys.set(key, locAt(keyNode.range[0]));
      }
      origins.set(out, { loc: locAt(node.range?.[0] ?? 0), keys });
      return out;
    }
    if (isSeq(node)) {
      const out = node.items.map((item) => convert(item));
      origins.set(out, { loc: locAt(node.range?.[0] ?? 0), keys: new Map() });
      return out;
    }
    return node;
  };
  const value = convert(doc.contents);
  return { file, value, origin: (obj) => origins.get(obj), duplicates };
}
