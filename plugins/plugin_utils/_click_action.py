# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The action plugin behind every amove.click module: where a module's work runs.

PRIVATE to the amove.click collection: its interface may change in any release.

The module path (the default on POSIX desktops) runs the module on the desktop,
exactly as without this plugin: one remote execution per task. The controller
path runs the module's own work (its ModuleDefinition in module_utils) here, and
sends each HTTP request through ansible.builtin.uri or ansible.windows.win_uri
executed on the desktop, which is how Windows desktops are served.

The token travels in the query string, so on the controller path it sits in the
`url` argument of uri/win_uri: those executions run with no_log, their raw
results never leave this file, and every failure becomes a scrubbed result.
"""

from __future__ import annotations

import math
import os
from urllib.parse import urlsplit

from ansible.errors import AnsibleConnectionFailure, AnsibleError
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.errors import UnsupportedError
from ansible.plugins.action import ActionBase
from ansible.utils.vars import merge_hash

from ansible_collections.amove.click.plugins.module_utils._errors import ClickApiError
from ansible_collections.amove.click.plugins.module_utils._options import first_set_variable, non_empty_env_fallback, url_password
from ansible_collections.amove.click.plugins.module_utils._runner import execute
from ansible_collections.amove.click.plugins.module_utils._transport import TransportError
from ansible_collections.amove.click.plugins.module_utils._secrets import mask_secrets, register_secrets

TRANSPORT_VARIABLE = 'amove_click_transport'
TRANSPORTS = ('auto', 'module', 'uri', 'win_uri')
REMOTE_MODULES = {'uri': 'ansible.builtin.uri', 'win_uri': 'ansible.windows.win_uri'}
INSTALL_WINDOWS = 'ansible-galaxy collection install ansible.windows'
# How uri's message begins when the body of an answer could not be read.
URI_BROKEN_BODY = 'HTTP Error while fetching '
# How win_uri's message begins when its request got no answer (the .NET exception's message follows).
WIN_URI_UNHANDLED = 'Unhandled exception occurred when sending web request. Exception: '

# uri and win_uri fail on a status outside this list; every status is the
# client's to judge.
EVERY_STATUS = list(range(100, 600))


def select_transport(value, windows):
    """The transport for a host: 'module', 'uri' or 'win_uri'.

    `value` is amove_click_transport (None when unset); `windows` says whether
    the host's shell is PowerShell. Raises ValueError with a message for the user.
    """
    value = 'auto' if value is None else value
    if value not in TRANSPORTS:
        raise ValueError('%s must be one of %s, got %r' % (TRANSPORT_VARIABLE, ', '.join(TRANSPORTS), value))
    if value == 'auto':
        return 'win_uri' if windows else 'module'
    if windows and value != 'win_uri':
        raise ValueError('%s=%s runs a Python module on the desktop, which a Windows host cannot run; '
                         'set it to auto or win_uri' % (TRANSPORT_VARIABLE, value))
    return value


# ---- uri and win_uri: their arguments, and their results as the client's seam wants them

def whole_seconds(timeout):
    """uri and win_uri take whole seconds; the client may ask for less (the end of a deadline)."""
    return max(1, int(math.ceil(timeout)))


def uri_arguments(method, url, headers, body, timeout, validate_certs):
    arguments = dict(url=url, method=method, headers=dict(headers), timeout=whole_seconds(timeout), validate_certs=validate_certs,
                     status_code=EVERY_STATUS, return_content=True, follow_redirects='none', use_proxy=False)
    if body is not None:
        arguments.update(body=body.decode('utf-8'), body_format='raw')
    return arguments


def win_uri_arguments(method, url, headers, body, timeout, validate_certs):
    headers = dict(headers)
    arguments = dict(url=url, method=method, headers=headers, url_timeout=whole_seconds(timeout), validate_certs=validate_certs,
                     status_code=EVERY_STATUS, return_content=True, follow_redirects='none', use_proxy=False)
    content_type = headers.pop('Content-Type', None)
    if content_type:
        arguments['content_type'] = content_type
    if body is not None:
        arguments['body'] = body.decode('utf-8')
    return arguments


def failure_kind(message, https=False):
    """A TransportError kind from the words of uri (Python) or win_uri (.NET Framework) for a request without answer.

    `https` says whether the URL was https: .NET's "unexpected error occurred on a send" is then the TLS
    handshake meeting no TLS (typically an agent that answers plain HTTP), and otherwise a broken connection.
    """
    text = str(message or '').lower()
    if 'refused' in text or 'unable to connect' in text:
        return 'refused'
    if 'name or service not known' in text or 'nodename nor servname' in text or 'no such host' in text \
            or 'could not be resolved' in text:
        return 'name'
    if 'timed out' in text or 'timeout' in text or 'did not properly respond after a period of time' in text:
        return 'timeout'
    if 'certificate' in text or 'trust relationship' in text:
        return 'certificate'
    if 'ssl' in text or 'tls' in text or (https and 'unexpected error occurred on a send' in text):
        return 'tls'
    if 'reset' in text or 'closed' in text or 'broken pipe' in text or 'connection failure' in text \
            or 'protocol violation' in text:
        return 'reset'
    return 'other'


class RemoteModuleError(ClickApiError):
    """uri or win_uri did not run on the desktop (no Python, a crash): not worth another try."""


def _answer(status, headers, content):
    headers = dict((name, value) for name, value in headers.items() if value is not None)
    return int(status), headers, (content or '').encode('utf-8')


def from_uri(result, https=False):
    """(status, headers, body) from an ansible.builtin.uri result.

    uri puts the response headers among its own keys, lower-cased with dashes
    made underscores (error-code: error_code), and answers status -1 when no
    HTTP answer came; when the body broke off, it fails without a status.
    """
    status = result.get('status')
    if isinstance(status, int) and status >= 100:
        return _answer(status, {'error-code': result.get('error_code'), 'content-type': result.get('content_type')},
                       result.get('content'))
    if status == -1:
        raise TransportError(failure_kind(result.get('msg'), https))
    if str(result.get('msg', '')).startswith(URI_BROKEN_BODY):
        # The body broke off after the status line: no answer, as http.client's errors are on the module path.
        raise TransportError('reset')
    raise RemoteModuleError('ansible.builtin.uri did not run on the desktop: %s' % _module_failure(result))


def from_win_uri(result, https=False):
    """(status, headers, body) from an ansible.windows.win_uri result.

    win_uri says the status in status_code, and puts the response headers among
    its own keys with dashes removed, then in snake case (error-code: errorcode,
    Error-Code: error_code, Content-Type: content_type). When no HTTP answer
    came it fails with the .NET exception's message and no status_code. When
    the body broke off after the status line, it fails with that message too,
    with status_code set and no content: no answer either, as a reset is.
    """
    status = result.get('status_code')
    if result.get('failed') and str(result.get('msg', '')).startswith(WIN_URI_UNHANDLED) \
            and (status is None or 'content' not in result):
        raise TransportError(failure_kind(result['msg'][len(WIN_URI_UNHANDLED):], https))
    if not result.get('failed') or status is not None:
        try:
            status = int(status)
        except (TypeError, ValueError):
            raise RemoteModuleError('ansible.windows.win_uri answered without a status code') from None
        code = result.get('errorcode') or result.get('error_code')
        return _answer(status, {'error-code': code, 'content-type': result.get('content_type')}, result.get('content'))
    raise RemoteModuleError('ansible.windows.win_uri did not run on the desktop: %s' % _module_failure(result))


def _module_failure(result):
    # MODULE FAILURE results carry the interpreter's output; the message alone says enough.
    return str(result.get('msg') or 'no message').splitlines()[0]


# ---- the controller path's transport

class DesktopTransport:
    """The client's transport on the controller path: each request is one uri/win_uri execution on the desktop."""

    def __init__(self, action, kind, task_vars, check_mode):
        self.module = REMOTE_MODULES[kind]
        self.arguments = win_uri_arguments if kind == 'win_uri' else uri_arguments
        self.adapt = from_win_uri if kind == 'win_uri' else from_uri
        self._action = action
        self._task_vars = task_vars
        self._check_mode = check_mode
        self.facts = {}
        self.unreachable = None

    def __call__(self, method, url, headers, body, timeout, validate_certs):
        path = urlsplit(url).path
        if self._check_mode and method != 'GET' and not path.startswith('/authentication/'):
            # The drive logic never writes in check mode; this guards that promise.
            raise ClickApiError('%s %s: no write is sent in check mode' % (method, path))
        if self.unreachable:
            raise ClickApiError(self.unreachable)
        arguments = self.arguments(method, url, headers, body, timeout, validate_certs)
        try:
            result = self._action.execute_remote(self.module, arguments, self._task_vars)
        except AnsibleConnectionFailure as error:
            self.unreachable = '%s %s: the desktop is unreachable for %s: %s' % (method, path, self.module, error)
            raise ClickApiError(self.unreachable) from None
        except AnsibleError as error:
            raise RemoteModuleError('%s %s: %s could not run on the desktop: %s' % (method, path, self.module, error)) from None
        # Interpreter discovery ran for the first execution; keep its facts so it does not run for every task.
        self.facts.update((key, value) for key, value in (result.get('ansible_facts') or {}).items()
                          if key.startswith('discovered_interpreter_'))
        if result.get('unreachable'):
            self.unreachable = '%s %s: the desktop is unreachable for %s: %s' % (
                method, path, self.module, _module_failure(result))
            raise ClickApiError(self.unreachable)
        try:
            return self.adapt(result, https=url.startswith('https:'))
        except RemoteModuleError as error:
            raise RemoteModuleError('%s %s: %s' % (method, path, error)) from None


def _fallbacks_from(argument_spec, environment):
    """The spec with its environment variable fallbacks read from `environment`."""
    def from_environment(*names, **_kwargs):
        return first_set_variable(names, environment)

    spec = {}
    for name, option in argument_spec.items():
        fallback = option.get('fallback')
        if fallback and fallback[0] is non_empty_env_fallback:
            option = dict(option, fallback=(from_environment,) + tuple(fallback[1:]))
        spec[name] = option
    return spec


class ClickAction(ActionBase):
    """Base of the action plugins: each sets `definition` to its module's ModuleDefinition."""

    definition = None
    _supports_check_mode = True
    _supports_async = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._remote_request = False
        self._secrets = set()

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars if task_vars is not None else {}
        result = super().run(tmp, task_vars)
        del tmp
        windows = bool(getattr(self._connection._shell, '_IS_WINDOWS', False))
        try:
            kind = select_transport(self._templar.template(task_vars.get(TRANSPORT_VARIABLE)), windows)
        except ValueError as error:
            return dict(result, failed=True, msg=str(error))
        if kind == 'module':
            return self._run_module(result, task_vars)
        try:
            outcome = self._run_here(kind, task_vars)
        except Exception as error:  # pylint: disable=broad-exception-caught
            # Nothing may leave: ansible-core would print the task's arguments, and the URLs of its requests.
            outcome = dict(failed=True, msg='%s on the controller failed: %s: %s'
                           % (self._task.action, type(error).__name__, error))
        finally:
            self._remove_tmp_path(self._connection._shell.tmpdir)
        return mask_secrets(merge_hash(result, outcome), register_secrets(self._secrets))

    def _run_module(self, result, task_vars):
        """The module path: run the module on the desktop, as ansible-core's normal action does."""
        wrap_async = self._task.async_val and not self._connection.has_native_async
        result = merge_hash(result, self._execute_module(task_vars=task_vars, wrap_async=wrap_async))
        if not wrap_async:
            self._remove_tmp_path(self._connection._shell.tmpdir)
        return result

    def _run_here(self, kind, task_vars):
        """The controller path: the module's work here, each request through uri/win_uri on the desktop."""
        module = REMOTE_MODULES[kind]
        found = self._shared_loader_obj.module_loader.find_plugin_with_context(module, collection_list=self._task.collections)
        if not found.resolved:
            return dict(failed=True, msg='Windows desktops (%s=win_uri) need the collection ansible.windows on the '
                        'controller: %s' % (TRANSPORT_VARIABLE, INSTALL_WINDOWS) if kind == 'win_uri'
                        else 'the module %s is not found on the controller' % module)
        if self._task.async_val:
            return dict(failed=True, msg='async is not supported with %s=%s; use the module path (amove_click_transport=module) '
                        'or run the task without async' % (TRANSPORT_VARIABLE, kind))
        params, error = self._validated_arguments()
        if error:
            return dict(failed=True, msg=error)
        transport = DesktopTransport(self, kind, task_vars, self._task.check_mode)
        outcome, warnings = execute(self.definition, params, bool(self._task.check_mode), bool(self._task.diff), transport,
                                    raw_args=self._task.args)
        if warnings:
            outcome['warnings'] = warnings
        if transport.unreachable:
            outcome = dict(unreachable=True, msg=transport.unreachable)
        if transport.facts:
            outcome['ansible_facts'] = transport.facts
        return outcome

    def _validated_arguments(self):
        """The task's arguments checked with the module's own spec, worded as the module would; (params, error)."""
        spec = _fallbacks_from(self.definition.argument_spec, self._environment())
        validator = ArgumentSpecValidator(spec, mutually_exclusive=self.definition.mutually_exclusive,
                                          required_one_of=self.definition.required_one_of)
        outcome = validator.validate(self._task.args)
        self._secrets.update(outcome._no_log_values)
        # A password written into url (refused before any request) is a secret too.
        password = url_password(outcome.validated_parameters.get('url'))
        if password:
            self._secrets.add(password)
        # Before any request: ansible-core 2.22 masks them from then on in all it shows.
        register_secrets(self._secrets)
        if not outcome.errors.errors:
            return outcome.validated_parameters, None
        message = outcome.errors.msg
        if isinstance(outcome.errors.errors[0], UnsupportedError):
            message = 'Unsupported parameters for (%s) module: %s' % (self._task.action, message)
        return None, message

    def _environment(self):
        """Where the fallbacks come from here: the controller's environment and the task's `environment:`."""
        environment = dict(os.environ)
        entries = self._task.environment or []
        for entry in entries if isinstance(entries, list) else [entries]:
            if entry:
                environment.update((str(key), str(value)) for key, value in self._templar.template(entry).items())
        return environment

    def execute_remote(self, module_name, module_args, task_vars):
        """Run uri/win_uri on the desktop, with no_log and outside check mode (see _update_module_args)."""
        self._remote_request = True
        try:
            return self._execute_module(module_name=module_name, module_args=module_args, task_vars=task_vars)
        finally:
            self._remote_request = False

    def _update_module_args(self, module_name, module_args, task_vars, *args, **kwargs):
        super()._update_module_args(module_name, module_args, task_vars, *args, **kwargs)
        if self._remote_request:
            # Set after ansible-core's own settings, which take the task's: the URL holds the
            # token, and this plugin decides check mode itself (its reads run, its writes never).
            module_args['_ansible_no_log'] = True
            module_args['_ansible_check_mode'] = False
