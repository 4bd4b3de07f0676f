#!/usr/bin/env bash
# The modules run on the desktops of a fleet, which have a bare Python of their
# own: run them under every Python 3.9+ this machine has (pyenv installs, used
# directly, not through shims), down to the oldest supported, 3.9.
set -euo pipefail
source ../setup_click_emulator/files/emulator.sh
start_click_emulator

pythons=()
for version in 3.9 3.10 3.12 3.13; do
    for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$version".*/bin/python"$version" /usr/bin/python"$version"; do
        if [[ -x $candidate ]] && "$candidate" -c 'import sys; assert sys.version_info >= (3, 9)' 2>/dev/null; then
            pythons+=("$candidate")
            break
        fi
    done
done
if [[ ! " ${pythons[*]} " =~ python3\.9 ]]; then
    echo "no Python 3.9 found: the oldest Python the modules support must be tested"; exit 1
fi

for python in "${pythons[@]}"; do
    echo "== modules under $("$python" --version)"
    ansible-playbook -i "testhost," -c local -e ansible_python_interpreter="$python" \
        -e click_url="$CLICK_EMULATOR_URL" -e click_token="$CLICK_TOKEN" -e drive_name="On $("$python" -c 'import platform; print(platform.python_version())')" \
        main.yml "$@"
done
