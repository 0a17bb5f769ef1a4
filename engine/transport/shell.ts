import { randomUUID } from 'node:crypto';
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

/** Shell text that is already safe (built by sh`` or quote()): sh`` inserts it as it is. */
export class Verbatim {
  constructor(readonly text: string) {}
}

/** Marks already-built shell text (a nested sh`` result, a script section) for insertion as is. */
export function verbatim(text: string): Verbatim {
  return new Verbatim(text);
}

/**
 * Builds a remote command from parts (design.md §8): the template's own text is shell syntax,
 * every interpolated value is quoted by construction (an array becomes one quoted word per
 * element), numbers stay bare, and only a Verbatim is inserted as is.
 *   sh`mkdir -p -- ${dir}`            -> mkdir -p -- '/tmp/a b'
 *   sh`userdel ${flags} ${name}`       -> userdel -r -f alice
 */
export function sh(strings: TemplateStringsArray, ...values: unknown[]): string {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += part(v) + strings[i + 1]!;
  });
  return out;
}

function part(v: unknown): string {
  if (v instanceof Verbatim) return v.text;
  if (Array.isArray(v)) return v.map(part).join(' ');
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'string') return quote(v);
  throw new TypeError(`sh\`\`: cannot put ${typeof v} into a command`);
}

/**
 * A value as one word inside a double-quoted string that `eval` splits again later (a list of
 * paths collected in a shell variable): quoted, then escaped for the double quotes.
 */
export function evalWord(value: string): string {
  return quote(value).replace(/[\\"$`]/g, (c) => `\\${c}`);
}

/** A glob for the shell: metacharacters stay bare, everything else is quoted. */
export function globWord(pattern: string): string {
  return pattern.split(/([*?])/).map((p) => (p === '*' || p === '?' ? p : p === '' ? '' : quote(p))).join('') || "''";
}

/**
 * One argv word for the host's sh, expanded like ansible 2.14's command module does with
 * os.path.expanduser(os.path.expandvars(word)) on the host: $NAME / ${NAME} take the host's value
 * (an unset one stays as written) and a leading ~ is $HOME; everything else is quoted.
 */
export function expandingWord(word: string): string {
  const parts: string[] = [];
  let rest = word;
  if (rest === '~' || rest.startsWith('~/')) {
    parts.push('"$HOME"');
    rest = rest.slice(1);
  }
  let last = 0;
  for (const m of rest.matchAll(/\$(\w+)|\$\{([^}]*)\}/g)) {
    if (m.index! > last) parts.push(quote(rest.slice(last, m.index)));
    const name = m[1] ?? m[2]!;
    parts.push(/^[A-Za-z_]\w*$/.test(name) ? `"\${${name}-${m[1] !== undefined ? '\\$' + name : '\\${' + name + '\\}'}}"` : quote(m[0]));
    last = m.index! + m[0].length;
  }
  if (last < rest.length || parts.length === 0) parts.push(quote(rest.slice(last)));
  return parts.join('');
}

/**
 * A random word for temp file names and output markers: 12 hex digits (48 random bits), or a
 * whole UUID's 30 random hex digits with `long`. randomUUID draws from a cached pool, while
 * randomBytes makes a system call each time: a run names several per task and host.
 */
export function randomWord(long = false): string {
  const u = randomUUID().replace(/-/g, '');
  // digit 12 is the UUID version and digit 16 its variant: fixed, left out
  return long ? `${u.slice(0, 12)}${u.slice(13, 16)}${u.slice(17)}` : u.slice(0, 12);
}
