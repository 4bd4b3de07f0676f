"""Lint the YAML snippets of Markdown files as the playbooks, tasks or variables they show.

Usage: lint_snippets.py --work DIR FILE.md...

Every fenced block marked ``yaml`` (or ``yml``) is written to DIR, as a
playbook when it is a list of plays, as a task file when it is a list of
tasks, as a requirements file when it is a mapping of collections or roles,
or as a variables file when it is another mapping, and DIR is linted with
``ansible-lint --profile production``: plays and tasks must be named, modules
written by FQCN, and so on, as in the collection itself. The collections the
snippets use must be on ANSIBLE_COLLECTIONS_PATH. Findings name the Markdown
file and line the snippet starts on.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys

import yaml

FENCE = re.compile(r'^```(ya?ml)\s*\n(.*?)^```\s*$', re.M | re.S)
LINT_CONFIG = """---
profile: production
offline: true
"""


def snippets(path: str):
    """Yield (line, text) for each YAML block of a Markdown file."""
    with open(path, encoding='utf-8') as handle:
        text = handle.read()
    for match in FENCE.finditer(text):
        yield text.count('\n', 0, match.start()) + 2, match.group(2)


def kind(data) -> str | None:
    """What a snippet is: 'playbooks', 'tasks', 'requirements' or 'vars' (the folder ansible-lint knows it by)."""
    if isinstance(data, dict):
        return 'requirements' if set(data) <= {'collections', 'roles'} else 'vars'
    if isinstance(data, list) and data and all(isinstance(item, dict) for item in data):
        if all('hosts' in item or 'ansible.builtin.import_playbook' in item or 'import_playbook' in item
               for item in data):
            return 'playbooks'
        return 'tasks'
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--work', required=True, help='folder to write the snippets to (emptied first)')
    parser.add_argument('files', nargs='+')
    args = parser.parse_args()

    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    sources = {}
    errors = []
    for path in args.files:
        for line, text in snippets(path):
            where = '%s:%d' % (path, line)
            try:
                data = yaml.safe_load(text)
            except yaml.YAMLError as error:
                errors.append('%s: not valid YAML: %s' % (where, error))
                continue
            folder = kind(data)
            if folder is None:
                errors.append('%s: neither plays, tasks nor variables' % where)
                continue
            stem = '%s_%d' % (re.sub(r'[^A-Za-z0-9]+', '_', path).strip('_').lower(), line)
            # ansible-lint knows a file's kind by its path
            name = '%s/%s/requirements.yml' % (folder, stem) if folder == 'requirements' else '%s/%s.yml' % (folder, stem)
            os.makedirs(os.path.dirname(os.path.join(args.work, name)), exist_ok=True)
            with open(os.path.join(args.work, name), 'w', encoding='utf-8') as handle:
                handle.write(text if text.startswith('---\n') else '---\n' + text)
            sources[name] = where

    for error in errors:
        print('ERROR: %s' % error)
    if not sources:
        print('ERROR: no YAML snippets found in %s' % ', '.join(args.files))
        return 1

    with open(os.path.join(args.work, '.ansible-lint'), 'w', encoding='utf-8') as handle:
        handle.write(LINT_CONFIG)
    # A repository of its own: ansible-lint asks git which files to lint, and
    # would otherwise ask an enclosing repository that ignores this folder.
    git = ['git', '-C', args.work, '-c', 'user.name=checks', '-c', 'user.email=checks@localhost', '-c', 'commit.gpgsign=false']
    subprocess.run(git[:3] + ['init', '-q'], check=True)
    subprocess.run(git + ['add', '-A'], check=True)
    subprocess.run(git + ['commit', '-q', '--no-verify', '-m', 'snippets'], check=True)

    print('%d snippets: %s' % (len(sources), ', '.join('%s <- %s' % item for item in sorted(sources.items()))))
    lint = subprocess.run(['ansible-lint', '--profile', 'production', '--offline', '--nocolor'], cwd=args.work, check=False)
    return 1 if errors or lint.returncode else 0


if __name__ == '__main__':
    sys.exit(main())
