"""Check that the version in galaxy.yml has its release notes.

Usage: check_release.py (in the collection root)

Passes when changelogs/changelog.yaml has a release of galaxy.yml's version
and CHANGELOG.rst shows it, or while that version is being prepared: newer
than every release in changelog.yaml, with a release_summary fragment waiting
in changelogs/fragments/ for `antsibull-changelog release`. Fails otherwise,
so that no tarball goes out with a version its changelog does not know.
"""

from __future__ import annotations

import glob
import sys

import yaml
from packaging.version import Version


def load(path: str):
    with open(path, encoding='utf-8') as handle:
        return yaml.safe_load(handle) or {}


def main() -> int:
    version = str(load('galaxy.yml')['version'])
    releases = [str(release) for release in (load('changelogs/changelog.yaml').get('releases') or {})]
    latest = max(releases, key=Version, default=None)

    if version in releases:
        try:
            with open('CHANGELOG.rst', encoding='utf-8') as handle:
                shown = ('\nv%s\n' % version) in handle.read()
        except FileNotFoundError:
            shown = False
        if not shown:
            print('ERROR: changelogs/changelog.yaml has release %s, but CHANGELOG.rst does not show it: '
                  'run antsibull-changelog generate and commit CHANGELOG.rst' % version)
            return 1
        print('galaxy.yml version %s: released, in changelogs/changelog.yaml and CHANGELOG.rst' % version)
        return 0

    if latest is not None and Version(latest) >= Version(version):
        print('ERROR: galaxy.yml says %s, older than the latest release in changelogs/changelog.yaml (%s)'
              % (version, latest))
        return 1

    summaries = [path for path in sorted(glob.glob('changelogs/fragments/*.y*ml'))
                 if 'release_summary' in load(path)]
    if not summaries:
        print('ERROR: galaxy.yml says %s, which changelogs/changelog.yaml has no release of, and no fragment '
              'has a release_summary for it: add one, then run antsibull-changelog release' % version)
        return 1
    print('galaxy.yml version %s: to be released (latest release: %s), release summary in %s'
          % (version, latest or 'none', ', '.join(summaries)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
