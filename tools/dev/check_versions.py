"""Check that what the collection claims to support is what is tested.

Usage (run in the collection root; the versions session of noxfile.py passes what it tests):

    check_versions.py --core 2.19 3.11 requirements-dev.txt --core 2.21 3.12 REQS ...
                      --integration 2.19 --integration 2.21

Each --core is an ansible-core version that sanity and unit tests run on, the
controller Python they run with, and the requirements file that pins it;
--integration names the versions integration tests run on. Then:

- each requirements file pins ansible-core at that version;
- meta/runtime.yml's requires_ansible starts at the oldest tested version;
- the execution environments (docs/awx/execution-environment.yml and its
  variant execution-environment-tarball.yml) install
  ansible-core from the oldest tested version up to, not including, the minor
  release after the newest;
- the README's "Tested with" table has one row per tested version, with its
  Python, saying "integration" exactly for the versions integration runs on.
"""

from __future__ import annotations

import argparse
import re
import sys

import yaml

README = 'README.md'
RUNTIME = 'meta/runtime.yml'
# the execution environment, and its variant built from the collection tarballs
EES = ('docs/awx/execution-environment.yml', 'docs/awx/execution-environment-tarball.yml')


def minor(version: str) -> tuple[int, int]:
    """(major, minor) of a version such as 2.19 or 2.19.14."""
    parts = version.split('.')
    return int(parts[0]), int(parts[1])


def tested_with_rows(readme: str) -> dict[str, str]:
    """The rows of the table in the README's "Tested with" section, by ansible-core version."""
    match = re.search(r'^## Tested with\n(.*?)(?=^## )', readme, re.M | re.S)
    if not match:
        return {}
    rows = {}
    for line in match.group(1).splitlines():
        row = re.match(r'\|\s*(?:ansible-core\s*)?`?(\d+\.\d+)`?[^|]*\|(.*)$', line)
        if row:
            rows[row.group(1)] = row.group(2)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--core', nargs=3, action='append', required=True, metavar=('VERSION', 'PYTHON', 'REQUIREMENTS'))
    parser.add_argument('--integration', action='append', default=[], metavar='VERSION')
    args = parser.parse_args()

    errors = []
    cores = sorted(args.core, key=lambda core: minor(core[0]))
    versions = [core[0] for core in cores]
    floor, newest = versions[0], versions[-1]
    following = '%d.%d' % (minor(newest)[0], minor(newest)[1] + 1)

    for version, _python, requirements in cores:
        with open(requirements, encoding='utf-8') as handle:
            pins = re.findall(r'^ansible-core==(\S+)', handle.read(), re.M)
        if len(pins) != 1 or minor(pins[0]) != minor(version):
            errors.append('%s must pin ansible-core==%s.N once, found %s' % (requirements, version, pins or 'no pin'))

    with open(RUNTIME, encoding='utf-8') as handle:
        requires = str(yaml.safe_load(handle).get('requires_ansible', ''))
    if not re.fullmatch(r'>=\s*%s\.0(,\s*<\s*[\d.]+)?' % re.escape(floor), requires):
        errors.append("%s: requires_ansible is %r; the oldest tested ansible-core is %s, so it must be '>=%s.0'"
                      % (RUNTIME, requires, floor, floor))

    wanted = 'ansible-core>=%s,<%s' % (floor, following)
    for path in EES:
        with open(path, encoding='utf-8') as handle:
            ee = yaml.safe_load(handle)
        pin = str(((ee.get('dependencies') or {}).get('ansible_core') or {}).get('package_pip', ''))
        if pin.replace(' ', '') != wanted:
            errors.append('%s: ansible_core is %r; what is tested is %r' % (path, pin, wanted))

    with open(README, encoding='utf-8') as handle:
        rows = tested_with_rows(handle.read())
    if not rows:
        errors.append('%s: no table of ansible-core versions under "## Tested with"' % README)
    elif sorted(rows, key=minor) != versions:
        errors.append('%s: "Tested with" lists ansible-core %s; tested are %s'
                      % (README, ', '.join(sorted(rows, key=minor)), ', '.join(versions)))
    else:
        for version, python, _requirements in cores:
            cells = rows[version]
            if not re.search(r'\b%s\b' % re.escape(python), cells):
                errors.append('%s: "Tested with" row of %s does not name Python %s' % (README, version, python))
            if ('integration' in cells) != (version in args.integration):
                errors.append('%s: "Tested with" row of %s must say "integration" %s'
                              % (README, version, 'as it runs there' if version in args.integration else 'only where it runs'))

    for error in errors:
        print('ERROR: %s' % error)
    if errors:
        return 1
    print('ansible-core %s to %s: requires_ansible %r, execution environment %r and the README agree'
          % (floor, newest, requires, pin))
    return 0


if __name__ == '__main__':
    sys.exit(main())
