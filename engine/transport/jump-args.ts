import { OptionError } from '../errors/index.js';

/** One hop of `-J user@host:port` (OpenSSH ProxyJump syntax, also ssh://user@host:port). */
export interface JumpHost {
  readonly user?: string;
  readonly host: string;
  readonly port: number;
}

/** What tsplay understands of ansible_ssh_common_args / ansible_ssh_extra_args. */
export interface SshArgs {
  /** Hops in order: the first is dialled directly, each next one through the previous. */
  readonly jumps: readonly JumpHost[];
  readonly strictHostKeyChecking?: 'strict' | 'accept-new' | 'off';
  readonly userKnownHostsFile?: string;
  readonly serverAliveIntervalSec?: number;
  readonly serverAliveCountMax?: number;
  readonly connectTimeoutSec?: number;
  readonly identityFile?: string;
  /** Options accepted but without effect here (printed at -vvvv so nothing is silently lost). */
  readonly ignored: readonly string[];
}

/** Splits a string into words the way a POSIX shell would (quotes and backslashes). */
export function splitShellWords(text: string): string[] {
  const words: string[] = [];
  let cur: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else cur += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1])) cur += text[++i];
      else cur += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      cur ??= '';
    } else if (c === '\\' && i + 1 < text.length) {
      cur = (cur ?? '') + text[++i];
    } else if (/\s/.test(c)) {
      if (cur !== undefined) words.push(cur);
      cur = undefined;
    } else {
      cur = (cur ?? '') + c;
    }
  }
  if (quote) throw new OptionError(`unterminated ${quote} quote in ssh arguments: ${text}`);
  if (cur !== undefined) words.push(cur);
  return words;
}

/** Parses `[user@]host[:port]` or `ssh://[user@]host[:port]`; IPv6 literals go in brackets. */
export function parseJumpHost(spec: string): JumpHost {
  const s = spec.replace(/^ssh:\/\//, '');
  const at = s.lastIndexOf('@');
  const user = at >= 0 ? s.slice(0, at) : undefined;
  const rest = at >= 0 ? s.slice(at + 1) : s;
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest) ?? /^([^:]+)(?::(\d+))?$/.exec(rest);
  if (!m || m[1] === '') throw new OptionError(`cannot parse jump host '${spec}': expected [user@]host[:port]`);
  return { user: user === '' ? undefined : user, host: m[1], port: m[2] ? Number(m[2]) : 22 };
}

function parseJumpList(value: string): JumpHost[] {
  if (value.toLowerCase() === 'none') return [];
  return value.split(',').map(parseJumpHost);
}

type Mutable = { -readonly [K in keyof SshArgs]: SshArgs[K] };

function applyOption(opt: string, out: Mutable, ignored: string[]): void {
  const m = /^([A-Za-z]+)\s*(?:=|\s)\s*(.*)$/s.exec(opt.trim());
  if (!m) throw new OptionError(`cannot parse ssh option '-o ${opt}'`);
  const [, rawName, value] = m;
  switch (rawName.toLowerCase()) {
    case 'proxyjump':
      out.jumps = parseJumpList(value);
      return;
    case 'proxycommand':
      if (value.toLowerCase() === 'none') return;
      throw new OptionError(`ProxyCommand is not supported by tsplay's built-in SSH client: -o ProxyCommand=${value}`, {
        hint: 'use a jump host instead: ansible_ssh_common_args="-J user@bastion:port" (or -o ProxyJump=user@bastion:port)',
      });
    case 'stricthostkeychecking':
      out.strictHostKeyChecking = strictMode(value);
      return;
    case 'userknownhostsfile':
      out.userKnownHostsFile = value.split(/\s+/)[0];
      return;
    case 'serveraliveinterval':
      out.serverAliveIntervalSec = Number(value);
      return;
    case 'serveralivecountmax':
      out.serverAliveCountMax = Number(value);
      return;
    case 'connecttimeout':
      out.connectTimeoutSec = Number(value);
      return;
    case 'identityfile':
      out.identityFile = value;
      return;
    default:
      ignored.push(`-o ${opt}`);
  }
}

function strictMode(value: string): 'strict' | 'accept-new' | 'off' {
  const v = value.toLowerCase();
  if (v === 'accept-new') return 'accept-new';
  if (v === 'no' || v === 'off' || v === 'false') return 'off';
  return 'strict';
}

/** Flags of OpenSSH that take a value; their value must not be read as another flag. */
const FLAGS_WITH_VALUE = new Set('BbcDEeFIiJLlmOoPpQRSWw'.split(''));

/**
 * Parses ansible_ssh_common_args and ansible_ssh_extra_args (concatenated, common first).
 * Only what a library client can honour is understood; a ProxyCommand is refused with a hint.
 */
export function parseSshArgs(...texts: (string | undefined)[]): SshArgs {
  const out: Mutable = { jumps: [], ignored: [] };
  const ignored: string[] = [];
  const words = texts.flatMap((t) => (t ? splitShellWords(t) : []));
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (!w.startsWith('-') || w.length < 2) {
      ignored.push(w);
      continue;
    }
    const flag = w[1];
    if (!FLAGS_WITH_VALUE.has(flag)) {
      ignored.push(w);
      continue;
    }
    const value = w.length > 2 ? w.slice(2) : words[++i];
    if (value === undefined) throw new OptionError(`ssh option ${w} needs a value`);
    if (flag === 'o') applyOption(value, out, ignored);
    else if (flag === 'J') out.jumps = parseJumpList(value);
    else if (flag === 'i') out.identityFile = value;
    else ignored.push(`${w.slice(0, 2)} ${value}`);
  }
  out.ignored = ignored;
  return out;
}
