"""Offline stand-in for the ``get-pip.py`` bootstrap script used by ansible-test.

ansible-test bootstraps pip into every virtual environment it creates (``--venv``
and the sanity test environments) by running a cached copy of ``get-pip.py``
(``~/.ansible/test/cache/get_pip_<version>.py``) and downloads that script from
the internet when the cache is empty.  Where the internet cannot be reached,
this file is copied to that cache path instead (see ``install`` below).

It is called exactly like the real script::

    python get_pip_24_2.py --disable-pip-version-check pip==24.2 --no-setuptools --no-wheel

and does what the real script does: it runs the pip wheel bundled with the
interpreter's ``ensurepip`` from the wheel file itself and lets it install the
requested packages (the pinned pip, from the configured package index).
If no bundled wheel can be found, it falls back to ``python -m ensurepip``
followed by ``python -m pip install``.

Used as a command of its own::

    python get_pip_standin.py install [PIP_VERSION ...]

it copies itself into ansible-test's cache for the given pip versions, or for
the version the installed ansible-test asks for when none are given.
"""

from __future__ import annotations

import glob
import os
import re
import subprocess
import sys

CACHE_DIR = os.path.expanduser(os.path.join('~', '.ansible', 'test', 'cache'))
MARKER = 'Offline stand-in for the ``get-pip.py`` bootstrap script'


def cache_path(pip_version: str) -> str:
    """Return the path where ansible-test looks for the bootstrap script of a pip version."""
    return os.path.join(CACHE_DIR, 'get_pip_%s.py' % pip_version.replace('.', '_'))


def wanted_pip_versions() -> list[str]:
    """Return the pip versions the installed ansible-test bootstraps into its virtual environments."""
    try:
        from ansible_test._internal.python_requirements import get_venv_packages  # pylint: disable=import-outside-toplevel

        class _Python:  # only ``version`` is read
            version = '%d.%d' % sys.version_info[:2]

        return [get_venv_packages(_Python())['pip']]  # type: ignore[arg-type]
    except Exception:  # pylint: disable=broad-exception-caught
        pass

    # The internal function above is not an API: fall back to reading the pins.
    import ansible_test  # pylint: disable=import-outside-toplevel

    source_path = os.path.join(os.path.dirname(ansible_test.__file__), '_internal', 'python_requirements.py')
    with open(source_path, encoding='utf-8') as source:
        versions = sorted(set(re.findall(r"""\bpip=['"]([0-9.]+)['"]""", source.read())))

    if not versions:
        raise SystemExit('cannot tell which pip version ansible-test bootstraps; name it: install PIP_VERSION')

    return versions


def install(versions: list[str]) -> int:
    """Copy this script to ansible-test's cache for each pip version."""
    if not versions:
        versions = wanted_pip_versions()

    os.makedirs(CACHE_DIR, exist_ok=True)

    with open(os.path.abspath(__file__), 'rb') as src:
        content = src.read()

    for version in versions:
        target = cache_path(version)

        if os.path.exists(target):
            with open(target, 'rb') as existing:
                current = existing.read()

            if current == content:
                print('get-pip stand-in for pip %s: already in place (%s)' % (version, target))
                continue

            if MARKER.encode() not in current:
                # A real get-pip.py fetched earlier: keep it, it works too.
                print('get-pip script for pip %s: real script present, kept (%s)' % (version, target))
                continue

        tmp = target + '.tmp'
        with open(tmp, 'wb') as dst:
            dst.write(content)
        os.replace(tmp, target)
        print('get-pip stand-in for pip %s: installed (%s)' % (version, target))

    return 0


def bundled_pip_wheel() -> str | None:
    """Return the path of the pip wheel bundled with ensurepip, if there is one."""
    try:
        import ensurepip  # pylint: disable=import-outside-toplevel
    except ImportError:
        return None

    dirs = [os.path.join(os.path.dirname(ensurepip.__file__), '_bundled')]
    wheel_pkg_dir = getattr(ensurepip, '_WHEEL_PKG_DIR', None)  # distributions that unbundle the wheels

    if wheel_pkg_dir:
        dirs.append(wheel_pkg_dir)

    for directory in dirs:
        wheels = sorted(glob.glob(os.path.join(directory, 'pip-*.whl')))

        if wheels:
            return wheels[-1]

    return None


def bootstrap(args: list[str]) -> int:
    """Install pip (and whatever else is requested) like get-pip.py does."""
    packages_and_options = [arg for arg in args if arg not in ('--no-setuptools', '--no-wheel')]

    # The real script adds setuptools and wheel unless told not to (and they are missing).
    for flag, package in (('--no-setuptools', 'setuptools'), ('--no-wheel', 'wheel')):
        if flag not in args:
            try:
                __import__(package)
            except ImportError:
                packages_and_options.append(package)

    pip_args = ['install', '--upgrade', '--force-reinstall'] + packages_and_options
    wheel = bundled_pip_wheel()

    if wheel:
        # pip runs from its own wheel file, as get-pip.py runs it from an embedded zip.
        sys.path.insert(0, wheel)
        from pip._internal.cli.main import main as pip_main  # pylint: disable=import-outside-toplevel,import-error

        return pip_main(pip_args)

    subprocess.check_call([sys.executable, '-m', 'ensurepip', '--default-pip'])
    return subprocess.call([sys.executable, '-m', 'pip'] + pip_args)


def main() -> int:
    """Entry point."""
    if sys.argv[1:2] == ['install']:
        return install(sys.argv[2:])

    return bootstrap(sys.argv[1:])


if __name__ == '__main__':
    sys.exit(main())
