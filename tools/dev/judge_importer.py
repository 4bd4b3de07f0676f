"""Judge the output of galaxy-importer, whose exit code says little.

Usage: judge_importer.py IMPORTER_OUTPUT_FILE IMPORTER_EXIT_CODE

galaxy-importer logs problems it finds (ansible-lint violations, ansible-doc
failures, a missing changelog, sanity ignore files, bad metadata) as WARNING
or ERROR lines and still exits 0. The import passes only when:

* the exit code is 0,
* no line starts with ERROR:, CRITICAL: or WARNING:, and no traceback shows,
* it reached both "Collection loading complete" and
  "Importer processing completed successfully".
"""

from __future__ import annotations

import re
import sys

BAD_LINE = re.compile(r'^(ERROR|CRITICAL|WARNING):|^Traceback \(most recent call last\):')
REQUIRED = (
    'Collection loading complete',
    'Importer processing completed successfully',
)


def main() -> int:
    """Entry point."""
    if len(sys.argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2

    with open(sys.argv[1], encoding='utf-8', errors='replace') as output:
        lines = output.read().splitlines()

    problems = []

    if sys.argv[2] != '0':
        problems.append('galaxy-importer exited with %s' % sys.argv[2])

    problems.extend('importer reported: %s' % line for line in lines if BAD_LINE.search(line))
    problems.extend('importer never said "%s"' % text for text in REQUIRED if not any(text in line for line in lines))

    for problem in problems:
        print('ERROR: %s' % problem)

    if problems:
        return 1

    print('galaxy-importer: no errors, no warnings')
    return 0


if __name__ == '__main__':
    sys.exit(main())
