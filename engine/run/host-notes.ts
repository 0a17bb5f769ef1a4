import type { HostNotes } from '../types/module.js';

/**
 * How many notes the run keeps per host: the file of the host's last edit is enough for a run
 * of edits to one file (a loop of lineinfile, several blockinfile on one config), and it bounds
 * memory at 10,000 hosts (a note holds at most a small file's text).
 */
const NOTES_PER_HOST = 1;

/**
 * What the run saw of each host, for plans the host checks again before they act (a guarded
 * write): never a fact a module may trust, since anything may have changed the host since.
 * Keyed by the host the connection goes to (a delegate's notes are its own).
 */
export class HostNotebook {
  readonly #byHost = new Map<string, Map<string, unknown>>();

  for(host: string): HostNotes {
    return {
      recall: (key) => this.#byHost.get(host)?.get(key),
      note: (key, value) => this.#note(host, key, value),
    };
  }

  #note(host: string, key: string, value: unknown): void {
    let notes = this.#byHost.get(host);
    if (value === undefined) {
      notes?.delete(key);
      return;
    }
    if (notes === undefined) this.#byHost.set(host, (notes = new Map()));
    notes.delete(key);
    notes.set(key, value);
    // the oldest note goes first (a Map keeps insertion order)
    for (const oldest of notes.keys()) {
      if (notes.size <= NOTES_PER_HOST) break;
      notes.delete(oldest);
    }
  }
}
