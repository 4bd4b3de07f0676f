"""Check that the emulator package installs into an empty virtual environment and works there.

Usage: check_emulator_package.py PACKAGE_DIR WORK_DIR

Makes WORK_DIR/venv (a fresh venv: pip and nothing else), runs `pip install` on a
copy of PACKAGE_DIR, and checks what a user gets: no runtime dependency, the
`amove-click-emulator` command and `python -m amove_click_emulator`, an agent
that answers GET /management/agent_status, and a token-protected listing that
answers the token and refuses its absence, and the seed presets shipped as package
data. Exit status 0 when all holds.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

TOKEN = 'package-check-token'


def run(*command, **kwargs):
    """Run a command; its output goes to ours; fail on a non-zero exit."""
    print('+ ' + ' '.join(str(part) for part in command), flush=True)
    return subprocess.run([str(part) for part in command], check=True, **kwargs)


def get(url):
    """(status, decoded JSON body or None) of a GET."""
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, json.loads(answer.read() or b'null')
    except urllib.error.HTTPError as err:
        return err.code, None


def check(condition, what):
    if not condition:
        raise SystemExit('FAILED: ' + what)
    print('ok: ' + what, flush=True)


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    package, work = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
    shutil.rmtree(work, ignore_errors=True)
    source = work / 'source'
    # a copy, so the in-tree build leaves nothing in the tested tree
    shutil.copytree(package, source, ignore=shutil.ignore_patterns('*.egg-info', 'build', '__pycache__', '.pytest_cache'))
    run(sys.executable, '-m', 'venv', work / 'venv')
    python = work / 'venv' / 'bin' / 'python'
    before = run(python, '-m', 'pip', 'list', '--format=json', '--disable-pip-version-check', capture_output=True, text=True).stdout
    check({entry['name'] for entry in json.loads(before)} <= {'pip', 'setuptools'}, 'the fresh venv holds pip and nothing else')

    run(python, '-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '-q', source)
    after = {entry['name'] for entry in json.loads(run(python, '-m', 'pip', 'list', '--format=json', '--disable-pip-version-check',
                                                       capture_output=True, text=True).stdout)}
    check(after - {'pip', 'setuptools'} == {'amove-click-emulator'}, 'pip install brought the package and no dependency')
    version = run(python, '-m', 'amove_click_emulator', '--version', capture_output=True, text=True).stdout.strip()
    check(version.startswith('amove-click-emulator '), 'python -m amove_click_emulator runs: ' + version)

    command = work / 'venv' / 'bin' / 'amove-click-emulator'
    process = subprocess.Popen([str(command), '--port', '0', '--api-token', TOKEN], stdout=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline().strip()
        check(line.startswith('click-emulator: agent 1 listening on http://'), 'the amove-click-emulator command starts: ' + line)
        url = line.rsplit(' ', 1)[1]
        check(get(url + '/management/agent_status') == (200, 1), 'GET /management/agent_status answers 1 (Started)')
        status, listing = get(url + '/sharedclouddrive/get_all?token=' + TOKEN)
        check(status == 200 and listing['total'] == 0 and listing['data'] == [], 'the token lists the shared cloud drives')
        check(get(url + '/sharedclouddrive/get_all')[0] == 401, 'the listing without a token is 401')
    finally:
        process.terminate()
        code = process.wait(timeout=10)
        process.stdout.close()
    check(code == 0, 'SIGTERM stops it with exit status 0')

    process = subprocess.Popen([str(command), '--port', '0', '--seed-preset', 'agency', '--api-token', TOKEN], stdout=subprocess.PIPE,
                               text=True)
    try:
        url = process.stdout.readline().strip().rsplit(' ', 1)[1]
        status, listing = get(url + '/sharedclouddrive/get_all?token=' + TOKEN)
        check(status == 200 and listing['total'] > 0, 'the seed preset "agency" ships with the package: its drives are listed')
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()
    shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    main()
