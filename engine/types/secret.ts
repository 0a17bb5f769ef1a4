/**
 * A value that must never reach a log, argv or error text. It prints as *** everywhere;
 * only code that hands it to its destination (stdin of sudo, ssh2 auth) calls reveal().
 */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return '***';
  }
  toJSON(): string {
    return '***';
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return '***';
  }
}
