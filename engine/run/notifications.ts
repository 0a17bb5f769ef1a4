import { TsplayError } from '../errors/index.js';
import type { Node, TaskNode } from '../model/types.js';

/** like ansible: `import_tasks` under handlers: the imported tasks are handlers themselves. */
function handlerTasks(nodes: readonly Node[]): TaskNode[] {
  return nodes.flatMap((n) => (n.kind === 'task' ? [n] : handlerTasks([...n.block, ...n.rescue, ...n.always])));
}

/**
 * Who notified which handler, per host (design.md: run state, never on the model). Handlers
 * run in definition order, once, whatever the order of notification (like ansible).
 */
export class NotificationBook {
  readonly #pending = new Map<TaskNode, Set<string>>();
  readonly #handlers: TaskNode[];

  /** `onMissing`: ANSIBLE_ERROR_ON_MISSING_HANDLER=false, an unknown handler is reported, not fatal. */
  /**
   * `render`: templates a handler name with the play's variables (like ansible,
   * "{{ x }}" names match their value; undefined when it cannot be templated).
   */
  constructor(handlers: readonly Node[], private readonly onMissing?: (name: string) => void, private readonly render: (text: string) => string | undefined = (t) => t) {
    this.#handlers = handlerTasks(handlers);
  }

  #name(text: string | undefined): string | undefined {
    return text !== undefined && text.includes('{{') ? this.render(text) : text;
  }

  /** Handlers of roles brought in by include_role at run time. */
  addHandlers(nodes: readonly Node[]): void {
    for (const n of handlerTasks(nodes)) if (!this.#handlers.includes(n)) this.#handlers.push(n);
  }

  /** Resolves a notify entry to handlers: by name (the first definition wins) and by listen topic. */
  #resolve(name: string): TaskNode[] {
    const byName = this.#handlers.find((h) => { const n = this.#name(h.name); return n === name || (h.role && `${h.role.name} : ${n}` === name); });
    // like ansible 2.14: listen topics are not templated
    const byTopic = this.#handlers.filter((h) => h.listen?.includes(name));
    const hits = byName ? [byName, ...byTopic.filter((h) => h !== byName)] : byTopic;
    return hits;
  }

  notify(host: string, name: string, where: TaskNode['loc']): void {
    const hits = this.#resolve(name);
    if (hits.length === 0 && this.onMissing) return this.onMissing(name);
    if (hits.length === 0) {
      throw new TsplayError('handler', `The requested handler '${name}' was not found in either the main handlers list nor in the listening handlers list`, {
        where,
        hint: 'check the notify name against the handlers (names and listen topics)',
      });
    }
    for (const h of hits) {
      let set = this.#pending.get(h);
      if (set === undefined) this.#pending.set(h, (set = new Set()));
      set.add(host);
    }
  }

  /** The next handler (in definition order) with notified hosts among `hosts`, and those hosts. */
  next(hosts: readonly string[]): { handler: TaskNode; hosts: string[] } | undefined {
    for (const h of this.#handlers) {
      const set = this.#pending.get(h);
      if (!set) continue;
      const who = hosts.filter((x) => set.has(x));
      if (who.length === 0) continue;
      for (const x of who) set.delete(x);
      return { handler: h, hosts: who };
    }
    return undefined;
  }

  forget(host: string): void {
    for (const set of this.#pending.values()) set.delete(host);
  }
}
