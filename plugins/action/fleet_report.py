# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Action plugin of amove.click.fleet_report: writes the fleet report on the controller, asking no desktop."""

from __future__ import annotations

import datetime
import os
import tempfile

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase

from ansible_collections.amove.click.plugins.plugin_utils._fleet_page import to_html
from ansible_collections.amove.click.plugins.plugin_utils._fleet_report import NOT_READ, build, names_in, summary_line, to_json, to_junit

ARGUMENT_SPEC = dict(
    dest=dict(type='path', required=True),
    desktops=dict(type='dict', required=True),
    account=dict(type='dict', default={}),
    title=dict(type='str', default='Amove fleet report'),
)
FILES = (('html', 'index.html', to_html), ('json', 'fleet.json', to_json), ('junit', 'junit.xml', to_junit))


def write_file(path, text):
    """Replace the file at once, so that a reader never finds half a report."""
    handle, temporary = tempfile.mkstemp(prefix='.' + os.path.basename(path), dir=os.path.dirname(path))
    try:
        with os.fdopen(handle, 'w', encoding='utf-8') as stream:
            stream.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    # The files are what a check-mode run reports, not state on a managed host: written in check mode too.
    _supports_check_mode = True

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        checked = ArgumentSpecValidator(ARGUMENT_SPEC).validate(self._task.args)
        if checked.error_messages:
            return dict(result, failed=True, msg='; '.join(checked.error_messages))
        params = checked.validated_parameters
        if not params['dest'].strip():
            return dict(result, failed=True, msg='dest must name the directory to write the report into, such as '
                        'dest: fleet-report (the playbook amove.click.report: -e amove_click_report_dir=DIR)')
        generated = datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
        fleet = build(params['account'], params['desktops'], generated, params['title'])
        dest = os.path.abspath(params['dest'])
        files = {}
        try:
            os.makedirs(dest, exist_ok=True)
            for key, name, render in FILES:
                files[key] = os.path.join(dest, name)
                write_file(files[key], render(fleet))
        except OSError as error:
            return dict(result, failed=True, msg='could not write the report into %s: %s' % (dest, error))
        return dict(result, changed=False, msg=summary_line(fleet), files=files, counts=fleet['counts'], drift=fleet['drift'],
                    unhealthy=fleet['unhealthy'], not_read=fleet['not_read'], account_changes=fleet['account']['changes'],
                    drifted_desktops=names_in(fleet, lambda desktop: desktop['state'] == 'drift'),
                    unhealthy_desktops=names_in(fleet, lambda desktop: any(drive['health']['state'] == 'bad'
                                                                           for drive in desktop['drives'])),
                    not_read_desktops=names_in(fleet, lambda desktop: desktop['state'] in NOT_READ))
