"""The execution environment without Galaxy: docs/awx/execution-environment-tarball.yml, as its comment says to use it.

Puts the collection tarballs into collections/ next to a copy of the definition
under the names it asks for, has `ansible-builder create` render the build
context, and runs the context's collection install step as the galaxy stage of
the image build would (in _build, with the build argument's options, which must
hold --offline), with Galaxy out of reach: both collections must install.

Usage: python ee_offline.py COLLECTION_ROOT WORK_DIR
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import pathlib
import re
import shlex
import shutil
import subprocess
import sys
import tarfile


def windows_tarball(source, target):
    """A tarball of the ansible.windows the tests use.

    It was extracted from the ansible wheel, which leaves out some of the files
    FILES.json lists: keep the list to the files present, and MANIFEST.json's
    checksum of the list to match, as `ansible-galaxy collection build` would.
    """
    files = json.loads((source / 'FILES.json').read_text())
    files['files'] = [entry for entry in files['files'] if entry['name'] == '.' or (source / entry['name']).exists()]
    listing = json.dumps(files).encode()
    manifest = json.loads((source / 'MANIFEST.json').read_text())
    manifest['file_manifest_file']['chksum_sha256'] = hashlib.sha256(listing).hexdigest()
    with tarfile.open(target, 'w:gz') as tar:
        for name, content in (('MANIFEST.json', json.dumps(manifest).encode()), ('FILES.json', listing)):
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
        for entry in files['files']:
            if entry['name'] != '.':
                tar.add(source / entry['name'], entry['name'], recursive=False)


def main():
    root, work = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    definition = root / 'docs' / 'awx' / 'execution-environment-tarball.yml'
    here = work / 'ee-tarball'
    shutil.rmtree(here, ignore_errors=True)
    (here / 'collections').mkdir(parents=True)
    shutil.copy(definition, here)
    # The names the definition's comment tells users to copy the tarballs to.
    text = definition.read_text()
    names = re.findall(r'collections/([\w-]+\.tar\.gz)$', text, re.M)
    assert set(names) == {'amove-click.tar.gz', 'ansible-windows.tar.gz'}, names

    built = work / 'ee-built'
    shutil.rmtree(built, ignore_errors=True)
    subprocess.run(['ansible-galaxy', 'collection', 'build', str(root), '--output-path', str(built)], check=True)
    shutil.copy(next(built.glob('amove-click-*.tar.gz')), here / 'collections' / 'amove-click.tar.gz')
    windows = pathlib.Path(os.environ['ANSIBLE_COLLECTIONS_PATH'].split(':')[0]) / 'ansible_collections' / 'ansible' / 'windows'
    windows_tarball(windows.resolve(), here / 'collections' / 'ansible-windows.tar.gz')

    context = work / 'ee-tarball-context'
    shutil.rmtree(context, ignore_errors=True)
    subprocess.run(['ansible-builder', 'create', '-f', definition.name, '-c', str(context), '--output-filename', 'Containerfile'],
                   cwd=here, check=True)
    containerfile = (context / 'Containerfile').read_text()
    options = re.search(r'^ARG ANSIBLE_GALAXY_CLI_COLLECTION_OPTS="(.*)"$', containerfile, re.M).group(1)
    assert '--offline' in options.split(), options
    step = re.search(r'^RUN (?:\w+=\S+ )*ansible-galaxy collection install (.*)$', containerfile, re.M).group(1)
    args = shlex.split(step.replace('$ANSIBLE_GALAXY_CLI_COLLECTION_OPTS', options))
    # The image's collections path, here a folder of the work dir; Galaxy made unreachable.
    args[args.index('--collections-path') + 1] = str(work / 'ee-installed')
    # An image starts with no collections: none of the test's may count as installed.
    env = dict(os.environ, ANSIBLE_GALAXY_SERVER='http://127.0.0.1:9/', HOME=str(work / 'ee-home'),
               ANSIBLE_COLLECTIONS_PATH=str(work / 'ee-installed'))
    subprocess.run(['ansible-galaxy', 'collection', 'install'] + args, cwd=context / '_build', env=env, check=True)
    installed = sorted(path.parent.name + '.' + path.name for path in (work / 'ee-installed' / 'ansible_collections').glob('*/*'))
    assert installed == ['amove.click', 'ansible.windows'], installed
    print('the execution environment without Galaxy installs', installed, 'offline with', options)


if __name__ == '__main__':
    main()
