import { join, resolve } from 'node:path';
import { OptionError } from '../errors/index.js';

export type LabKind = 'systemd' | 'netns';

/** What a caller may ask for; everything has a default. */
export interface LabOptions {
  readonly name?: string;
  readonly hosts?: number;
  readonly kind?: LabKind;
  /** First three octets of the lab /24: bridge .1, hosts .11 and up. */
  readonly subnet?: string;
  readonly stateDir?: string;
  /** Where the debootstrap root filesystem is cached (systemd hosts). */
  readonly cacheDir?: string;
  /** Lab-only: let hosts run containerd + runc (seccomp off, all capabilities, rw cgroups). */
  readonly containers?: boolean;
  /** Add the mirror host (nginx file mirror + TLS registry) filled from this machine (systemd labs). */
  readonly mirror?: boolean;
  /** Seconds to wait for every host's sshd (default 60). */
  readonly timeoutSeconds?: number;
  /** Progress lines (default: silent). */
  readonly log?: (line: string) => void;
}

/** LabOptions with every default filled in and every name derived. */
export interface ResolvedLabOptions {
  readonly name: string;
  readonly hosts: number;
  readonly kind: LabKind;
  readonly subnet: string;
  readonly stateDir: string;
  readonly cacheDir: string;
  readonly containers: boolean;
  readonly mirror: boolean;
  readonly timeoutSeconds: number;
  readonly log: (line: string) => void;
  readonly bridge: string;
}

/** One lab host's names: inventory/host name, kernel object names, address. */
export interface LabHostPlan {
  readonly name: string;
  readonly ip: string;
  readonly netns: string;
  readonly veth: string;
  readonly dir: string;
}

export const DEFAULT_LAB_NAME = 'tsplay';
export const DEFAULT_SUBNET = '10.88.0';
export const DEFAULT_CACHE_DIR = '/var/cache/tsplay/rootfs-bookworm';
const FIRST_HOST_OCTET = 11;
const MAX_HOSTS = 254 - FIRST_HOST_OCTET + 1;

/**
 * Names become interface names (`<name>-br`, `<name>-v<N>`): Linux allows 15 characters,
 * so a lab name is at most 10 lower-case letters/digits.
 */
const NAME_RE = /^[a-z][a-z0-9]{0,9}$/;
const SUBNET_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
/** Paths go into inventory.ini values and ssh -o options, which split on blanks and quotes. */
const SAFE_PATH_RE = /^[A-Za-z0-9_./@+-]+$/;

export function resolveLabOptions(opts: LabOptions = {}, cwd: string = process.cwd()): ResolvedLabOptions {
  const name = opts.name ?? DEFAULT_LAB_NAME;
  if (!NAME_RE.test(name)) {
    throw new OptionError(`invalid lab name '${name}'`, { hint: 'use 1-10 lower-case letters or digits, starting with a letter (it becomes part of interface names)' });
  }
  const hosts = opts.hosts ?? 3;
  if (!Number.isInteger(hosts) || hosts < 1 || hosts > MAX_HOSTS) {
    throw new OptionError(`invalid host count ${hosts}`, { hint: `use 1 to ${MAX_HOSTS}` });
  }
  const kind = opts.kind ?? 'systemd';
  if (kind !== 'systemd' && kind !== 'netns') {
    throw new OptionError(`invalid lab kind '${String(kind)}'`, { hint: "use 'systemd' or 'netns'" });
  }
  const mirror = opts.mirror ?? false;
  if (mirror && kind !== 'systemd') {
    throw new OptionError('the lab mirror needs systemd hosts', { hint: 'drop --kind netns (the mirror runs nginx and the registry as systemd units)' });
  }
  const subnet = checkSubnet(opts.subnet ?? DEFAULT_SUBNET);
  const stateDir = checkPath(resolve(cwd, opts.stateDir ?? join('.tsplay', 'lab', name)), 'state directory');
  const cacheDir = checkPath(resolve(cwd, opts.cacheDir ?? DEFAULT_CACHE_DIR), 'cache directory');
  return {
    name, hosts, kind, subnet, stateDir, cacheDir,
    containers: opts.containers ?? false,
    mirror,
    timeoutSeconds: opts.timeoutSeconds ?? 60,
    log: opts.log ?? (() => {}),
    bridge: `${name}-br`,
  };
}

function checkSubnet(subnet: string): string {
  const m = SUBNET_RE.exec(subnet);
  if (!m || m.slice(1).some((o) => Number(o) > 255)) {
    throw new OptionError(`invalid lab subnet '${subnet}'`, { hint: 'give the first three octets of a private /24, e.g. 10.88.7' });
  }
  return subnet;
}

function checkPath(path: string, what: string): string {
  if (!SAFE_PATH_RE.test(path)) {
    throw new OptionError(`the lab ${what} '${path}' contains blanks or quotes`, { hint: 'choose a path made of letters, digits and ./_-@+' });
  }
  return path;
}

/** Host N (1-based): inventory name nodeN, address <subnet>.(10+N), kernel names prefixed by the lab. */
export function planHosts(o: ResolvedLabOptions): LabHostPlan[] {
  return Array.from({ length: o.hosts }, (_, i) => {
    const n = i + 1;
    return {
      name: `node${n}`,
      ip: `${o.subnet}.${FIRST_HOST_OCTET + i}`,
      netns: `${o.name}-node${n}`,
      veth: `${o.name}-v${n}`,
      dir: join(o.stateDir, 'hosts', `node${n}`),
    };
  });
}

export function bridgeAddress(o: ResolvedLabOptions): string {
  return `${o.subnet}.1`;
}
