"""The inventory of a fleet of emulated desktops, and how many remote executions each desktop ran.

Imported by the fleet targets' checks (with ../setup_click_emulator/files on sys.path):

    write(FILE, [(PORT, TRANSPORT), ...], lead=1)   desktop1..N, one per agent, desktopLEAD first (the
                                                    play's first host takes the account step); TRANSPORT
                                                    None leaves amove_click_transport to the play
    executions(FILE)                                {desktop: remote executions} since forget(FILE)
    forget(FILE)                                    empty that count

Each desktop's interpreter is a wrapper that notes the desktop's name in
FILE.executions, then runs Python: one line per remote execution, counted
exactly, whatever the forks interleave.
"""

from __future__ import annotations

import collections
import os
import sys


def write(path, desktops, lead=1):
    lines = []
    for number, (port, transport) in enumerate(desktops, 1):
        wrapper = '%s.python-desktop%d' % (path, number)
        with open(wrapper, 'w') as script:
            script.write('#!/bin/sh\necho desktop%d >>%s.executions\nexec %s "$@"\n' % (number, path, sys.executable))
        os.chmod(wrapper, 0o755)
        lines.append('desktop%d shared_cloud_drives_url=http://127.0.0.1:%s%s ansible_python_interpreter=%s'
                     % (number, port, ' amove_click_transport=%s' % transport if transport else '', wrapper))
    lines.insert(0, lines.pop(lead - 1))
    with open(path, 'w') as inventory:
        inventory.write('\n'.join(['[desktops]'] + lines + ['', '[desktops:vars]', 'ansible_connection=local']) + '\n')


def executions(path):
    with open(path + '.executions') as log:
        return collections.Counter(line.strip() for line in log if line.strip())


def forget(path):
    open(path + '.executions', 'w').close()
