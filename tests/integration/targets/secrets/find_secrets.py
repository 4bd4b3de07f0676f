"""Fail when a secret, raw or in a form it takes in a URL, appears in any of the files.

Usage: python find_secrets.py CASES_YML FILE...

The secrets are the values under `secrets:` in CASES_YML. Each finding names
the file, the line and which secret (never its value); exit status 1 if any.
"""

from __future__ import annotations

import sys
from urllib.parse import quote, quote_plus

import yaml


def forms(value):
    return {value, quote(value), quote(value, safe=''), quote_plus(value)}


def main(cases, *paths):
    with open(cases, encoding='utf-8') as handle:
        secrets = yaml.safe_load(handle)['secrets']
    wanted = dict((form, name) for name, value in secrets.items() for form in forms(str(value)))
    found = 0
    for path in paths:
        with open(path, encoding='utf-8', errors='replace') as handle:
            lines = handle.read().splitlines()
        for number, line in enumerate(lines, 1):
            for form, name in wanted.items():
                if form in line:
                    found += 1
                    print('%s:%d: the secret %r (%s)' % (path, number, name, 'raw' if form == str(secrets[name]) else 'URL-encoded'))
        print('searched %d lines of %s' % (len(lines), path))
    if found:
        print('FAILED: %d secrets shown' % found)
        return 1
    print('no secret in any of them')
    return 0


if __name__ == '__main__':
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
