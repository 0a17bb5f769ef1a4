import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { OptionError } from '../errors/index.js';
import { splitArgs } from '../model/kv-args.js';
import { decryptVaultFile, markSecretLeaves } from '../source/vault-text.js';
import { parseYamlText } from '../source/yaml-file.js';
import type { VaultDecrypter } from '../types/vault.js';

/** Like ansible's loader: an `@file` may be vault-encrypted or hold `!vault` values. */
function parseVarsFile(body: string, file: string, vault: VaultDecrypter | undefined): unknown {
  const plain = decryptVaultFile(body, file, vault);
  if (plain !== undefined) {
    const value = parseYamlText(plain, file, vault).value;
    markSecretLeaves(value, vault!);
    return value;
  }
  return body.includes('!vault') ? parseYamlText(body, file, vault).value : parseYaml(body, { version: '1.1' });
}

/**
 * -e like ansible-playbook: `k=v k2=v2` (strings), a JSON/YAML mapping, or `@file`.
 * Later -e options override earlier ones.
 */
export function parseExtraVars(values: readonly string[], cwd: string, vault?: VaultDecrypter): Record<string, unknown> {
  let out: Record<string, unknown> = {};
  for (const v of values) {
    const text = v.trim();
    let parsed: unknown;
    if (text.startsWith('@')) {
      const file = resolve(cwd, text.slice(1));
      let body: string;
      try {
        body = readFileSync(file, 'utf8');
      } catch {
        throw new OptionError(`the extra vars file ${file} could not be read`, { hint: 'check the path after @' });
      }
      parsed = parseVarsFile(body, file, vault);
    } else if (text.startsWith('{') || text.startsWith('[')) {
      try {
        parsed = parseYaml(text, { version: '1.1' });
      } catch (e) {
        throw new OptionError(`invalid extra vars: ${(e as Error).message}`, { hint: 'use JSON like {"a": 1} or k=v pairs' });
      }
    } else {
      const kv: Record<string, unknown> = {};
      for (const word of splitArgs(text)) {
        const eq = word.indexOf('=');
        if (eq <= 0) throw new OptionError(`invalid extra vars: '${word}' is not key=value`, { hint: 'use -e key=value, -e \'{"key": "value"}\' or -e @file.yml' });
        kv[word.slice(0, eq)] = word.slice(eq + 1).replace(/^(['"])(.*)\1$/s, '$2');
      }
      parsed = kv;
    }
    if (parsed === null || parsed === undefined || text === '') continue;
    if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new OptionError(`extra vars must be a mapping: ${text}`);
    out = { ...out, ...(parsed as Record<string, unknown>) };
  }
  return out;
}
