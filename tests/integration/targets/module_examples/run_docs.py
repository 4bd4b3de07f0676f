"""Run the docs as written, as a reader runs them: every module's EXAMPLES, and every document's playbooks in order.

Usage: python run_docs.py COLLECTION_ROOT OUTPUT_DIR {module|uri|win_uri}

What runs:
- the EXAMPLES block of every module found in plugins/modules, as the tasks of one
  play, each against an emulator of its own (ansible-doc shows one module's
  examples at a time): all in one ansible-playbook run, each play on a local host
  of its own (example_MODULE), whose recap says how the module's EXAMPLES ended,
  and given its emulator as the README says, AMOVE_CLICK_URL and AMOVE_CLICK_TOKEN
  in its environment (a failure ends the run: the modules after it did not run);
- every YAML block of README.md, roles/*/README.md and docs/docsite/rst/*.rst that is
  a list of plays, run twice: the first run must succeed, the second must change
  nothing. The blocks of one document run in the order they are written, all
  against one emulator, as a reader following that document does: a block finds
  what the blocks before it made, so the blocks of a document must agree with
  each other (the same drive with the same bucket, no two drives on one letter).

Each emulator is started as a user starts it (no seed options), and the
environment has, of the AMOVE_CLICK_* variables, only the two the README says to
set: AMOVE_CLICK_URL (where the emulator listens) and AMOVE_CLICK_TOKEN (the
emulator's token, as the README names it). No extra variables are passed. The
inventory has localhost and one desktop in the group `desktops`, both local, on
the same agent.

A YAML block that is not a runnable playbook carries a mark on the line before it
(`<!-- doc-check: ... -->` in Markdown, `.. doc-check: ...` in reStructuredText):
- `doc-check: skip REASON`: not run; the reason is required;
- `doc-check: ansible-playbook ARGS`: run as `ansible-playbook ARGS`, where BLOCK
  stands for the block's file (for variables meant for a playbook, or a playbook
  that needs what its doc says in one line), twice like a playbook.
A YAML block that is neither a playbook nor marked fails the check.
"""

from __future__ import annotations

import ast
import contextlib
import json
import os
import pathlib
import re
import shlex
import signal
import subprocess
import sys
import textwrap
import urllib.request

import yaml

# What the README tells a user to set, and the token it gives for the emulator.
README_ENV = ('AMOVE_CLICK_URL', 'AMOVE_CLICK_TOKEN')
EMULATOR_TOKEN = 'emulator-api-token'
DOC_GLOBS = ('README.md', 'roles/*/README.md', 'docs/docsite/rst/*.rst')

MD_BLOCK = re.compile(r'^```ya?ml[ \t]*\n(.*?)^```[ \t]*$', re.M | re.S)
RST_BLOCK = re.compile(r'^(?P<indent>[ \t]*)\.\. code-block:: ya?ml[ \t]*\n', re.M)
MARK = re.compile(r'^\s*(?:<!--|\.\.)\s*doc-check:\s*(?P<mark>.*?)\s*(?:-->)?\s*$')
RECAP = re.compile(r'^(\S+)\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)', re.M)


class Block:
    """One thing to run: where it comes from, the playbook file, and the command."""

    def __init__(self, name, where, text, mark=None):
        self.name, self.where, self.text, self.mark = name, where, text, mark


class Document:
    """The playbooks of one document, which run in order against one emulator."""

    def __init__(self, where, blocks):
        self.where, self.blocks = where, blocks


def examples_of(path):
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and [t.id for t in node.targets if isinstance(t, ast.Name)] == ['EXAMPLES']:
            return yaml.safe_load(node.value.value)
    raise SystemExit('%s has no EXAMPLES' % path)


def example_plays(root):
    """(module, where, its EXAMPLES as tasks) of every module."""
    for path in sorted((root / 'plugins' / 'modules').glob('*.py')):
        if path.name != '__init__.py':
            yield path.stem, 'plugins/modules/%s EXAMPLES' % path.name, examples_of(path)


def mark_before(lines, start):
    """The doc-check mark on the last non-blank line before line index `start`, if any."""
    index = start - 1
    while index >= 0 and not lines[index].strip():
        index -= 1
    match = MARK.match(lines[index]) if index >= 0 else None
    return match.group('mark') if match else None


def yaml_blocks(path):
    """(line, text, mark) of each YAML code block of a Markdown or reStructuredText file."""
    text = path.read_text(encoding='utf-8')
    lines = text.split('\n')
    if path.suffix == '.md':
        for match in MD_BLOCK.finditer(text):
            line = text.count('\n', 0, match.start())
            yield line + 1, match.group(1), mark_before(lines, line)
        return
    for match in RST_BLOCK.finditer(text):
        line = text.count('\n', 0, match.start())
        indent = len(match.group('indent').expandtabs())
        body = []
        for following in lines[line + 1:]:
            if following.strip() and len(following) - len(following.lstrip()) <= indent:
                break
            body.append(following)
        content = textwrap.dedent('\n'.join(body)).strip('\n') + '\n'
        # directive options (":caption: ...") come before the content
        content = re.sub(r'^(:[\w-]+:.*\n)+\n?', '', content)
        yield line + 1, content, mark_before(lines, line)


def is_playbook(data):
    return isinstance(data, list) and bool(data) and all(
        isinstance(play, dict) and ('hosts' in play or 'ansible.builtin.import_playbook' in play or 'import_playbook' in play)
        for play in data)


def doc_documents(root, problems):
    paths = sorted(set(path for pattern in DOC_GLOBS for path in root.glob(pattern)))
    for path in paths:
        relative = path.relative_to(root).as_posix()
        yield Document(relative, list(doc_blocks(root, path, problems)))


def doc_blocks(root, path, problems):
    """The blocks of one document to run, in the order they are written."""
    relative = path.relative_to(root).as_posix()
    for number, (line, text, mark) in enumerate(yaml_blocks(path), 1):
        where = '%s:%d' % (relative, line)
        name = '%s-%d' % (re.sub(r'[^A-Za-z0-9]+', '_', relative).strip('_'), number)
        if mark is not None:
            if mark.split()[:1] == ['skip']:
                if not mark[4:].strip():
                    problems.append('%s: "doc-check: skip" needs the reason' % where)
                else:
                    print('not run: %s (%s)' % (where, mark[4:].strip()))
                continue
            if mark.split()[:1] != ['ansible-playbook'] or 'BLOCK' not in mark:
                problems.append('%s: unknown mark "doc-check: %s"; use "skip REASON" or "ansible-playbook ARGS" '
                                'with BLOCK for the block' % (where, mark))
                continue
            yield Block(name, where, text, mark)
            continue
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as error:
            problems.append('%s: not valid YAML: %s' % (where, error))
            continue
        if not is_playbook(data):
            problems.append('%s: a YAML block that is not a playbook; say how it runs with a line '
                            '"doc-check: ansible-playbook ... BLOCK ..." before it, or "doc-check: skip REASON"' % where)
            continue
        yield Block(name, where, text)


class Emulator:
    """A bare emulator, as a user starts it: `amove-click-emulator`, on a free port."""

    def __enter__(self):
        self.process = subprocess.Popen(['amove-click-emulator', '--port', '0'], stdout=subprocess.PIPE, text=True)
        first = self.process.stdout.readline()
        match = re.search(r'listening on (http://\S+)', first)
        if not match:
            self.process.kill()
            raise SystemExit('the emulator did not start: %r' % first)
        self.url = match.group(1)
        return self

    def state(self):
        return json.load(urllib.request.urlopen(self.url + '/_emulator/state'))

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(10)


def recap(output):
    return dict((host, int(changed)) for host, _ok, changed, _u, _f in RECAP.findall(output))


def run_block(block, emulator, output_dir, inventory, env):
    path = output_dir / (block.name + '.yml')
    path.write_text(block.text)
    if block.mark:
        args = [arg.replace('BLOCK', str(path)) for arg in shlex.split(block.mark)[1:]]
    else:
        args = [str(path)]
    command = ['ansible-playbook', '-i', str(inventory)] + args
    problems = []
    run_env = dict(env, AMOVE_CLICK_URL=emulator.url, AMOVE_CLICK_TOKEN=EMULATOR_TOKEN)
    sessions_before = emulator.state()['sessions']['count']
    for run in ('first', 'second'):
        done = subprocess.run(command, env=run_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)
        (output_dir / ('%s-%s.txt' % (block.name, run))).write_text(done.stdout)
        if done.returncode:
            problems.append('%s (%s run) failed with rc %d:\n%s' % (block.where, run, done.returncode, done.stdout))
            break
        if not recap(done.stdout):
            problems.append('%s (%s run) ran no play:\n%s' % (block.where, run, done.stdout))
            break
        if run == 'second' and any(recap(done.stdout).values()):
            problems.append('%s: the second run changed something: %s\n%s' % (block.where, recap(done.stdout), done.stdout))
    sessions = emulator.state()['sessions']['count'] - sessions_before
    if sessions:
        problems.append('%s left %d login sessions open' % (block.where, sessions))
    print('%s %s: %s' % ('FAIL' if problems else 'ok', block.where, ' '.join(shlex.quote(arg) for arg in command[1:])))
    return problems


def run_document(document, output_dir, inventory, env):
    """The document's blocks in order against one fresh emulator; a failed block does not stop the ones after it."""
    problems = []
    if not document.blocks:
        return problems
    print('== %s: %d blocks against one emulator, in order' % (document.where, len(document.blocks)))
    with Emulator() as emulator:
        for block in document.blocks:
            problems.extend(run_block(block, emulator, output_dir, inventory, env))
    return problems


def run_examples(examples, output_dir, inventory, env):
    """Every module's EXAMPLES in one run: a play each, on a host of its own, against an emulator of its own."""
    problems = []
    print('== the EXAMPLES of %d modules, each against an emulator of its own, in one run' % len(examples))
    with contextlib.ExitStack() as stack:
        emulators = [stack.enter_context(Emulator()) for _example in examples]
        plays = [{'name': 'EXAMPLES of amove.click.%s, as written' % module, 'hosts': 'example_%s' % module, 'gather_facts': False,
                  'environment': {'AMOVE_CLICK_URL': emulator.url, 'AMOVE_CLICK_TOKEN': EMULATOR_TOKEN}, 'tasks': tasks}
                 for (module, _where, tasks), emulator in zip(examples, emulators)]
        path = output_dir / 'EXAMPLES.yml'
        path.write_text(yaml.safe_dump(plays, sort_keys=False))
        command = ['ansible-playbook', '-i', str(inventory), str(path)]
        done = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)
        (output_dir / 'EXAMPLES.txt').write_text(done.stdout)
        recaps = dict((host, (int(failed), int(unreachable))) for host, _ok, _changed, unreachable, failed in RECAP.findall(done.stdout))
        for (module, where, _tasks), emulator in zip(examples, emulators):
            found = []
            recap = recaps.get('example_%s' % module)
            if recap is None:
                # A play whose every host failed ends the run: the plays after it never start.
                found.append('%s did not run, after a failure before it' % where)
            elif recap != (0, 0):
                found.append('%s failed' % where)
            sessions = emulator.state()['sessions']['count']
            if sessions:
                found.append('%s left %d login sessions open' % (where, sessions))
            print('%s %s' % ('FAIL' if found else 'ok', where))
            problems.extend(found)
    if problems or done.returncode:
        problems.append('the EXAMPLES run (rc %d):\n%s' % (done.returncode, done.stdout))
    return problems


def main():
    # SIGTERM ends the run through the emulators' __exit__, which stops them.
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit(143))
    root, output_dir, transport = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3]
    output_dir.mkdir(parents=True, exist_ok=True)
    readme = (root / 'README.md').read_text()
    # The environment is what the README tells a user to set: if it stops naming these, this check must change with it.
    missing = [word for word in README_ENV + (EMULATOR_TOKEN,) if word not in readme]
    if missing:
        raise SystemExit('README.md no longer names %s' % ', '.join(missing))

    examples = list(example_plays(root))
    inventory = output_dir / 'inventory.ini'
    inventory.write_text(
        'localhost ansible_connection=local ansible_python_interpreter=%(python)s\n'
        '[desktops]\n'
        'desktop1 ansible_connection=local ansible_python_interpreter=%(python)s\n'
        '[examples]\n'
        '%(examples)s'
        '[all:vars]\n'
        'amove_click_transport=%(transport)s\n' % dict(
            python=sys.executable, transport=transport,
            examples=''.join('example_%s ansible_connection=local ansible_python_interpreter=%s\n' % (module, sys.executable)
                             for module, _where, _tasks in examples)))
    env = dict((key, value) for key, value in os.environ.items() if not key.startswith('AMOVE_CLICK_'))

    problems = []
    problems.extend(run_examples(examples, output_dir, inventory, env))
    documents = list(doc_documents(root, problems))
    for document in documents:
        problems.extend(run_document(document, output_dir, inventory, env))
    for problem in problems:
        print('ERROR: %s' % problem)
    print('the EXAMPLES of %d modules and %d blocks of %d documents run on the %s path, %d problems' % (
        len(examples), sum(len(document.blocks) for document in documents), len(documents), transport, len(problems)))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
