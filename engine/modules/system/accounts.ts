/** getent lines for user and group, parsed. */
export interface PasswdEntry {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  readonly comment: string;
  readonly home: string;
  readonly shell: string;
}

export interface GroupEntry {
  readonly name: string;
  readonly gid: number;
  readonly members: string[];
}

export function parsePasswd(line: string): PasswdEntry | undefined {
  const f = line.trim().split(':');
  if (f.length < 7) return undefined;
  return { name: f[0]!, uid: Number(f[2]), gid: Number(f[3]), comment: f[4]!, home: f[5]!, shell: f[6]! };
}

export function parseGroup(line: string): GroupEntry | undefined {
  const f = line.trim().split(':');
  if (f.length < 4) return undefined;
  return { name: f[0]!, gid: Number(f[2]), members: f[3] === '' ? [] : f[3]!.split(',') };
}

/** Supplementary groups of user from `getent group` output (the primary group is not listed). */
export function memberOf(groupText: string, user: string): string[] {
  return groupText.split('\n').map(parseGroup).filter((g): g is GroupEntry => g !== undefined && g.members.includes(user)).map((g) => g.name);
}

/** Shell text: prints `getent` answers in sections, each missing key as an empty section. */
export function getentLines(db: 'passwd' | 'group' | 'shadow', key: string): string {
  return `getent ${db} -- ${key} 2>/dev/null || true`;
}
