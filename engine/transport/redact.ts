import { Secret } from '../types/secret.js';

export const MASK = '***';

/** Ansible's wording when a no_log result is shown. */
export const NO_LOG_MESSAGE = "the output has been hidden due to the fact that 'no_log: true' was specified for this result";

/**
 * Knows the secret strings of one run (passwords, passphrases, no_log values) and masks them
 * in any text bound for a log. Secret objects already print as ***; this catches their
 * revealed text where it ends up inside other strings (a command line, an ssh2 debug line).
 */
export class Redactor {
  readonly #secrets: string[];

  constructor(secrets: Iterable<Secret | string | undefined> = []) {
    this.#secrets = [];
    for (const s of secrets) this.add(s);
  }

  /** Returns a new redactor that also masks these values (the original stays as it was). */
  with(...secrets: (Secret | string | undefined)[]): Redactor {
    return new Redactor([...this.#secrets, ...secrets]);
  }

  add(secret: Secret | string | undefined): void {
    const text = secret instanceof Secret ? secret.reveal() : secret;
    // Very short values would mask random letters everywhere and tell more than they hide.
    if (text === undefined || text.length < 3 || this.#secrets.includes(text)) return;
    this.#secrets.push(text);
    // The same text as it appears inside JSON output (quotes, backslashes, newlines escaped).
    const json = JSON.stringify(text).slice(1, -1);
    if (json !== text && !this.#secrets.includes(json)) this.#secrets.push(json);
    // A multi-line secret (a key, a certificate) shows line by line in diffs and stdout_lines.
    if (text.includes('\n')) for (const line of text.split('\n')) this.add(line.trim());
    this.#secrets.sort((a, b) => b.length - a.length); // longest first: a secret may contain another
  }

  text(s: string): string {
    let out = s;
    for (const secret of this.#secrets) out = out.split(secret).join(MASK);
    return out;
  }

  /** Deep copy with every Secret and every known secret string replaced by ***. */
  value(v: unknown): unknown {
    if (v instanceof Secret) return MASK;
    if (typeof v === 'string') return this.text(v);
    if (Array.isArray(v)) return v.map((x) => this.value(x));
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.value(x)]));
    }
    return v;
  }
}

/** What a no_log task shows instead of its result (keeps only the status flags, like ansible). */
export function censorResult(result: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { censored: NO_LOG_MESSAGE };
  for (const k of ['changed', 'failed', 'skipped', 'unreachable'] as const) if (k in result) out[k] = result[k];
  return out;
}

/** A log sink that masks before writing; the transport hands every -vvv line through one. */
export type LogSink = (line: string) => void;

export function redactingSink(sink: LogSink, redactor: Redactor): LogSink {
  return (line) => sink(redactor.text(line));
}
