/**
 * POSIX shell quoting. Remote commands are built from parts and every argument passes through
 * quote(), so a templated value can never inject shell syntax.
 */
export function quote(arg: string): string {
  if (arg !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Joins argv into one shell command line, each word quoted. */
export function joinArgv(argv: readonly string[]): string {
  return argv.map(quote).join(' ');
}

/** Prefixes `cd DIR &&` and `env K=V` to a command; used for chdir and environment. */
export function withCwdAndEnv(command: string, cwd?: string, env?: Readonly<Record<string, string>>): string {
  let out = command;
  const pairs = Object.entries(env ?? {});
  if (pairs.length > 0) {
    const assignments = pairs.map(([k, v]) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new Error(`invalid environment variable name: ${k}`);
      return `${k}=${quote(v)}`;
    });
    out = `export ${assignments.join(' ')}; ${out}`;
  }
  if (cwd !== undefined) out = `cd ${quote(cwd)} && ${out}`;
  return out;
}
