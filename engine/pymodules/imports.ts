/** One import of module_utils code found in a Python file, as ansible's ModuleDepFinder records it. */
export interface PyImport {
  /** e.g. ['ansible', 'module_utils', 'basic', 'AnsibleModule']: the last part may be a name, not a module. */
  readonly parts: readonly string[];
  /** `from a.b import c`: c may be a module or an attribute, so the locator also tries a.b. */
  readonly ambiguous: boolean;
  /** Not at the top level of the file (inside try:, if:, def): a missing one is no error. */
  readonly optional: boolean;
}

/** Blanks out string literals that span lines (docstrings, DOCUMENTATION), keeping line breaks. */
function blankLongStrings(src: string): string {
  return src.replace(/("""|''')[\s\S]*?\1/g, (m) => m.replace(/[^\n]/g, ' '));
}

/** Joins backslash continuations and open parentheses into logical lines, with their indentation. */
function logicalLines(src: string): { indent: number; text: string }[] {
  const out: { indent: number; text: string }[] = [];
  let cur: { indent: number; text: string } | undefined;
  let depth = 0;
  for (const raw of blankLongStrings(src).split('\n')) {
    // strings first, so that a '#' or '(' inside one is neither a comment nor a bracket
    const line = raw.replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"/g, '""').replace(/#.*$/, '');
    if (cur === undefined) {
      if (line.trim() === '') continue;
      cur = { indent: line.length - line.trimStart().length, text: '' };
    }
    cur.text += ` ${line.trim().replace(/\\$/, '')}`;
    depth += (line.match(/[([{]/g) ?? []).length - (line.match(/[)\]}]/g) ?? []).length;
    if (depth <= 0 && !line.trimEnd().endsWith('\\')) {
      out.push({ indent: cur.indent, text: cur.text.trim() });
      cur = undefined;
      depth = 0;
    }
  }
  return out;
}

function names(list: string): string[] {
  return list.replace(/[()]/g, ' ').split(',').map((n) => n.trim().split(/\s+as\s+/)[0]!.trim()).filter((n) => n !== '');
}

function interesting(mod: string): boolean {
  return mod.startsWith('ansible.module_utils') || (mod.startsWith('ansible_collections.') && (mod.endsWith('plugins.module_utils') || mod.includes('.plugins.module_utils.')));
}

/** `from ..x import y` inside module `fqn` (a package __init__ counts one level deeper), like ansible. */
function absoluteModule(fqn: string, isPkgInit: boolean, dots: number, rest: string): string {
  const parts = fqn.split('.');
  const keep = parts.slice(0, parts.length - dots + (isPkgInit ? 1 : 0));
  return [...keep, ...(rest === '' ? [] : [rest])].join('.');
}

/**
 * The module_utils imports of one Python file (ansible's ModuleDepFinder, read from the text
 * instead of the AST): `import ansible.module_utils.x`, `from ansible.module_utils.x import y`,
 * `from ansible_collections.ns.coll.plugins.module_utils.x import y` and relative imports.
 */
export function findImports(src: string, fqn: string, isPkgInit = false): PyImport[] {
  const out: PyImport[] = [];
  for (const { indent, text } of logicalLines(src)) {
    const optional = indent > 0;
    for (const stmt of text.split(';').map((s) => s.trim())) {
      const imp = /^import\s+(.+)$/.exec(stmt);
      if (imp) {
        for (const n of names(imp[1]!)) {
          if (n.startsWith('ansible.module_utils.') || n.startsWith('ansible_collections.')) out.push({ parts: n.split('.'), ambiguous: false, optional });
        }
        continue;
      }
      const from = /^from\s+(\.*)([\w.]*)\s+import\s+(.+)$/.exec(stmt);
      if (!from) continue;
      const mod = from[1]!.length > 0 ? absoluteModule(fqn, isPkgInit, from[1]!.length, from[2]!) : from[2]!;
      if (!interesting(mod)) continue;
      for (const n of names(from[3]!)) out.push({ parts: [...mod.split('.'), n], ambiguous: true, optional });
    }
  }
  return out;
}
