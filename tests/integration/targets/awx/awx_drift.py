"""Run the drift job of docs/awx/drift_job.yml the way AWX runs it, with ansible-runner.

The job template, its schedule and its notification are read from the shipped
file: the schedule launches the job template, whose failure is what its
notification is sent on. The job runs the project's playbook (report.yml of
docs/awx) with the template's extra variables and the credential type's
injected environment: on a settled fleet it succeeds, with the report's counts
as job artifacts (set_stats, which AWX shows as the job's artifacts); once a
desktop has lost a drive it fails, so that AWX sends the notification, and its
artifacts name that desktop.

Usage: python awx_drift.py COLLECTION_ROOT WORK_DIR EMULATOR_URL TOKEN URL...
"""

from __future__ import annotations

import json
import pathlib
import re
import sys
import urllib.request

import ansible_runner
import jinja2
import jinja2.nativetypes
import yaml

from awx_job import job_environment
from awx_workflow import DRIVES as WORKFLOW_DRIVES
from awx_job import DRIVES as JOB_DRIVES


def call(url, method='GET'):
    request = urllib.request.Request(url, method=method)
    with urllib.request.urlopen(request) as answer:
        raw = answer.read()
    return json.loads(raw) if raw else None


def drift_job(root):
    """The job template, the schedule and the notification of docs/awx/drift_job.yml, rendered with its variables."""
    play = yaml.safe_load((root / 'docs' / 'awx' / 'drift_job.yml').read_text())[0]
    # As Ansible templates them: a variable alone keeps its type (a dict stays a dict).
    render = jinja2.nativetypes.NativeEnvironment(undefined=jinja2.StrictUndefined)

    def rendered(value):
        if isinstance(value, str):
            return render.from_string(value).render(**play['vars'])
        if isinstance(value, dict):
            return dict((key, rendered(item)) for key, item in value.items())
        if isinstance(value, list):
            return [rendered(item) for item in value]
        return value
    specs = {}
    for task in play['tasks']:
        for module in ('awx.awx.job_template', 'awx.awx.schedule', 'awx.awx.notification_template'):
            if module in task:
                specs[module] = rendered(task[module])
    return specs['awx.awx.job_template'], specs['awx.awx.schedule'], specs['awx.awx.notification_template']


def writes_since(emulator):
    """The requests other than reads since the log was last emptied."""
    return [entry for entry in call(emulator + '/_emulator/requests') if entry['method'] != 'GET']


def run_job(work, name, playbook, inventory, env, extravars):
    (work / name).mkdir(parents=True, exist_ok=True)
    runner = ansible_runner.run(private_data_dir=str(work / name), playbook=str(playbook), inventory=inventory, envvars=env,
                                extravars=extravars, quiet=True, forks=6)
    stats = [event for event in runner.events if event.get('event') == 'playbook_on_stats']
    artifacts = stats[-1]['event_data'].get('artifact_data', {}) if stats else {}
    return runner, runner.stdout.read(), artifacts.get('amove_click_report')


def main():
    root, work, emulator, token = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3], sys.argv[4]
    urls = sys.argv[5:]
    template, schedule, notification = drift_job(root)
    assert schedule['unified_job_template'] == template['name'], (schedule, template)
    assert re.match(r'^DTSTART[;:]\S+ RRULE:FREQ=(DAILY|HOURLY|WEEKLY)', schedule['rrule']), schedule['rrule']
    assert template['notification_templates_error'] == [notification['name']], (template, notification)
    # What AWX receives are its own templates, which name the job and link to it.
    message = notification['messages']['error']
    assert '{{ job.id }}' in message['message'] and '{{ url }}' in message['message'] + message['body'], message
    # The job fails on drift, and takes what its schedule launches it with.
    assert template['extra_vars']['amove_click_fail_on_drift'] is True and template['ask_variables_on_launch'] is True, template
    playbook = root / 'docs' / 'awx' / template['playbook']
    assert yaml.safe_load(playbook.read_text()) == [
        {'name': "Report the fleet's shared cloud drives, their health and their drift",
         'ansible.builtin.import_playbook': 'amove.click.report'}]

    env = job_environment(root, token)
    inventory = '\n'.join(['[desktops]'] + [
        'desktop%d shared_cloud_drives_url=%s ansible_connection=local ansible_python_interpreter=%s'
        % (number, url, sys.executable) for number, url in enumerate(urls, 1)]) + '\n'
    # The drives the earlier jobs of this target made: the list the schedule's job reports against.
    launch = dict(template['extra_vars'], **schedule['extra_data'])
    launch.update(amove_click_report_dir=str(work / 'drift-report'), shared_cloud_drives_list=JOB_DRIVES + WORKFLOW_DRIVES)

    call(emulator + '/_emulator/requests', 'DELETE')
    runner, output, found = run_job(work, 'drift-settled', playbook, inventory, env, launch)
    if runner.status != 'successful':
        sys.exit('the drift job failed on a settled fleet:\n%s' % output)
    assert found and found['drift'] is False and found['counts']['in_sync'] == found['counts']['desktops'] == len(urls), found
    assert writes_since(emulator) == []

    # A drive taken off one desktop: provision would bring it back.
    port = urls[3]
    drive = [entry for entry in call(port + '/management/clouddrive') if entry['name'] == 'Footage'][0]
    call('%s/management/clouddrive/%s' % (port, drive['id']), 'DELETE')
    call(emulator + '/_emulator/requests', 'DELETE')
    runner, output, found = run_job(work, 'drift-drifted', playbook, inventory, env, launch)
    if runner.status != 'failed':
        sys.exit('the drift job did not fail on drift (%s):\n%s' % (runner.status, output))
    assert found['drift'] is True and found['drifted_desktops'] == ['desktop4'] and found['counts']['missing_drives'] == 1, found
    assert writes_since(emulator) == []
    assert (work / 'drift-report' / 'index.html').is_file()
    assert token not in output
    print('AWX-style drift job: settled fleet successful, artifacts say no drift; desktop4 short of a drive: job failed '
          '(the error notification fires), artifacts %s; nothing written' % found['counts'])


if __name__ == '__main__':
    main()
