# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""How a module runs: its definition, its input checked before any request, then its work.

PRIVATE to the amove.click collection: its interface may change in any release.

A module's definition serves the module on the desktop (run_module) and its
action plugin on the controller (plugin_utils/_click_action.py) alike.
"""

from __future__ import annotations

from ansible.module_utils import basic
from ansible.module_utils.basic import AnsibleModule

from ansible_collections.amove.click.plugins.module_utils._client import ClickApiClient
from ansible_collections.amove.click.plugins.module_utils._errors import ClickApiError
from ansible_collections.amove.click.plugins.module_utils._options import (
    CONNECTION_ARGUMENT_SPEC,
    connection_problems,
    type_problems,
    url_password,
)
from ansible_collections.amove.click.plugins.module_utils._secrets import mask_secrets, register_secrets


def task_args(module):
    """The task's arguments as written, before Ansible converted their types (module.params when unknown)."""
    if getattr(basic, '_ANSIBLE_ARGS', None) is None:  # not in a module process
        return module.params
    return basic._load_params()


class ModuleDefinition:
    """What a module is, for the module on the desktop and its action plugin on the controller alike.

    `options` (argument spec without the connection options), `mutually_exclusive`
    and `required_one_of` as AnsibleModule takes them; `problems(params)` lists
    what is wrong with the input beyond the spec; `run(client, params,
    check_mode, diff)` does the work and returns the result.
    """

    def __init__(self, options, run, problems=None, mutually_exclusive=None, required_one_of=None, credentials=True):
        self.argument_spec = dict(options, **CONNECTION_ARGUMENT_SPEC)
        self.run = run
        self._problems = problems
        self.mutually_exclusive = mutually_exclusive or []
        self.required_one_of = required_one_of or []
        # Modules that use only the agent's own /management routes need no credentials.
        self.credentials = credentials

    def problems(self, params):
        return connection_problems(params, self.credentials) + list(self._problems(params) if self._problems else [])


def execute(definition, params, check_mode=False, diff=False, transport=None, raw_args=None):
    """Run a module's work; return (result, warnings). A failure is a result with failed and msg.

    Bad input fails here before any request. With credentials, the session is
    closed whatever happens.
    """
    problems = type_problems(definition.argument_spec, params if raw_args is None else raw_args) \
        + definition.problems(params)
    if problems:
        return dict(failed=True, msg='; '.join(problems)), []
    client = ClickApiClient.from_params(params, transport)
    try:
        result = definition.run(client, params, check_mode, diff)
    except ClickApiError as error:
        result = dict(error.result(), failed=True, msg=str(error))
    finally:
        warning = client.close()
    # The work's own warnings (a near name, say) and the client's (an advisory
    # read skipped), for module.warn or the action's result alike.
    warnings = list(result.pop('warnings', None) or [])
    return result, client.warnings + warnings + ([warning] if warning else [])


def run_module(definition):
    """The main() of every module: parse the arguments, execute, exit."""
    module = AnsibleModule(argument_spec=definition.argument_spec, supports_check_mode=True,
                           mutually_exclusive=definition.mutually_exclusive,
                           required_one_of=definition.required_one_of)
    secrets = register_secrets(list(module.no_log_values) + [url_password(module.params['url'])])
    # ansible-core before 2.22 replaces these in the result too; from 2.22 on, only mask_secrets does.
    module.no_log_values.update(secrets)
    result, warnings = execute(definition, module.params, module.check_mode, module._diff, raw_args=task_args(module))
    result, warnings = mask_secrets((result, warnings), secrets)
    for warning in warnings:
        module.warn(warning)
    if result.pop('failed', False):
        module.fail_json(**result)
    module.exit_json(**result)
