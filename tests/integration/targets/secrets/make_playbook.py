"""Write the secrets test's playbook from cases.yml: each module, ended in each way, then checked.

Usage: python make_playbook.py CASES_YML COLLECTION_ROOT VARS_FILE PLAYBOOK [APART_PLAYBOOK]

One task per ending and module, with the module's arguments and the ending's
connection options, diff on, which fails unless it ended as it must (succeeded,
or failed saying what the ending provokes: its failed_when), so that a task
that never got that far fails the test. The play runs on every
host of the inventory: one per path (amove_click_transport). Fails when a module
of COLLECTION_ROOT/plugins/modules has no line in CASES_YML (nor is named among
the modules that never talk to an agent). With APART_PLAYBOOK, the endings marked
`apart` go there instead, for a run beside the other.
"""

from __future__ import annotations

import pathlib
import sys

import yaml


def main(cases_path, root, vars_file, playbook, apart_playbook=None):
    cases = yaml.safe_load(pathlib.Path(cases_path).read_text())
    modules = sorted(path.stem for path in pathlib.Path(root, 'plugins', 'modules').glob('*.py') if path.stem != '__init__')
    missing = sorted(set(modules) - set(cases['modules']) - set(cases.get('not_click_api', [])))
    if missing:
        sys.exit('modules without a line in %s: %s' % (cases_path, ', '.join(missing)))
    tasks, apart = [], []
    for ending, how in cases['endings'].items():
        for module, arguments in sorted(cases['modules'].items()):
            if module not in how.get('modules', [module]):
                continue
            expected = dict(how, **how.get('modules_without_credentials', {})) \
                if module in cases.get('without_credentials', []) else how
            title = '%s, %s' % (module, ending)
            into = apart if how.get('apart') and apart_playbook else tasks
            if expected.get('failed') is False:
                ended_otherwise = 'outcome is failed'
            else:
                ended_otherwise = "outcome is not failed or %r not in outcome.msg" % expected['msg']
            into.append({'name': title, 'amove.click.%s' % module: dict(arguments or {}, **how['connection']),
                         'diff': True, 'register': 'outcome', 'failed_when': ended_otherwise})
    for path, its_tasks in ((playbook, tasks), (apart_playbook, apart)):
        if path:
            play = {'name': 'Every module, on every path, ended in every way', 'hosts': 'all', 'gather_facts': False,
                    'vars_files': [str(pathlib.Path(cases_path).resolve()), vars_file], 'tasks': its_tasks}
            pathlib.Path(path).write_text(yaml.safe_dump([play], sort_keys=False, width=1000))
    print('%d modules, %d endings: %d tasks on each path' % (len(modules), len(cases['endings']), len(tasks) + len(apart)))


if __name__ == '__main__':
    if len(sys.argv) not in (5, 6):
        sys.exit(__doc__)
    main(*sys.argv[1:])
