# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Write every task result, as the task returned it, to the JSON-lines file $RESULT_LOG.

What ansible-core shows is masked (from 2.22 on); the results themselves are
not: this is where a secret kept in a result would be seen.
"""

from __future__ import annotations

DOCUMENTATION = """
name: result_log
type: aggregate
short_description: every task result, unmasked, to the file named by RESULT_LOG
description:
  - Test support of the amove.click secrets integration test.
"""

import json
import os

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'result_log'
    CALLBACK_NEEDS_ENABLED = False

    def _write(self, kind, result):
        path = os.environ.get('RESULT_LOG')
        if not path:
            return
        entry = {'kind': kind, 'host': result.host.name, 'task': result.task.get_name(), 'result': dict(result.result)}
        with open(path, 'a', encoding='utf-8') as log:
            log.write(json.dumps(entry, default=str) + '\n')

    def v2_runner_on_ok(self, result):
        self._write('ok', result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._write('failed', result)

    def v2_runner_on_unreachable(self, result):
        self._write('unreachable', result)

    def v2_runner_on_skipped(self, result):
        self._write('skipped', result)
