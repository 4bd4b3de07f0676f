"""Check that a built collection tarball holds what it should and nothing dev-only.

Usage: check_tarball.py amove-click-X.Y.Z.tar.gz [KNOWN_FILES]

ansible-galaxy does not read .gitignore, only galaxy.yml's build_ignore; this
lists the tarball and fails when a development leftover slipped in or a file
the collection needs is missing. KNOWN_FILES, a file with one path a line
(the files of the collection as git lists them), makes every file in the
tarball that is not one of them an error too: something a tool generated.
"""

from __future__ import annotations

import fnmatch
import sys
import tarfile

# Paths (relative to the collection root) that must never be shipped.
FORBIDDEN_PREFIXES = (
    '.ci/',
    '.git/',
    '.venv/',
    '.venv-',
    '.cache/',
    '.pytest_cache/',
    'build/',
    'emulator/',  # the emulator package is published on its own, never inside the collection
    'tests/output/',
    'tools/dev/',
)
FORBIDDEN_NAMES = (  # at the root
    '.git',
    '.gitignore',
    'Makefile',
    'noxfile.py',
    'requirements-dev.txt',
    'importer_result.json',
)
FORBIDDEN_PATTERNS = (
    '*.tar.gz',
    '*.pyc',
    '*.pyo',
    '*/__pycache__',
    '*/__pycache__/*',
    '__pycache__/*',
    '*.retry',
)
# Files ansible-galaxy collection build writes itself.
GENERATED_BY_BUILD = ('MANIFEST.json', 'FILES.json')
# Files a collection artifact must contain.
REQUIRED = (
    'MANIFEST.json',
    'FILES.json',
    'meta/runtime.yml',
)


def main() -> int:
    """Entry point."""
    if len(sys.argv) not in (2, 3):
        print(__doc__.strip(), file=sys.stderr)
        return 2

    known = None
    if len(sys.argv) == 3:
        with open(sys.argv[2], encoding='utf-8') as known_file:
            known = {line.rstrip('\n') for line in known_file if line.strip()}

    with tarfile.open(sys.argv[1]) as archive:
        members = archive.getmembers()

    def clean(name: str) -> str:
        return name[2:] if name.startswith('./') else name

    names = sorted(clean(member.name) for member in members)
    files = sorted(clean(member.name) for member in members if not member.isdir())

    bad = []
    for name in names:
        stripped = name.rstrip('/')
        if (any(stripped.startswith(prefix) or stripped + '/' == prefix for prefix in FORBIDDEN_PREFIXES)
                or stripped in FORBIDDEN_NAMES
                or any(fnmatch.fnmatch(stripped, pattern) for pattern in FORBIDDEN_PATTERNS)):
            bad.append(name)

    missing = [name for name in REQUIRED if name not in names]
    generated = []
    if known is not None:
        generated = [name for name in files if name not in known and name not in GENERATED_BY_BUILD and name not in bad]

    print('%s: %d entries' % (sys.argv[1], len(names)))
    for name in bad:
        print('ERROR: dev-only file in the tarball: %s (add it to build_ignore in galaxy.yml)' % name)
    for name in generated:
        print('ERROR: in the tarball but not a file of the repository (left by a tool?): %s' % name)
    for name in missing:
        print('ERROR: missing from the tarball: %s' % name)

    if bad or missing or generated:
        return 1

    print('tarball content OK')
    return 0


if __name__ == '__main__':
    sys.exit(main())
