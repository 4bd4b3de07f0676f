"""Write a playbook made of the EXAMPLES of every module of the collection, as written.

Usage: python run_examples.py COLLECTION_ROOT OUTPUT_PLAYBOOK

The play supplies only what examples leave to the reader: the variables they
name, and the agent's URL through AMOVE_CLICK_URL (the emulator listens on a
port of its own).
"""

from __future__ import annotations

import ast
import pathlib
import sys

import yaml

# The order in which the examples run: each reads or builds on what the one before made.
MODULES = ('shared_cloud_drive', 'shared_cloud_drive_info', 'user_group', 'user_group_info', 'shared_cloud_drive_set', 'agent')
# Examples that take the whole connection from the environment, as a user's shell or AWX sets it.
FROM_ENVIRONMENT = ('user_group', 'user_group_info')


def examples_of(path):
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and [t.id for t in node.targets if isinstance(t, ast.Name)] == ['EXAMPLES']:
            return yaml.safe_load(node.value.value)
    raise SystemExit('%s has no EXAMPLES' % path)


def main():
    root, output = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    tasks = []
    for name in MODULES:
        examples = examples_of(root / 'plugins' / 'modules' / (name + '.py'))
        if name in FROM_ENVIRONMENT:
            examples = [{'name': 'The examples of %s' % name, 'environment': {'AMOVE_CLICK_TOKEN': '{{ amove_click_token }}'},
                         'block': examples}]
        tasks.extend(examples)
    play = {
        'name': 'Every EXAMPLES block, as written',
        'hosts': 'testhost',
        'gather_facts': False,
        'environment': {'AMOVE_CLICK_URL': '{{ click_url }}'},
        'vars_files': ['{{ click_vars_file }}'],
        'tasks': tasks,
    }
    output.write_text(yaml.safe_dump([play], sort_keys=False))
    print('%d example tasks from %s' % (len(tasks), ', '.join(MODULES)))


if __name__ == '__main__':
    main()
