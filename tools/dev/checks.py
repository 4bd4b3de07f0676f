"""Run the collection's checks (the nox sessions of noxfile.py), then say what is left running.

    python3 tools/dev/checks.py                   every session, then a summary
    python3 tools/dev/checks.py -s units-2.21     nox's own options: one session,
    python3 tools/dev/checks.py -t sanity         the sessions of a tag, -l to list...

What the Makefile's targets call. It makes .venv-nox first (nox, from
tools/dev/requirements-nox.txt), then runs nox with the sessions side by side, as many at a
time as the machine has cores (CHECKS_PARALLEL=N to change; 1 runs them one by
one with their output as it comes), and ends with one line per session, the
processes the checks left running, and "checks: N passed, N failed".

Every process the checks start stays below this one, even one that left its
parent (on Linux this process is their "subreaper"). Whatever way the checks
end (pass, fail, interrupt, SIGTERM), any process still running afterwards is
listed, stopped, and fails the run. So does a temporary directory of a module
(ansible-moduletmp-*) the checks left in the system's temporary directory: it is
listed, to be removed (it may belong to another run of the checks, still going).
"""

from __future__ import annotations

import ctypes
import json
import os
import pathlib
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import venvs  # noqa: E402  pylint: disable=wrong-import-position

ROOT = venvs.ROOT
NOX_VENV = ROOT / '.venv-nox'
REPORT = venvs.BUILD / 'nox-report.json'
PR_SET_CHILD_SUBREAPER = 36


def become_subreaper():
    """Orphaned descendants are reparented to this process instead of init (Linux); False elsewhere."""
    if not sys.platform.startswith('linux'):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0


def processes():
    """{pid: (ppid, command line)} of every process this user can see (Linux /proc, else ps)."""
    found = {}
    if os.path.isdir('/proc/self'):
        for entry in os.listdir('/proc'):
            if not entry.isdigit():
                continue
            try:
                with open('/proc/%s/stat' % entry, encoding='utf-8', errors='replace') as stat:
                    ppid = int(stat.read().rsplit(')', 1)[1].split()[1])
                with open('/proc/%s/cmdline' % entry, 'rb') as cmdline:
                    command = cmdline.read().replace(b'\0', b' ').decode('utf-8', 'replace').strip()
            except (OSError, ValueError, IndexError):
                continue
            found[int(entry)] = (ppid, command)
        return found
    listing = subprocess.run(['ps', '-A', '-o', 'pid=,ppid=,command='], capture_output=True, text=True, check=False).stdout
    for line in listing.splitlines():
        pid, ppid, command = (line.split(None, 2) + [''])[:3]
        found[int(pid)] = (int(ppid), command)
    return found


def descendants(root):
    """{pid: command line} of the running processes below `root` (zombies included until reaped)."""
    table = processes()
    children = {}
    for pid, (ppid, _command) in table.items():
        children.setdefault(ppid, []).append(pid)
    found, queue = {}, list(children.get(root, []))
    while queue:
        pid = queue.pop()
        if pid in found:
            continue
        found[pid] = table[pid][1]
        queue.extend(children.get(pid, []))
    return found


def reap():
    """Collect every exited child (an orphan reparented here, once it ends)."""
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if not pid:
            return


def leftovers():
    """Stop what the checks left running: [command line] of each process that was still there."""
    reap()
    left = {pid: command for pid, command in descendants(os.getpid()).items() if command}
    for signum, grace in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 2.0)):
        for pid in list(descendants(os.getpid())):
            try:
                os.kill(pid, signum)
            except OSError:
                pass
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            reap()
            if not any(command for command in descendants(os.getpid()).values()):
                break
            time.sleep(0.1)
    return ['%d %s' % (pid, command) for pid, command in sorted(left.items())]


def module_temporary_directories():
    """The temporary directories of modules in the system's (a module run outside Ansible makes one, and removes it at exit)."""
    try:
        return set(name for name in os.listdir(tempfile.gettempdir()) if name.startswith('ansible-moduletmp-'))
    except OSError:
        return set()


def summary(returncode, left, took, left_files=()):
    """One line per session, the leftovers, and the counts; the exit code of the run."""
    try:
        sessions = json.loads(REPORT.read_text())['sessions']
    except (OSError, ValueError, KeyError):
        sessions = []
    print('\n' + '=' * 67 + ' summary')
    passed = failed = skipped = 0
    for entry in sessions:
        name = (entry.get('signatures') or [entry['name']])[0]
        cpu = venvs.BUILD / 'nox' / name / 'cpu'
        seconds = '%d s%s' % (round(entry.get('duration') or 0), ', CPU %s s' % cpu.read_text().strip() if cpu.is_file() else '')
        if entry['result'] == 'success':
            passed += 1
            print('PASS %s (%s)' % (name, seconds))
        elif entry['result'] == 'skipped':
            skipped += 1
            print('SKIP %s (%s)' % (name, entry.get('reason') or 'skipped'))
        else:
            failed += 1
            print('FAIL %s (%s)%s' % (name, seconds, ': %s' % entry['reason'] if entry.get('reason') else ''))
    if returncode and not failed:
        failed += 1
        print('FAIL nox (exit code %d, see above)' % returncode)
    if left:
        failed += 1
        print('FAIL leftovers: %d processes the checks started were still running (now stopped):' % len(left))
        for line in left:
            print('     %s' % line[:300])
    else:
        print('PASS leftovers: no process the checks started is still running')
        passed += 1
    if left_files:
        failed += 1
        print('FAIL leftovers: %d temporary directories of modules were left in %s, such as (rm -r %s/ansible-moduletmp-*):'
              % (len(left_files), tempfile.gettempdir(), tempfile.gettempdir()))
        for name in sorted(left_files)[:5]:
            print('     %s' % name)
    else:
        print('PASS leftovers: no temporary directory of a module is left in %s' % tempfile.gettempdir())
        passed += 1
    cpu = sum(int((venvs.BUILD / 'nox' / (entry.get('signatures') or [entry['name']])[0] / 'cpu').read_text())
              for entry in sessions if (venvs.BUILD / 'nox' / (entry.get('signatures') or [entry['name']])[0] / 'cpu').is_file())
    print('total %d s, CPU %d s' % (took, cpu))
    print('checks: %d passed, %d failed%s' % (passed, failed, ', %d skipped' % skipped if skipped else ''))
    return 1 if failed else 0


def main(argv):
    start = time.monotonic()
    try:
        venvs.ensure_venv(NOX_VENV, ROOT / 'tools' / 'dev' / 'requirements-nox.txt', '3.11')
    except venvs.SetupError as error:
        print('ERROR: %s' % error, file=sys.stderr)
        return 2
    if any(arg in ('-l', '--list', '--list-sessions', '-h', '--help', '--version') for arg in argv):
        return subprocess.run([str(NOX_VENV / 'bin' / 'nox'), '-f', str(ROOT / 'noxfile.py')] + argv, check=False).returncode
    guarded = become_subreaper()
    slots = os.environ.get('CHECKS_PARALLEL') or str(os.cpu_count() or 1)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.unlink(missing_ok=True)
    command = [str(NOX_VENV / 'bin' / 'nox'), '-f', str(ROOT / 'noxfile.py'), '--parallel', slots, '--report', str(REPORT)] + argv
    # what every session copies: the work tree as it is now, whatever is edited while the checks run
    source = venvs.BUILD / 'nox-source'
    venvs.snapshot(source)
    modules_before = module_temporary_directories()
    nox = subprocess.Popen(command, env=dict(os.environ, AMOVE_CLICK_CHECKED_SOURCE=str(source)))

    def forward(_signum, _frame):
        # nox stops the sessions it runs (each a process group of its own) on SIGINT, not on SIGTERM
        nox.send_signal(signal.SIGINT)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    returncode = nox.wait()
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    left = leftovers() if guarded else []
    if not guarded:
        print('NOTE: leftover processes are only checked on Linux')
    return summary(returncode, left, time.monotonic() - start, module_temporary_directories() - modules_before)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
