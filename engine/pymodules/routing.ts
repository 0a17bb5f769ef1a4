import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** One plugin_routing entry of a collection's meta/runtime.yml (or ansible-core's builtin one). */
export type ModuleRoute =
  | { readonly kind: 'redirect'; readonly target: string }
  | { readonly kind: 'tombstone'; readonly text: string };

type RouteTable = ReadonlyMap<string, ModuleRoute>;

function tableOf(file: string): RouteTable {
  const table = new Map<string, ModuleRoute>();
  if (!existsSync(file)) return table;
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch {
    return table; // like ansible: a broken runtime.yml only loses its routing
  }
  const modules = ((doc as { plugin_routing?: { modules?: unknown } } | null)?.plugin_routing?.modules ?? {}) as Record<string, unknown>;
  for (const [name, entry] of Object.entries(modules)) {
    const e = (entry ?? {}) as { redirect?: unknown; tombstone?: { warning_text?: unknown; removal_version?: unknown } };
    if (e.tombstone !== undefined) {
      table.set(name, { kind: 'tombstone', text: String(e.tombstone?.warning_text ?? `removed in ${String(e.tombstone?.removal_version ?? 'a past version')}`) });
    } else if (typeof e.redirect === 'string') table.set(name, { kind: 'redirect', target: e.redirect });
  }
  return table;
}

/** Reads each runtime.yml once per run (no module-level cache: the finder owns this object). */
export class RouteBook {
  readonly #tables = new Map<string, RouteTable>();

  #table(file: string): RouteTable {
    let t = this.#tables.get(file);
    if (t === undefined) {
      t = tableOf(file);
      this.#tables.set(file, t);
    }
    return t;
  }

  /** ansible.builtin's routing (e.g. ini_file -> community.general.ini_file). */
  builtin(ansibleCoreDir: string, name: string): ModuleRoute | undefined {
    return this.#table(join(ansibleCoreDir, 'config', 'ansible_builtin_runtime.yml')).get(name);
  }

  collection(collectionDir: string, name: string): ModuleRoute | undefined {
    return this.#table(join(collectionDir, 'meta', 'runtime.yml')).get(name);
  }
}
