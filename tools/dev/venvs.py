"""The virtual environments the checks run in, and what they share outside the clone.

Used by noxfile.py (each session asks for what it needs) and by
tools/dev/checks.py (which makes .venv, where nox itself comes from):

- one venv per ansible-core version, made from a requirements file that pins
  everything, with the Python that version runs on; made anew when the file or
  the interpreter changed (a stamp in the venv says what it was made from);
- the Click API emulator package (emulator/) installed into .venv, again
  whenever a file of emulator/ changed;
- ansible.windows, taken from the pinned `ansible` package (Galaxy is out of
  reach), in build/ansible.windows;
- what ansible-test keeps in ~/.ansible/test and shares between all its runs:
  the offline get-pip stand-in, and the SSH key pair, made once before checks
  run side by side (two runs that both find it missing both call ssh-keygen,
  and the second stops at "Overwrite (y/n)?").

Command line: python3 tools/dev/venvs.py makes .venv (ansible-core of the floor
and every tool) with the emulator package in it, for `make demo` and `make bench`.
"""

from __future__ import annotations

import contextlib
import fcntl
import glob
import hashlib
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import zipfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
BUILD = ROOT / 'build'
ANSIBLE_TEST_HOME = pathlib.Path.home() / '.ansible' / 'test'
# The tests of Windows desktops need ansible.windows: from this package, which bundles it.
ANSIBLE_PACKAGE = 'ansible==12.3.0'
WINDOWS_COLLECTION = BUILD / 'ansible.windows'


class SetupError(Exception):
    """Something the checks need could not be made; the message says what to do."""


@contextlib.contextmanager
def locked(path):
    """Hold an exclusive lock on `path` (made when missing) for the block."""
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, 'a', encoding='utf-8') as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def pick_python(version):
    """A Python `version` (such as 3.13) interpreter: $PYTHONXY, else pythonX.Y, else a pyenv X.Y used directly.

    Directly, because the shim of a pyenv version that is not the active one refuses to run (exit 127).
    """
    override = os.environ.get('PYTHON' + version.replace('.', ''))
    if override:
        return override
    pyenv = os.environ.get('PYENV_ROOT') or os.path.expanduser('~/.pyenv')
    candidates = [shutil.which('python' + version)] + sorted(glob.glob('%s/versions/%s.*/bin/python%s' % (pyenv, version, version)))
    for candidate in candidates:
        if candidate and subprocess.run([candidate, '-c', ''], capture_output=True, check=False).returncode == 0:
            return candidate
    raise SetupError('no Python %s found; set PYTHON%s to a Python %s interpreter' % (version, version.replace('.', ''), version))


def ensure_venv(venv, requirements, python_version, log=print):
    """Make `venv` from `requirements` with Python `python_version`, unless it was made from exactly those."""
    venv, requirements = pathlib.Path(venv), pathlib.Path(requirements)
    python = pick_python(python_version)
    try:
        interpreter = subprocess.run([python, '-c', 'import sys; print(sys.version)'], capture_output=True, text=True,
                                     check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        raise SetupError("'%s' does not run; set PYTHON%s to a Python %s interpreter"
                         % (python, python_version.replace('.', ''), python_version)) from None
    # what is installed, not the comments: a reworded comment does not make the venv anew
    pins = '\n'.join(line for line in requirements.read_text().splitlines() if line.strip() and not line.lstrip().startswith('#'))
    wanted = '%s\n%s' % (hashlib.sha256(pins.encode()).hexdigest(), interpreter)
    stamp = venv / '.requirements-dev.stamp'
    # one maker at a time: sessions side by side may ask for the same venv
    with locked(BUILD / 'locks' / ('venv-%s.lock' % venv.name)):
        if (venv / 'bin' / 'python').exists() and stamp.exists() and stamp.read_text() == wanted:
            use_pypi_releases(venv)
            return venv
        log('--- creating %s from %s with %s' % (venv.name, requirements.relative_to(ROOT), python))
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([python, '-m', 'venv', str(venv)], check=True)
        install_log = venv / 'install.log'
        with open(install_log, 'w', encoding='utf-8') as output:
            done = subprocess.run([str(venv / 'bin' / 'python'), '-m', 'pip', 'install', '--disable-pip-version-check',
                                   '--no-input', '-r', str(requirements)], stdout=output, stderr=subprocess.STDOUT, check=False)
        if done.returncode:
            lines = [line for line in install_log.read_text().splitlines() if 'is ignored: it is neither' not in line]
            raise SetupError('installing %s failed (full log: %s):\n%s' % (requirements.name, install_log, '\n'.join(lines[-40:])))
        use_pypi_releases(venv)
        stamp.write_text(wanted)
        log('--- %s ready' % venv.name)
    return venv


# Releases on PyPI that stand in for what an ansible-test pins as a GitHub archive (GitHub is
# out of reach here): ansible-core 2.22.0rc1's pylint sanity test wants dill from a commit
# that adds Python 3.15 support; this release supports every Python the tests run on.
PYPI_INSTEAD_OF_GITHUB = {'dill': 'dill==0.4.1'}


def use_pypi_releases(venv):
    """Make the sanity requirements of the venv's ansible-test name PyPI releases instead of GitHub archives."""
    for requirements in pathlib.Path(venv).glob('lib/python*/site-packages/ansible_test/_data/requirements/sanity.*.txt'):
        text = requirements.read_text()
        lines = [PYPI_INSTEAD_OF_GITHUB.get(line.split(' @ ', 1)[0].strip(), line) if ' @ https://github.com/' in line else line
                 for line in text.splitlines()]
        if '\n'.join(lines) + '\n' != text:
            requirements.write_text('\n'.join(lines) + '\n')


def tracked_files(under=None):
    """Every file git knows or would add (tracked, and untracked but not ignored), relative to ROOT, sorted."""
    command = ['git', '-C', str(ROOT), 'ls-files', '-z', '--cached', '--others', '--exclude-standard']
    if under:
        command += ['--', under]
    names = subprocess.run(command, capture_output=True, check=True).stdout.decode('utf-8').split('\0')
    # skip files deleted from the work tree but still in the index
    return sorted(set(name for name in names if name and (os.path.lexists(ROOT / name))))


def copy_files(names, destination):
    """Copy the files `names` (relative to ROOT) into `destination`, keeping their paths."""
    destination = pathlib.Path(destination)
    for name in names:
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        source = ROOT / name
        if source.is_symlink():
            target.symlink_to(os.readlink(source))
        else:
            shutil.copy2(source, target)


def snapshot(destination):
    """`destination`: a copy of the work tree as the checks test it (what tracked_files() lists)."""
    shutil.rmtree(destination, ignore_errors=True)
    copy_files(tracked_files(), destination)


def ensure_emulator_package(venv, log=print):
    """Install emulator/ into `venv` when its files changed since the last install."""
    venv = pathlib.Path(venv)
    names = [name for name in tracked_files('emulator') if (ROOT / name).is_file()]
    digest = hashlib.sha256()
    for name in names:
        digest.update(name.encode() + b'\0' + (ROOT / name).read_bytes())
    stamp = venv / '.emulator-package.stamp'
    with locked(BUILD / 'locks' / 'emulator-package.lock'):
        if stamp.exists() and stamp.read_text() == digest.hexdigest() and (venv / 'bin' / 'amove-click-emulator').exists():
            return
        log('--- installing the emulator package (emulator/) into %s' % venv.name)
        # from a copy of exactly those files: nothing stale from an earlier build reaches the package
        with tempfile.TemporaryDirectory() as copy:
            copy_files(names, copy)
            done = subprocess.run([str(venv / 'bin' / 'python'), '-m', 'pip', 'install', '--disable-pip-version-check',
                                   '--no-input', '--no-deps', '--force-reinstall', os.path.join(copy, 'emulator')],
                                  capture_output=True, text=True, check=False)
        if done.returncode:
            raise SetupError('installing emulator/ failed:\n%s' % (done.stdout + done.stderr)[-4000:])
        stamp.write_text(digest.hexdigest())


def ensure_windows_collection(venv, log=print):
    """build/ansible.windows/ansible_collections/ansible/windows, extracted from the `ansible` wheel.

    Only that collection is extracted, so it works with whichever ansible-core runs the tests.
    """
    with locked(BUILD / 'locks' / 'ansible.windows.lock'):
        if (WINDOWS_COLLECTION / 'ansible_collections' / 'ansible' / 'windows' / 'MANIFEST.json').exists():
            return WINDOWS_COLLECTION
        log('--- extracting ansible.windows from %s' % ANSIBLE_PACKAGE)
        shutil.rmtree(WINDOWS_COLLECTION, ignore_errors=True)
        wheels = WINDOWS_COLLECTION / 'wheel'
        wheels.mkdir(parents=True)
        done = subprocess.run([str(pathlib.Path(venv) / 'bin' / 'python'), '-m', 'pip', 'download', '--disable-pip-version-check',
                               '--no-input', '--no-deps', '--only-binary=:all:', '-d', str(wheels), ANSIBLE_PACKAGE],
                              capture_output=True, text=True, check=False)
        if done.returncode:
            raise SetupError('could not download %s:\n%s' % (ANSIBLE_PACKAGE, (done.stdout + done.stderr)[-2000:]))
        with zipfile.ZipFile(next(wheels.glob('ansible-*.whl'))) as wheel:
            wheel.extractall(WINDOWS_COLLECTION, [name for name in wheel.namelist()
                                                  if name.startswith('ansible_collections/ansible/windows/')])
        shutil.rmtree(wheels)
    return WINDOWS_COLLECTION


def ensure_ansible_test_home(venv):
    """What every ansible-test run of this user shares: the get-pip stand-in for this venv's ansible-test, and the SSH key."""
    done = subprocess.run([str(pathlib.Path(venv) / 'bin' / 'python'), str(ROOT / 'tools' / 'dev' / 'get_pip_standin.py'),
                           'install'], capture_output=True, text=True, check=False)
    if done.returncode:
        raise SetupError('could not install the get-pip stand-in:\n%s' % (done.stdout + done.stderr))
    key = ANSIBLE_TEST_HOME / 'id_rsa'
    with locked(ANSIBLE_TEST_HOME / 'amove-click-setup.lock'):
        if key.exists() and key.with_suffix('.pub').exists():
            return
        for stale in (key, key.with_suffix('.pub')):
            stale.unlink(missing_ok=True)
        # the same command, and the same header fix, as ansible-test's own SshKey
        subprocess.run(['ssh-keygen', '-m', 'PEM', '-q', '-t', 'rsa', '-N', '', '-f', str(key)], check=True)
        key.write_text(key.read_text().replace('BEGIN PRIVATE KEY', 'BEGIN RSA PRIVATE KEY')
                       .replace('END PRIVATE KEY', 'END RSA PRIVATE KEY'))


def main():
    try:
        venv = ensure_venv(ROOT / '.venv', ROOT / 'requirements-dev.txt', '3.11')
        ensure_emulator_package(venv)
    except SetupError as error:
        sys.exit('ERROR: %s' % error)


if __name__ == '__main__':
    main()
