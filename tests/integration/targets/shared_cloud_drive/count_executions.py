"""Check the remote executions of each task in an -vvv ansible-playbook output.

    python count_executions.py OUTPUT TRANSPORT

Tasks named "... [uri N]" must show N "Using module file" lines with
amove_click_transport=uri or win_uri, and 1 with =module (where the module itself refuses
bad input); every other task is ignored.
"""

from __future__ import annotations

import re
import sys


def main():
    output, transport = sys.argv[1], sys.argv[2]
    text = open(output).read()
    tasks = re.split(r'^TASK \[', text, flags=re.M)[1:]
    checked = 0
    for task in tasks:
        title = task.split(']', 1)[0]
        budget = re.search(r'\[uri (\d+)$', title)
        if not budget:
            continue
        wanted = int(budget.group(1)) if transport in ('uri', 'win_uri') else 1
        used = len(re.findall(r'^Using module file ', task, flags=re.M))
        print('%-70s %d (budget %d)' % (title, used, wanted))
        if used != wanted:
            sys.exit('FAILED: %r took %d remote executions, its budget is %d' % (title, used, wanted))
        checked += 1
    if checked < 15:
        sys.exit('FAILED: only %d counted tasks ran' % checked)


if __name__ == '__main__':
    main()
