import { describe, expect, it } from 'vitest';
import { chrootFacts } from '../../../engine/facts/parse-runtime.js';
import { platformFacts, userFacts } from '../../../engine/facts/parse-system.js';

// Section outputs captured on a tsplay lab host (Debian 12, systemd-nspawn), each next to what the
// programs the script no longer starts (uname -s -n -r -m + uname -v, id, stat) printed at the
// same moment: the parsed facts must be the ones those programs give.
const one = (name: string, text: string) => new Map([[name, text]]);

describe('platform from one `uname -snrvm`', () => {
  it('matches uname -s -n -r -m and uname -v', () => {
    const [snrm, v] = ['Linux node1 6.18.44-fc-v1098 x86_64', '#1 SMP PREEMPT_DYNAMIC @0'];
    const [system, nodename, kernel, machine] = snrm.split(' ');
    const facts = platformFacts(one('platform', 'Linux node1 6.18.44-fc-v1098 #1 SMP PREEMPT_DYNAMIC @0 x86_64'));
    expect(facts).toMatchObject({ system, nodename, kernel, machine, kernel_version: v, architecture: machine, hostname: 'node1' });
  });
});

describe('user from /proc/self/status and the passwd entry', () => {
  const cases = [
    {
      id: 'uid=1000(tsfcu) gid=1000(tsfcu) groups=1000(tsfcu)',
      section: '@ids 1000 1000 1000 1000\ntsfcu:x:1000:1000::/home/tsfcu:/bin/sh',
      want: { user_id: 'tsfcu', user_uid: 1000, user_gid: 1000, user_gecos: '', user_dir: '/home/tsfcu', user_shell: '/bin/sh', real_user_id: 1000, effective_user_id: 1000, real_group_id: 1000, effective_group_id: 1000 },
    },
    {
      id: 'uid=0(root) gid=0(root) groups=0(root)',
      section: '@ids 0 0 0 0\nroot:x:0:0:root:/root:/bin/bash',
      want: { user_id: 'root', user_uid: 0, user_gid: 0, user_gecos: 'root', user_dir: '/root', user_shell: '/bin/bash', real_user_id: 0, effective_user_id: 0, real_group_id: 0, effective_group_id: 0 },
    },
    {
      // setresuid(0, 1000, 0) + setresgid(0, 1000, 0), then sh -p; effective_group_id is the real gid (ansible 2.14's quirk)
      id: 'uid=0(root) gid=0(root) euid=1000(tsfcu) egid=1000(tsfcu) groups=1000(tsfcu),0(root)',
      section: '@ids 0 1000 0 1000\ntsfcu:x:1000:1000::/home/tsfcu:/bin/sh',
      want: { user_id: 'tsfcu', user_uid: 1000, user_gid: 1000, user_gecos: '', user_dir: '/home/tsfcu', user_shell: '/bin/sh', real_user_id: 0, effective_user_id: 1000, real_group_id: 0, effective_group_id: 0 },
    },
  ];
  it.each(cases)('$id', ({ section, want }) => {
    expect(userFacts(one('user', section))).toEqual(want);
  });

  it('an effective uid without a passwd entry has no name, like id (setpriv --reuid=4242: "uid=4242 gid=4242 groups=4242")', () => {
    expect(userFacts(one('user', '@ids 4242 4242 4242 4242'))).toMatchObject({ user_id: '', user_uid: 4242, user_gid: 4242, real_user_id: 4242, user_dir: '' });
  });
});

describe('chroot by test -ef', () => {
  it('same inode and device as /proc/1/root (stat: 1048741:5481423 twice) is no chroot', () => {
    expect(chrootFacts(one('chroot', 'same'))).toEqual({ is_chroot: false });
  });
  it('another inode or device is a chroot (chroot into a bind-mounted /usr: stat 1048744:23 vs 1048741:5481423)', () => {
    expect(chrootFacts(one('chroot', 'chroot'))).toEqual({ is_chroot: true });
  });
  it('an unreadable /proc/1/root (as tsfcu: test -e fails, stat printed only /) leaves the fact out', () => {
    expect(chrootFacts(one('chroot', ''))).toEqual({});
  });
});
