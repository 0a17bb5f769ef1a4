import type { ExecResult } from '../../types/connection.js';
import type { ModuleContext } from '../../types/module.js';

/**
 * Runs shell text on the host with the task's become AND its `environment:` (proxy variables
 * reach curl and apt-get this way, as they reach ansible's modules).
 */
export async function runOnHost(ctx: ModuleContext, command: string, stdin?: Buffer | string): Promise<ExecResult> {
  const conn = await ctx.connection();
  const env = Object.keys(ctx.env).length > 0 ? ctx.env : undefined;
  return conn.exec({ command, become: ctx.become, stdin, env });
}
