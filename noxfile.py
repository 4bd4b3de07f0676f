# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Every check of the amove.click collection, as a nox session.

    make test                          all of them side by side, then a summary
    python3 tools/dev/checks.py -l     the list
    python3 tools/dev/checks.py -s units-2.22 lint      some of them
    python3 tools/dev/checks.py -t sanity               a tag: sanity, units,
                                                        integration, integration-2.22...

(tools/dev/checks.py makes .venv-nox, where nox comes from, runs nox, and checks
that no process is left running; `.venv-nox/bin/nox -s NAME` works as well.)

Each session works in a copy of the collection of its own,
build/nox/<session>/ansible_collections/amove/click (the files git tracks, and
untracked ones it does not ignore, made a git repository of its own), so what
one check leaves behind never reaches another, with the ansible-core of its
version and its Python on PATH. The virtual environments are made on first use
from pinned requirements files (see CORES; tools/dev/venvs.py).

Integration runs one session per target and ansible-core version, so that the
slowest start first and two cores share the work: a new directory under
tests/integration/targets is a new session, with no change here.
"""

from __future__ import annotations

import functools
import os
import pathlib
import re
import resource
import shutil
import subprocess
import sys

import nox

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent / 'tools' / 'dev'))
import venvs  # noqa: E402  pylint: disable=wrong-import-position

ROOT = venvs.ROOT
TOOLS = ROOT / 'tools' / 'dev'

# The ansible-core versions the collection is tested with, oldest (the floor of
# requires_ansible) first: the Python each runs on, the file that pins it, and
# its virtual environment. The floor's venv also has every tool (lint, docs,
# build, importer, nox). `make versions` holds meta/runtime.yml, the execution
# environment and the README's "Tested with" table to this list.
CORES = {
    '2.19': ('3.11', 'requirements-dev.txt', '.venv'),
    '2.20': ('3.12', 'tools/dev/requirements-core-2.20.txt', '.venv-2.20'),
    '2.21': ('3.12', 'tools/dev/requirements-core-2.21.txt', '.venv-2.21'),
    '2.22': ('3.13', 'tools/dev/requirements-core-2.22.txt', '.venv-2.22'),  # 2.22.0rc1, until 2.22.0 is out
}
FLOOR, NEWEST = list(CORES)[0], list(CORES)[-1]
# Integration on the floor and the newest: between them, sanity and units.
INTEGRATION_CORES = (FLOOR, NEWEST)
# Sessions start longest first, so that none of the long ones ends last: the integration targets that
# take longer than a sanity run, then sanity, then the other targets that take minutes, longest first,
# then any other target, then the rest.
INTEGRATION_LONGEST = ('secrets', 'module_examples', 'shared_cloud_drives_role', 'export')
INTEGRATION_FIRST = INTEGRATION_LONGEST + ('shared_cloud_drive', 'fleet_report', 'reliability', 'awx', 'project', 'desktop_drive',
                                           'account', 'drive_access', 'cloud_account', 'user_group', 'managed_python',
                                           'shared_cloud_drive_info')

# Set by tools/dev/checks.py: a copy of the work tree made when the run started, which every
# session copies, so that files edited during a run do not reach the sessions that start later.
SOURCE_VARIABLE = 'AMOVE_CLICK_CHECKED_SOURCE'

nox.options.default_venv_backend = 'none'  # the venvs above, made by the sessions themselves
nox.options.allow_parallel = True
nox.options.error_on_external_run = False


def venv_of(core):
    return ROOT / CORES[core][2]


def prepare(session, core=FLOOR):
    """The session's own copy of the collection, and an environment running `core`; returns the copy."""
    try:
        venv = venvs.ensure_venv(venv_of(core), ROOT / CORES[core][1], CORES[core][0], log=session.log)
        tools = venvs.ensure_venv(venv_of(FLOOR), ROOT / CORES[FLOOR][1], CORES[FLOOR][0], log=session.log)
        venvs.ensure_emulator_package(tools, log=session.log)
        windows = venvs.ensure_windows_collection(tools, log=session.log)
        venvs.ensure_ansible_test_home(venv)
    except venvs.SetupError as error:
        session.error(str(error))
    job = venvs.BUILD / 'nox' / session.name
    shutil.rmtree(job, ignore_errors=True)
    collection = job / 'ansible_collections' / 'amove' / 'click'
    source = os.environ.get(SOURCE_VARIABLE)
    if source:  # the work tree as it was when the run started
        shutil.copytree(source, collection, symlinks=True)
    else:
        venvs.copy_files(venvs.tracked_files(), collection)
    # ansible-test gives integration targets this root as their only collection path
    (job / 'ansible_collections' / 'ansible').mkdir()
    (job / 'ansible_collections' / 'ansible' / 'windows').symlink_to(windows / 'ansible_collections' / 'ansible' / 'windows')
    # The copy lives in this repository's ignored build/, where ansible-test and ansible-lint would ask
    # git for the file list and get nothing: a repository of its own shows them exactly the copied files.
    git = ['git', '-C', str(collection), '-c', 'user.name=checks', '-c', 'user.email=checks@localhost',
           '-c', 'commit.gpgsign=false']
    for command in (['init', '-q'], ['add', '-A'], ['commit', '-q', '--no-verify', '-m', 'copy']):
        subprocess.run(git + command, check=True)
    # The floor's venv stays on PATH after the core's, for what only it has (the emulator, shellcheck).
    session.env.update(
        PATH=os.pathsep.join([str(venv / 'bin'), str(tools / 'bin'), os.environ['PATH']]),
        VIRTUAL_ENV=str(venv),
        # Interpreter discovery can pick inactive pyenv shims: name the interpreter.
        ANSIBLE_PYTHON_INTERPRETER=str(venv / 'bin' / 'python'),
        ANSIBLE_COLLECTIONS_PATH=str(job),
        ANSIBLE_NOCOLOR='1', PY_COLORS='0', PYENV_VERSION='',
    )
    session.chdir(collection)
    return collection


def run(session, program, *args):
    """session.run with `program` looked up on the session's PATH (nox itself looks at its own)."""
    found = shutil.which(program, path=session.env['PATH'])
    if not found:
        session.error('%s is not installed (looked in %s)' % (program, session.env['PATH']))
    session.run(found, *args)


def cpu_counted(function):
    """The session, which writes the CPU seconds its commands took to build/nox/<session>/cpu (for the summary)."""
    @functools.wraps(function)
    def counted(session, *args):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        try:
            function(session, *args)
        finally:
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            seconds = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
            job = venvs.BUILD / 'nox' / session.name
            if job.is_dir():
                (job / 'cpu').write_text('%d\n' % seconds)
    return counted


def define(name, tags, check, *args):
    """A session `name` that runs check(session, *args), described by the check's docstring."""
    def session_function(session):
        check(session, *args)
    session_function.__doc__ = '%s%s' % (check.__doc__, ' (ansible-core %s)' % args[0] if args else '')
    nox.session(name=name, tags=tags)(cpu_counted(session_function))


def ansible_test(core):
    """The options every ansible-test run here takes."""
    return ['--python', CORES[core][0], '--color', 'no'] + (['-v'] if os.environ.get('VERBOSE') == '1' else [])


def integration_targets():
    """Every integration target that is not a hidden set-up target, in the order to start them."""
    targets_dir = ROOT / 'tests' / 'integration' / 'targets'
    names = [path.name for path in targets_dir.iterdir()
             if (path / 'aliases').is_file() and 'hidden' not in (path / 'aliases').read_text().split()]
    return sorted(names, key=lambda name: (INTEGRATION_FIRST.index(name) if name in INTEGRATION_FIRST else len(INTEGRATION_FIRST), name))


# ---------------------------------------------------------------- the checks
# Defined in the order they start: the longest first.

# Targets that look at a page in a real browser: Debian's chromium, installed by the project's setup when missing.
BROWSER_TARGETS = ('fleet_report',)


# A task of a target that runs ansible.builtin.uri itself (as a key in block or flow style): a remote execution (0.4 s of CPU here) for what
# amove_tests.emulator.control does on the controller (CONTRIBUTING.md, "Integration targets").
OWN_URI_TASK = re.compile(r'(?:^[ \t]*(?:-[ \t]+)?|[{,][ \t]*)(?:ansible\.builtin\.|ansible\.legacy\.)?uri:(?:[ \t]|$)', re.M)


def own_uri_tasks(collection, target):
    """`file:line` of each task of the target's YAML that runs uri itself."""
    found = []
    for path in sorted((collection / 'tests' / 'integration' / 'targets' / target).rglob('*.y*ml')):
        text = path.read_text(encoding='utf-8')
        for match in OWN_URI_TASK.finditer(text):
            found.append('%s:%d' % (path.relative_to(collection), text.count('\n', 0, match.start()) + 1))
    return found


def integration(session, core, target):
    """ansible-test integration --local on one target, against the Click API emulator."""
    collection = prepare(session, core)
    uri_tasks = own_uri_tasks(collection, target)
    if uri_tasks:
        session.error('%s: the tests\' own calls to the emulator go through amove_tests.emulator.control, '
                      'not ansible.builtin.uri (a remote execution each): %s' % (target, ', '.join(uri_tasks)))
    if target in BROWSER_TARGETS:
        browser = subprocess.run([str(TOOLS / 'setup_chromium.sh')], capture_output=True, text=True, check=False)
        if browser.returncode:
            session.error('no browser for %s: %s' % (target, (browser.stderr or browser.stdout).strip()))
        session.env['AMOVE_CLICK_CHROMIUM'] = browser.stdout.strip().splitlines()[-1]
    run(session, 'ansible-test', 'integration', '--local', *ansible_test(core), target)


def define_integration(targets):
    for target in targets:
        for core in reversed(INTEGRATION_CORES):
            define('integration-%s-%s' % (core, target), ['integration', 'integration-%s' % core], integration, core, target)


TARGETS = integration_targets()
define_integration(target for target in TARGETS if target in INTEGRATION_LONGEST)


def sanity(session, core):
    """ansible-test sanity, with no ignore file."""
    collection = prepare(session, core)
    ignores = sorted(path.name for path in (collection / 'tests' / 'sanity').glob('ignore-*.txt'))
    if ignores:
        session.error('%s: sanity ignore files are not allowed here, fix the code instead' % ', '.join(ignores))
    # ansible-test keeps the sanity tests' venvs in ~/.ansible/test/venv/<test>/<python>/<hash>, shared by
    # every version (and every clone) on that Python: two making the same one at once remove each other's
    # half-made copy. Make them one at a time, then test.
    with venvs.locked(venvs.ANSIBLE_TEST_HOME / 'amove-click-sanity-venvs.lock'):
        run(session, 'ansible-test', 'sanity', '--prime-venvs', '--venv', *ansible_test(core))
    run(session, 'ansible-test', 'sanity', '--venv', *ansible_test(core))


def units(session, core):
    """ansible-test units over tests/unit."""
    prepare(session, core)
    # --local: in the core's own venv, which pins what the tests need (--venv would make a venv and
    # download their requirements on every run)
    run(session, 'ansible-test', 'units', '--local', *ansible_test(core), '--num-workers', '2')


for _core in reversed(list(CORES)):
    define('sanity-%s' % _core, ['sanity'], sanity, _core)
define_integration(target for target in TARGETS if target not in INTEGRATION_LONGEST)
for _core in reversed(list(CORES)):
    define('units-%s' % _core, ['units'], units, _core)


def own_ansible_home(session):
    """An ANSIBLE_HOME of the session's own, for ansible-lint, which with --offline keeps its cache there (~/.ansible).

    That cache holds the stubs of mock_modules, removed when a lint ends: a lint of another checkout
    ending took them from this one while it ran, which then failed to resolve amove_tests.emulator.control.
    """
    home = venvs.BUILD / 'nox' / session.name / 'ansible-home'
    home.mkdir()
    session.env['ANSIBLE_HOME'] = str(home)


@nox.session(tags=['lint'])
@cpu_counted
def lint(session):
    """ansible-lint --profile production."""
    prepare(session)
    own_ansible_home(session)
    run(session, 'ansible-lint', '--profile', 'production', '--offline', '--nocolor')


@nox.session(tags=['importer'])
@cpu_counted
def importer(session):
    """galaxy-importer on the built tarball, judged by its log (its exit code says little)."""
    prepare(session)
    tarball = build_tarball(session)
    output = venvs.BUILD / 'nox' / session.name / 'importer'
    output.mkdir()
    session.chdir(output)  # it writes importer_result.json to the working directory
    session.env['GALAXY_IMPORTER_CONFIG'] = str(TOOLS / 'galaxy-importer.cfg')
    log = output / 'importer.log'
    with open(log, 'w', encoding='utf-8') as handle:
        done = subprocess.run([str(venv_of(FLOOR) / 'bin' / 'python'), '-m', 'galaxy_importer.main', str(tarball)],
                              env=dict((key, value) for key, value in dict(os.environ, **session.env).items() if value is not None),
                              stdout=handle, stderr=subprocess.STDOUT, check=False)
    print(log.read_text(), end='')
    run(session, 'python', str(TOOLS / 'judge_importer.py'), str(log), str(done.returncode))


@nox.session(tags=['docs'])
@cpu_counted
def docs(session):
    """antsibull-docs: the plugin and role docs and docs/docsite, as docs.ansible.com renders them."""
    prepare(session)
    run(session, 'antsibull-docs', 'lint-collection-docs', '--plugin-docs', '--check-extra-docs-refs',
        '--validate-collection-refs', 'all', '.')


@nox.session(tags=['snippets'])
@cpu_counted
def snippets(session):
    """ansible-lint --profile production on the YAML snippets of the READMEs, as the playbooks they show."""
    collection = prepare(session)
    own_ansible_home(session)
    run(session, 'python', str(TOOLS / 'lint_snippets.py'), '--work', str(venvs.BUILD / 'nox' / session.name / 'snippets'),
        'README.md', *sorted(str(path.relative_to(collection)) for path in collection.glob('roles/*/README.md')))


@nox.session(tags=['emulator'])
@cpu_counted
def emulator(session):
    """The emulator package (emulator/): its tests, and pip install of it into an empty venv."""
    prepare(session)
    run(session, 'python', '-m', 'pytest', 'emulator/tests', '-q', '-p', 'no:cacheprovider')
    run(session, 'python', str(TOOLS / 'check_emulator_package.py'), 'emulator',
        str(venvs.BUILD / 'nox' / session.name / 'emulator-package'))


def build_tarball(session):
    """ansible-galaxy collection build, then the tarball's content checked; returns the tarball."""
    dist = venvs.BUILD / 'nox' / session.name / 'dist'
    dist.mkdir()
    run(session, 'ansible-galaxy', 'collection', 'build', '--force', '--output-path', str(dist), '.')
    tarball = next(dist.glob('amove-click-*.tar.gz'))
    known = dist / 'staged-files.txt'
    known.write_text(subprocess.run(['git', 'ls-files'], capture_output=True, text=True, check=True).stdout)
    run(session, 'python', str(TOOLS / 'check_tarball.py'), str(tarball), str(known))
    return tarball


@nox.session(tags=['build'])
@cpu_counted
def build(session):
    """The collection tarball (build/nox/build/dist/), and its content."""
    prepare(session)
    build_tarball(session)


@nox.session(tags=['changelog'])
@cpu_counted
def changelog(session):
    """antsibull-changelog lint, and release notes for the version in galaxy.yml."""
    prepare(session)
    run(session, 'antsibull-changelog', 'lint')
    run(session, 'python', str(TOOLS / 'check_release.py'))


@nox.session(tags=['versions'])
@cpu_counted
def versions(session):
    """requires_ansible, the execution environment and the README's "Tested with" agree with CORES."""
    prepare(session)
    arguments = []
    for core, (python, requirements, _venv) in CORES.items():
        arguments += ['--core', core, python, str(ROOT / requirements)]
    for core in INTEGRATION_CORES:
        arguments += ['--integration', core]
    run(session, 'python', str(TOOLS / 'check_versions.py'), *arguments)


@nox.session(name='venvs', default=False)
def make_venvs(session):
    """Only make (or refresh) the virtual environment of every ansible-core version (not part of `make test`)."""
    for core in CORES:
        prepare(session, core)
