import { TsplayError } from '../errors/index.js';
import type { Node, TaskNode } from '../model/types.js';

/** like ansible: `import_tasks` under handlers: the imported tasks are handlers themselves. */
function handlerTasks(nodes: readonly Node[]): TaskNode[] {
  return nodes.flatMap((n) => (n.kind === 'task' ? [n] : handlerTasks([...n.block, ...n.rescue, ...n.always])));
}

/**
 * ansible's handler blocks: each explicit block is one; consecutive bare tasks of one source (a
 * role's handlers file, the play's `handlers:`) make one implicit block (load_list_of_blocks).
 */
function handlerBlocks(nodes: readonly Node[]): TaskNode[][] {
  const out: TaskNode[][] = [];
  let run: TaskNode[] = [];
  for (const n of nodes) {
    if (n.kind === 'task' && (run.length === 0 || run[0]!.role === n.role)) {
      run.push(n);
      continue;
    }
    if (run.length > 0) out.push(run);
    run = n.kind === 'task' ? [n] : [];
    if (n.kind !== 'task') out.push(handlerTasks([n]));
  }
  if (run.length > 0) out.push(run);
  return out;
}

/**
 * Who notified which handler, per host (design.md: run state, never on the model). Handlers
 * run in definition order, once, whatever the order of notification (like ansible).
 */
export class NotificationBook {
  readonly #pending = new Map<TaskNode, Set<string>>();
  readonly #handlers: TaskNode[];
  /** For lookups by name: like ansible's search_handler_blocks_by_name, the last block first. */
  readonly #blocks: TaskNode[][];

  /** `onMissing`: ANSIBLE_ERROR_ON_MISSING_HANDLER=false, an unknown handler is reported, not fatal. */
  /**
   * `render`: templates a handler name with the play's variables (like ansible,
   * "{{ x }}" names match their value; undefined when it cannot be templated).
   */
  constructor(handlers: readonly Node[], private readonly onMissing?: (name: string) => void, private readonly render: (text: string) => string | undefined = (t) => t) {
    this.#handlers = handlerTasks(handlers);
    this.#blocks = handlerBlocks(handlers);
  }

  #name(text: string | undefined): string | undefined {
    return text !== undefined && text.includes('{{') ? this.render(text) : text;
  }

  /** Handlers of roles brought in by include_role at run time. */
  addHandlers(nodes: readonly Node[]): void {
    const fresh = nodes.filter((n) => !handlerTasks([n]).some((t) => this.#handlers.includes(t)));
    this.#handlers.push(...handlerTasks(fresh));
    this.#blocks.push(...handlerBlocks(fresh));
  }

  /**
   * Resolves a notify entry to handlers: by name and by listen topic. Like ansible 2.14, the
   * name search goes through the handler blocks from the last one (an include_role's handlers,
   * then the play's, then the roles'), and within a block the first definition wins.
   */
  #resolve(name: string): TaskNode[] {
    const matches = (h: TaskNode): boolean => { const n = this.#name(h.name); return n === name || (h.role !== undefined && `${h.role.name} : ${n}` === name); };
    const byName = [...this.#blocks].reverse().map((b) => b.find(matches)).find((h) => h !== undefined);
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

  /**
   * The next handler at or after position `from` (definition order) with notified hosts among
   * `hosts`. Like ansible's iterator, one flush is one pass over the handlers: a handler that
   * an earlier one notifies runs in the same pass, one before it waits for the next flush.
   */
  next(hosts: readonly string[], from = 0): { handler: TaskNode; hosts: string[]; index: number } | undefined {
    for (let i = from; i < this.#handlers.length; i++) {
      const h = this.#handlers[i]!;
      const set = this.#pending.get(h);
      if (!set) continue;
      const who = hosts.filter((x) => set.has(x));
      if (who.length === 0) continue;
      for (const x of who) set.delete(x);
      return { handler: h, hosts: who, index: i };
    }
    return undefined;
  }

  /** like ansible's Handler.remove_host after a result: a handler that notified itself while running stays done. */
  ran(handler: TaskNode, hosts: readonly string[]): void {
    const set = this.#pending.get(handler);
    if (set) for (const x of hosts) set.delete(x);
  }

  forget(host: string): void {
    for (const set of this.#pending.values()) set.delete(host);
  }
}
