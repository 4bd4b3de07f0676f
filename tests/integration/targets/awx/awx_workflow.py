"""Run docs/awx/workflow.yml the way AWX runs that workflow, with ansible-runner.

The job templates and the workflow's nodes are read from the shipped file: the
account job (its limit and extra variables), then, once it succeeded, the
sliced sync job, whose N slices AWX runs as N jobs at the same time, each over
one slice of the inventory (here a --limit of every Nth desktop). Checks what
AWX would show and what the account went through: every job successful, each
drive written once, every desktop synced once, no token in any job's output.

Usage: python awx_workflow.py COLLECTION_ROOT WORK_DIR EMULATOR_URL TOKEN URL...
"""

from __future__ import annotations

import json
import pathlib
import sys
import urllib.request

import ansible_runner
import jinja2
import yaml

from awx_job import job_environment, job_result

DRIVES = [
    {'name': 'Dailies', 'cloud_account': 'Demo S3', 'storage_name': 'dailies-bucket'},
    {'name': 'Grading', 'cloud_account': 'Demo S3', 'storage_name': 'grading-bucket', 'sync_type': 'mirror'},
]


def call(url, method='GET'):
    request = urllib.request.Request(url, method=method)
    with urllib.request.urlopen(request) as answer:
        raw = answer.read()
    return json.loads(raw) if raw else None


def workflow(root):
    """The job templates by name, and the workflow's nodes in the order they run."""
    play = yaml.safe_load((root / 'docs' / 'awx' / 'workflow.yml').read_text())[0]
    render = jinja2.Environment(undefined=jinja2.StrictUndefined)

    def rendered(value):
        if isinstance(value, str):
            text = render.from_string(value).render(**play['vars'])
            return int(text) if text.isdigit() else text
        if isinstance(value, dict):
            return dict((key, rendered(item)) for key, item in value.items())
        if isinstance(value, list):
            return [rendered(item) for item in value]
        return value
    templates, nodes, launch_vars = {}, {}, {}
    for task in play['tasks']:
        if 'awx.awx.job_template' in task:
            spec = rendered(task['awx.awx.job_template'])
            templates[spec['name']] = spec
        elif 'awx.awx.workflow_job_template_node' in task:
            spec = rendered(task['awx.awx.workflow_job_template_node'])
            nodes[spec['identifier']] = spec
        elif 'awx.awx.workflow_job_template' in task:
            launch_vars = rendered(task['awx.awx.workflow_job_template'])['extra_vars']
    children = set(child for node in nodes.values() for child in node.get('success_nodes', []))
    order = [name for name in nodes if name not in children]
    assert len(order) == 1, 'one first node expected: %r' % order
    while nodes[order[-1]].get('success_nodes'):
        order += nodes[order[-1]]['success_nodes']
    return [templates[nodes[name]['unified_job_template']] for name in order], launch_vars


def start_job(work, name, inventory, env, extravars, limit, forks):
    (work / name).mkdir(parents=True, exist_ok=True)
    thread, runner = ansible_runner.run_async(
        private_data_dir=str(work / name), playbook='amove.click.provision', inventory=inventory, envvars=env,
        extravars=extravars, limit=limit, forks=forks, quiet=True)
    return name, thread, runner


def finish(job):
    name, thread, runner = job
    thread.join()
    return job_result(name, runner)


def main():
    root, work, emulator, token = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3], sys.argv[4]
    urls = sys.argv[5:]
    env = job_environment(root, token)
    hosts = ['desktop%d' % number for number in range(1, len(urls) + 1)]
    inventory = '\n'.join(['[desktops]'] + [
        '%s shared_cloud_drives_url=%s ansible_connection=local ansible_python_interpreter=%s'
        % (host, url, sys.executable) for host, url in zip(hosts, urls)]) + '\n'
    (account, sliced), launch_vars = workflow(root)
    launch_vars = dict(launch_vars, shared_cloud_drives_list=DRIVES)
    assert 'job_slice_count' not in account and sliced['job_slice_count'] > 1, (account, sliced)
    call(emulator + '/_emulator/requests', 'DELETE')

    # The account job, alone.
    runner, output = finish(start_job(work, 'workflow-account', inventory, env,
                                      dict(account['extra_vars'], **launch_vars), account['limit'], 5))
    assert list(runner.stats['changed']) == ['desktop1'], runner.stats
    # Then the slices, all at once: AWX gives slice i of n the hosts i, i+n, ...
    slices = sliced['job_slice_count']
    jobs = [start_job(work, 'workflow-sync-%d' % number, inventory, env, dict(sliced['extra_vars'], **launch_vars),
                      ':'.join(hosts[number::slices]), sliced['forks']) for number in range(slices)]
    outputs = [output] + [finish(job)[1] for job in jobs]

    log = call(emulator + '/_emulator/requests')
    inserts = [entry for entry in log if entry['path'] == '/sharedclouddrive/insert']
    assert len(inserts) == len(DRIVES), inserts
    account_requests = [entry for entry in log if not entry['path'].startswith('/management/')]
    assert all(str(entry['port']) == urls[0].rsplit(':', 1)[1] for entry in account_requests), account_requests
    synced = sorted(entry['port'] for entry in log if entry['path'] == '/management/sync_shareddrive')
    assert synced == sorted(int(url.rsplit(':', 1)[1]) for url in urls), synced
    for host in hosts:
        state = call(urls[hosts.index(host)] + '/_emulator/agent')
        names = set(drive['name'] for drive in state['clouddrives'])
        assert {'Dailies', 'Grading'} <= names, (host, names)
    assert not any(token in text for text in outputs)
    print('AWX-style workflow: account job, then %d slice jobs at once; %d inserts, every desktop synced once'
          % (slices, len(inserts)))


if __name__ == '__main__':
    main()
