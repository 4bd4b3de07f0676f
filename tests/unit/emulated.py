# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A module's task on each path, against the Click API emulator, in this process: the engine's cases that need no playbook.

The integration targets prove that a playbook reaches the engine on each path
(the module on the desktop, its work on the controller through uri or win_uri).
What the engine decides once there (lookups by name, duplicates, pages,
soft-deleted records, the agent's refusals) is the same code on every path,
and is proven here, where a task costs milliseconds instead of a remote
execution per request:

- `start_emulator()`: the package's emulator (emulator/src), started in this
  process, with its control endpoints (state, request log, faults, settings)
  and `take_requests()`, which reads the request log and forgets it (the
  `emulator` fixture of conftest.py, for one test);
- `Desktop(path, ...)`: its `run(module, **args)` runs a task as a playbook
  would and returns what `register:` would hold (the `desktop` fixture, one
  test per path):
  - module: the module's own main(), its requests through the standard library;
  - uri: the module's action plugin, each request through ansible.builtin.uri's
    own main();
  - win_uri: the action plugin, each request through the contract double of
    ansible.windows.win_uri (tests/integration/targets/setup_win_uri_double).

Each result is checked to hold no secret (the token, raw or as a URL has it).
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import io
import json
import shutil
import sys
import tempfile
import threading
import urllib.parse
from pathlib import Path
from unittest import mock
from unittest.mock import MagicMock

from ansible.module_utils import _internal as module_internal
from ansible.module_utils import urls
from ansible.module_utils.common import warnings as module_warnings
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.testing import patch_module_args

ROOT = Path(__file__).resolve().parents[2]
TARGETS = ROOT / 'tests' / 'integration' / 'targets'
# The emulator of this copy of the collection, run from its source (standard library only).
sys.path.insert(0, str(ROOT / 'emulator' / 'src'))
from amove_click_emulator.pytest_plugin import ClickEmulator  # noqa: E402  pylint: disable=wrong-import-position
from amove_click_emulator.seed import seed_preset  # noqa: E402  pylint: disable=wrong-import-position
from amove_click_emulator.server import start  # noqa: E402  pylint: disable=wrong-import-position

PATHS = ('module', 'uri', 'win_uri')
TOKEN = 'emu+lated/tok=en'
# The demo's seed, and the package's realistic account (four cloud accounts, groups with members, projects, 24 drives).
SEEDS = {'demo': ROOT / 'tools' / 'demo' / 'seed.json', 'agency': seed_preset('agency')}


def load(name, path):
    """A Python file that is not in a package (the win_uri double, the fault proxy), as a module."""
    spec = importlib.util.spec_from_file_location(name, str(path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


WIN_URI = load('win_uri_double', TARGETS / 'setup_win_uri_double' / 'library' / 'win_uri.py')
FAULT_PROXY = load('fault_proxy', TARGETS / 'setup_click_emulator' / 'files' / 'fault_proxy.py')


def start_proxy(upstream, tls=False):
    """The integration targets' fault proxy in front of `upstream`, serving in a thread of this process; stop_proxy() stops it."""
    server = FAULT_PROXY.ProxyServer(upstream, tls=tls)
    # A short poll: shutdown() waits for it, at the end of every test.
    threading.Thread(target=server.serve_forever, kwargs=dict(poll_interval=0.02), daemon=True).start()
    return server


def stop_proxy(server):
    server.proxy.clear()  # held requests land; none is left waiting
    server.shutdown()
    server.server_close()


class Emulator(ClickEmulator):
    """An emulator running in this process, as a test sees it."""

    def take_requests(self):
        """The API requests since the last take (method, path, query, status...), then forgets them."""
        made = self.requests()
        self.clear_requests()
        return made

    def cloud_account_id(self, name='Demo S3'):
        """The id of the seed's cloud account of that name."""
        return next(account['id'] for account in self.state()['cloud_accounts'] if account['name'] == name)

    def live(self, kind='shared_cloud_drives'):
        """The records of one kind the store holds, soft-deleted ones left out."""
        return [record for record in self.state()[kind] if not record.get('deleted')]


def start_emulator(seed=None, agents=1, **settings):
    """(the running emulator, an Emulator of it): the built-in seed, or one of SEEDS by name; `agents` desktops' agents."""
    running = start(ports=[0] * agents, seed_file=str(SEEDS[seed]) if seed else None, api_token=TOKEN, settings=settings or None)
    return running, Emulator(running.urls, TOKEN)


def writes(requests):
    """The requests of a request log that are not reads."""
    return [request for request in requests if request['method'] != 'GET']


def paths(requests):
    """The path of each request of a request log."""
    return [request['path'] for request in requests]


def module_desktop(emulator):
    """A desktop on the module path, for what a case sets up before the part of it that runs on each path."""
    return Desktop('module', emulator.url, TOKEN)


class Desktop:
    """Runs a task of an amove.click module on one path; `run` returns what `register:` holds."""

    def __init__(self, path, url, token):
        self.path = path
        self.connection = dict(url=url, token=token)
        self.secrets = (token, urllib.parse.quote(token, safe=''), urllib.parse.quote_plus(token))
        self.remote_executions = 0

    def run(self, module, check=False, diff=False, **args):
        """`module` (its short name) with `args`, the connection added unless given; the task's result."""
        args = dict(self.connection, **args)
        for name in [name for name, value in args.items() if value is None]:
            args.pop(name)  # None: the task leaves the option out
        runner = self._run_module if self.path == 'module' else self._run_action
        result = runner(module, args, check, diff)
        shown = json.dumps(result, default=str)
        for secret in self.secrets:
            assert secret not in shown, 'a secret in the result of %s: %s' % (module, shown)
        return result

    # ---- the module path: main() of the module, in this process

    def _run_module(self, module, args, check, diff):
        self.remote_executions += 1
        code = importlib.import_module('ansible_collections.amove.click.plugins.modules.%s' % module)
        return task_result(run_main(code.main, dict(args, _ansible_check_mode=check, _ansible_diff=diff)))

    # ---- the controller path: the action plugin, with each request run in this process

    def _run_action(self, module, args, check, diff):
        plugin = importlib.import_module('ansible_collections.amove.click.plugins.action.%s' % module).ActionModule
        task = MagicMock(check_mode=check, diff=diff, no_log=False, environment=[], async_val=0, args=args,
                         action='amove.click.%s' % module, collections=[])
        connection = MagicMock(socket_path=None)
        connection._shell._IS_WINDOWS = False
        connection._shell.tmpdir = None
        templar = MagicMock()
        templar.template.side_effect = lambda value: value
        action = plugin(task, connection, MagicMock(), MagicMock(), templar, MagicMock())
        # Finding uri or win_uri on the controller is the integration targets' to prove (ansible.windows
        # is not installed here); each execution of theirs runs below.
        action._shared_loader_obj = MagicMock()
        action.execute_remote = self._execute_remote
        return task_result(action.run(task_vars={'amove_click_transport': self.path}))

    def _execute_remote(self, module_name, module_args, task_vars):
        """One uri or win_uri execution on the desktop, with what the action plugin adds to its arguments."""
        self.remote_executions += 1
        if self.path == 'uri':
            assert module_name == 'ansible.builtin.uri'
            uri = importlib.import_module('ansible.modules.uri')
            # uri makes a TLS context for each request, plain http too (reading the system's CA store, 60 ms):
            # here, where every request goes to http://127.0.0.1, one per process does.
            with mock.patch.object(urls, 'make_context', made_once(urls.make_context)):
                return run_main(uri.main, dict(module_args, _ansible_no_log=True, _ansible_check_mode=False))
        assert module_name == 'ansible.windows.win_uri'
        validated = ArgumentSpecValidator(WIN_URI.ARGUMENT_SPEC).validate(module_args)
        assert not validated.errors.errors, validated.errors.msg
        result, failed = WIN_URI.run(validated.validated_parameters)
        return dict(result, failed=True) if failed else result


_CONTEXTS = {}


def made_once(make_context):
    """make_context, which makes one context for each set of arguments in this process."""
    def cached(*args, **kwargs):
        key = repr((args, sorted(kwargs.items())))
        if key not in _CONTEXTS:
            _CONTEXTS[key] = make_context(*args, **kwargs)
        return _CONTEXTS[key]
    return cached


def run_main(main, args):
    """A module's main() with `args`, as in a module's own process: the result it prints."""
    module_warnings._global_warnings.clear()  # warnings are kept for the process: only this run's may count
    output = io.StringIO()
    # The module's temporary directory, as Ansible gives one (_ansible_tmpdir), removed here: a module removes its own
    # at exit, which a test forked by ansible-test never reaches. fetch_url makes it the process's tempfile.tempdir.
    tmpdir = tempfile.mkdtemp(prefix='amove-click-module-')
    # Once controller code is imported here (the action plugins), ansible-core would show a module's warnings instead of
    # returning them: a module's process has none.
    try:
        with patch_module_args(dict(args, _ansible_tmpdir=tmpdir)), mock.patch.object(tempfile, 'tempdir', tempfile.tempdir), \
                mock.patch.object(module_internal, 'is_controller', False), contextlib.redirect_stdout(output):
            try:
                main()
            except SystemExit:
                pass
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    return json.loads(output.getvalue())


def task_result(result):
    """A result as `register:` holds it: changed and failed always there, warnings as text."""
    result = dict((key, value) for key, value in result.items() if key != 'invocation' and not key.startswith('_ansible_'))
    result['changed'] = bool(result.get('changed'))
    result['failed'] = bool(result.get('failed'))
    # Newer ansible-core returns each warning as {'event': {'msg': ...}, ...}: keep the message.
    result['warnings'] = [warning['event']['msg'] if isinstance(warning, dict) else warning
                          for warning in result.get('warnings') or []]
    return result
