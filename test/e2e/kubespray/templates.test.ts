import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileTemplate } from '../../../engine/template/compiler.js';
import { loadYamlFile } from '../../../engine/source/yaml-file.js';
import { extractKubespray, type KubesprayTree } from './kubespray-tree.js';

// Every Jinja2 template in Kubespray v2.23.3 (YAML strings with {{ or {%, bare conditionals,
// .j2 files) goes through tsplay's template parser and through Jinja2's own (the library
// ansible-core renders with): the two must accept and refuse the same ones. No lab; seconds.

const HOSTS = [1, 2, 3, 4].map((i) => ({ name: `node${i}`, ip: `10.88.16.${10 + i}` }));
/** Keywords ansible evaluates as bare Jinja2 expressions (wrapped in {% if %} like ansible does). */
const CONDITIONALS = new Set(['when', 'failed_when', 'changed_when', 'until', 'that']);
/** Kubernetes manifests (several YAML documents) are copied to hosts, never read by ansible. */
const MULTI_DOCUMENT = /^---\s*$[^]*\S[^]*^---\s*$/m;
const SKIP_DIRS = new Set(['.git', 'tests', 'contrib', 'docs', 'test-infra', 'logo']);

interface Source {
  readonly where: string;
  readonly src: string;
  readonly file: boolean;
}

let tree: KubesprayTree;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return SKIP_DIRS.has(e.name) ? [] : filesUnder(join(dir, e.name));
    return [join(dir, e.name)];
  });
}

function stringsOf(value: unknown, key: string | undefined, where: string, out: Source[]): void {
  if (Array.isArray(value)) value.forEach((v) => stringsOf(v, key, where, out));
  else if (value !== null && typeof value === 'object') Object.entries(value).forEach(([k, v]) => stringsOf(v, k, where, out));
  else if (typeof value !== 'string') return;
  else if (key !== undefined && CONDITIONALS.has(key) && !value.includes('{{')) out.push({ where, src: `{% if ${value} %}True{% else %}False{% endif %}`, file: false });
  else if (value.includes('{{') || value.includes('{%')) out.push({ where, src: value, file: false });
}

function collect(root: string): Source[] {
  const out: Source[] = [];
  for (const f of filesUnder(root)) {
    const where = relative(root, f);
    if (f.endsWith('.j2')) out.push({ where, src: readFileSync(f, 'utf8'), file: true });
    else if (/\.ya?ml$/.test(f) && !MULTI_DOCUMENT.test(readFileSync(f, 'utf8'))) stringsOf(loadYamlFile(f).value, undefined, where, out);
  }
  return out;
}

/** Indices of the sources tsplay refuses to parse, with the first line of each error. */
function tsplayRefuses(sources: readonly Source[]): Map<number, string> {
  const bad = new Map<number, string>();
  sources.forEach((s, i) => {
    try {
      compileTemplate(s.src, { trimBlocks: s.file, lstripBlocks: false, escapeBackslashes: !s.file });
    } catch (e) {
      bad.set(i, `${s.where}: ${(e as Error).message.split('\n')[0]}`);
    }
  });
  return bad;
}

/** Indices of the sources Jinja2 refuses (with the extensions ansible enables). */
function jinjaRefuses(sources: readonly Source[]): Map<number, string> {
  const py = `import json, sys, jinja2
env = jinja2.Environment(extensions=['jinja2.ext.do', 'jinja2.ext.loopcontrols'])
bad = {}
for i, s in enumerate(json.load(sys.stdin)):
    try:
        env.parse(s)
    except Exception as e:
        bad[i] = str(e)
print(json.dumps(bad))`;
  const r = spawnSync('python3', ['-c', py], { input: JSON.stringify(sources.map((s) => s.src)), encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`python3 jinja2: ${r.stderr}`);
  const bad = JSON.parse(r.stdout) as Record<string, string>;
  return new Map(Object.entries(bad).map(([i, m]) => [Number(i), `${sources[Number(i)]!.where}: ${m}`]));
}

beforeAll(() => {
  tree = extractKubespray(HOSTS);
});

afterAll(() => {
  if (tree) rmSync(dirname(tree.dir), { recursive: true, force: true });
});

describe('Kubespray v2.23.3 templates', () => {
  it('tsplay parses exactly the templates and conditionals Jinja2 parses', () => {
    const sources = collect(tree.dir);
    expect(sources.length, 'templates found in the tree').toBeGreaterThan(4000);
    const jinja = jinjaRefuses(sources);
    const ours = tsplayRefuses(sources);
    expect([...ours.entries()].filter(([i]) => !jinja.has(i)).map(([, m]) => m), 'refused by tsplay, parsed by Jinja2').toEqual([]);
    expect([...jinja.entries()].filter(([i]) => !ours.has(i)).map(([, m]) => m), 'parsed by tsplay, refused by Jinja2').toEqual([]);
  });
});
