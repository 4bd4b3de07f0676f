# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""amove_tests.emulator.control: an HTTP request from the controller, for the tests' own calls to the emulator and the fault proxy.

Takes the options of ansible.builtin.uri that the tests use (url, method, body,
body_format: json, headers, status_code) and returns what they read of its
result (status, json, content), without running a module on a host: the
tests' set-up and checks cost no remote execution, only what they test does.
(emulator.sh puts the collection amove_tests.emulator on ANSIBLE_COLLECTIONS_PATH.)
"""

from __future__ import annotations

import json
import ssl
import urllib.error
import urllib.request

from ansible.plugins.action import ActionBase


def opener_for(url):
    """urlopen's opener; for http, without the TLS context Python 3.12 and later fill with the system's CAs (20 ms a call)."""
    context = None if url.startswith('https:') else ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    return urllib.request.build_opener(urllib.request.HTTPSHandler(context=context))


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        args = self._task.args
        body = args.get('body')
        headers = dict(args.get('headers') or {})
        if body is not None and (args.get('body_format') == 'json' or not isinstance(body, str)):
            body = json.dumps(body)
            headers.setdefault('Content-Type', 'application/json')
        request = urllib.request.Request(args['url'], data=None if body is None else body.encode('utf-8'),
                                         method=args.get('method', 'GET'), headers=headers)
        try:
            with opener_for(args['url']).open(request, timeout=30) as answer:
                status, content = answer.status, answer.read()
        except urllib.error.HTTPError as error:
            status, content = error.code, error.read()
        except OSError as error:
            return dict(result, failed=True, msg='%s %s: %s' % (request.method, args['url'].split('?')[0], error))
        wanted = args.get('status_code', [200])
        wanted = [int(code) for code in (wanted if isinstance(wanted, list) else [wanted])]
        result.update(status=status, content=content.decode('utf-8', 'replace'), changed=False)
        try:
            result['json'] = json.loads(content) if content else None
        except ValueError:
            pass
        if status not in wanted:
            result.update(failed=True, msg='Status code was %s and not %s' % (status, wanted))
        return result
