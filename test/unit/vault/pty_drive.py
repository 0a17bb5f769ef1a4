"""Runs a command on a pseudo-terminal and answers its prompts (a test helper, like expect).

argv[1] is JSON: {"argv": [...], "cwd": DIR, "env": {...}, "steps": [[EXPECTED_TEXT, ANSWER], ...]}.
Prints JSON {"code": EXIT_CODE, "out": TRANSCRIPT}; the terminal echo shows what was visible.
"""
import json, os, pty, select, sys, time

spec = json.loads(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    os.chdir(spec["cwd"])
    os.execvpe(spec["argv"][0], spec["argv"], {**os.environ, **spec.get("env", {})})

out = b""
pos = 0


def read_more(deadline):
    global out
    r, _, _ = select.select([fd], [], [], max(0, deadline - time.time()))
    if not r:
        return False
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        return None
    if not chunk:
        return None
    out += chunk
    return True


for expected, answer in spec["steps"]:
    deadline = time.time() + 30
    while out.find(expected.encode(), pos) < 0:
        got = read_more(deadline)
        if not got:
            print(json.dumps({"code": -1, "out": out.decode(errors="replace"), "error": "no prompt %r" % expected}))
            sys.exit(0)
    pos = out.find(expected.encode(), pos) + len(expected)
    os.write(fd, answer.encode() + b"\r")

deadline = time.time() + 60
while read_more(deadline):
    pass
_, status = os.waitpid(pid, 0)
print(json.dumps({"code": os.waitstatus_to_exitcode(status), "out": out.decode(errors="replace")}))
