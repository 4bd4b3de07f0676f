"""Run the collection's provision playbook the way AWX runs a job template.

AWX renders the injectors of the job's credential type with the credential's
inputs, puts the result into the job's environment, and runs the playbook
through ansible-runner. This does the same with docs/awx/credential_type.yml,
twice, and checks what AWX would show: a successful job, each drive created
once, a second job with nothing changed, and no secret in the job's output.

Usage: python awx_job.py COLLECTION_ROOT WORK_DIR EMULATOR_URL TOKEN URL...
"""

from __future__ import annotations

import json
import os
import pathlib
import sys
import urllib.request

import ansible_runner
import jinja2
import jinja2.sandbox
import yaml

DRIVES = [
    {'name': 'Creative', 'cloud_account': 'Demo S3', 'storage_name': 'creative-bucket', 'sync_type': 'mirror'},
    {'name': 'Footage', 'cloud_account': 'Demo S3', 'storage_name': 'footage-bucket'},
]


def injected_environment(credential_type, inputs):
    """The environment AWX gives a job for a credential of this type."""
    sandbox = jinja2.sandbox.ImmutableSandboxedEnvironment(undefined=jinja2.ChainableUndefined)
    fields = dict((field['id'], field.get('default', '')) for field in credential_type['inputs']['fields'])
    fields.update(inputs)
    return dict((name, sandbox.from_string(template).render(**fields))
                for name, template in credential_type['injectors']['env'].items())


def job_environment(root, token):
    """A job's environment: the credential type's injected variables, in an execution environment."""
    credential_type = yaml.safe_load((root / 'docs' / 'awx' / 'credential_type.yml').read_text())
    env = injected_environment(credential_type, {'token': token})
    assert env['AMOVE_CLICK_TOKEN'] == token and env['AMOVE_CLICK_USERNAME'] == '', env
    # The execution environment has the collection in its collections path.
    env['ANSIBLE_COLLECTIONS_PATH'] = os.environ['ANSIBLE_COLLECTIONS_PATH']
    return env


def job_result(name, runner):
    """What AWX shows of a finished job; the job must have succeeded."""
    stdout = runner.stdout.read()
    if runner.status != 'successful' or runner.rc != 0:
        sys.exit('job %s: %s (rc %s)\n%s' % (name, runner.status, runner.rc, stdout))
    return runner, stdout


def run_job(work, inventory, env, name, forks, verbosity=0):
    (work / name).mkdir(parents=True, exist_ok=True)
    runner = ansible_runner.run(
        private_data_dir=str(work / name), playbook='amove.click.provision', inventory=inventory,
        envvars=env, extravars={'shared_cloud_drives_list': DRIVES}, quiet=True, forks=forks, verbosity=verbosity)
    return job_result(name, runner)


def main():
    root, work, emulator, token = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3], sys.argv[4]
    urls = sys.argv[5:]
    env = job_environment(root, token)
    inventory = '\n'.join(['[desktops]'] + [
        'desktop%d shared_cloud_drives_url=%s ansible_connection=local ansible_python_interpreter=%s'
        % (number, url, sys.executable) for number, url in enumerate(urls, 1)]) + '\n'

    # The first job at the highest verbosity an AWX template offers.
    first, first_out = run_job(work, inventory, env, 'job-1', len(urls), verbosity=4)
    changed = first.stats['changed']
    assert sorted(changed) == ['desktop%d' % n for n in range(1, len(urls) + 1)], first.stats

    second, second_out = run_job(work, inventory, env, 'job-2', len(urls))
    assert not any(second.stats['changed'].values()), second.stats

    log = json.load(urllib.request.urlopen(emulator + '/_emulator/requests'))
    inserts = [entry for entry in log if entry['path'] == '/sharedclouddrive/insert']
    assert len(inserts) == len(DRIVES), inserts

    # What AWX shows of a job: its output and its events. No secret in either.
    # (ansible-runner also records the job's input environment, which holds
    # the injected token by design, as AWX's own job environment does.)
    for job in ('job-1', 'job-2'):
        shown = [path for path in (work / job / 'artifacts').rglob('*')
                 if path.is_file() and (path.name == 'stdout' or path.parent.name == 'job_events')]
        assert len(shown) > 10, shown
        for path in shown:
            if token in path.read_text(errors='replace'):
                sys.exit('the token appears in %s' % path)
    assert token not in first_out + second_out
    print('AWX-style jobs: first changed %s, second changed nothing, %d inserts, no token in artifacts'
          % (dict(changed), len(inserts)))


if __name__ == '__main__':
    main()
