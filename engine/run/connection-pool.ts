import type { Connection, ConnectionFactory, ConnectionParams } from '../types/connection.js';

/**
 * One connection per host for the whole run (design.md: speed). Keyed by the parameters that
 * identify the session, so a delegated task or a changed ansible_user opens its own.
 */
export class ConnectionPool {
  readonly #factory: ConnectionFactory;
  readonly #open = new Map<string, Promise<Connection>>();

  constructor(factory: ConnectionFactory) {
    this.#factory = factory;
  }

  get(params: ConnectionParams): Promise<Connection> {
    const key = `${params.inventoryHostname}|${params.connection}|${params.user ?? ''}@${params.host}:${params.port}`;
    let conn = this.#open.get(key);
    if (conn === undefined) {
      conn = this.#factory.connect(params);
      // A failed connect is not cached: a later task (or retry) may try again.
      conn.catch(() => this.#open.delete(key));
      this.#open.set(key, conn);
    }
    return conn;
  }

  /** Drops a host's connections (meta: reset_connection, or after it became unreachable). */
  async reset(inventoryHostname: string): Promise<void> {
    for (const [key, conn] of this.#open) {
      if (!key.startsWith(`${inventoryHostname}|`)) continue;
      this.#open.delete(key);
      await conn.then((c) => c.close()).catch(() => undefined);
    }
  }

  async closeAll(): Promise<void> {
    const all = [...this.#open.values()];
    this.#open.clear();
    await Promise.all(all.map((p) => p.then((c) => c.close()).catch(() => undefined)));
  }
}
