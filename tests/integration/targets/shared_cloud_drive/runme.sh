#!/usr/bin/env bash
# Integration test of amove.click.shared_cloud_drive against the Click API emulator,
# on both paths: the module on the desktop, and its work on the controller with
# each request through ansible.builtin.uri (amove_click_transport=uri), and
# through the contract double of ansible.windows.win_uri (=win_uri).
set -euo pipefail
source ../setup_click_emulator/files/emulator.sh
source ../setup_win_uri_double/files/win_uri_double.sh
start_click_emulator

vars_file=$(click_vars_file)

playbook() {
    ansible-playbook -i "$INVENTORY_PATH" -e "@$vars_file" "$@"
}

for transport in module uri win_uri; do
    echo "== amove_click_transport=$transport"
    use_transport "$transport"
    playbook main.yml -e "amove_click_transport=$transport" "$@"

    # AWX sets the fields of a credential left empty to '': they count as unset.
    AMOVE_CLICK_URL='' AMOVE_CLICK_USER_TYPE='' AMOVE_CLICK_USERNAME='' AMOVE_CLICK_PASSWORD='' \
    AMOVE_CLICK_TOKEN="$CLICK_TOKEN" playbook empty_environment.yml -e "amove_click_transport=$transport" \
        -e role_defaults_file="$CLICK_COLLECTION_ROOT/roles/shared_cloud_drives/defaults/main.yml" "$@"

    # Secrets at -vvvv on every path: the secrets target.

    # Remote executions per task: 1 on the module path; the budget in each task's name on the controller path.
    output="$OUTPUT_DIR/executions-$transport.txt"
    playbook executions.yml -e "amove_click_transport=$transport" -vvv >"$output" 2>&1 || { cat "$output"; exit 1; }
    "$CLICK_PYTHON" count_executions.py "$output" "$transport"
done
use_transport module  # the real ansible.windows from here on

echo "== a Windows host (PowerShell shell) is served through ansible.windows.win_uri"
windows=(-i 'windows-desktop,' -e ansible_connection=local -e ansible_shell_type=powershell)
output="$OUTPUT_DIR/windows-vvvv.txt"
# There is no PowerShell here: the task fails after routing, which is what is checked.
playbook "${windows[@]}" windows.yml -vvvv >"$output" 2>&1 || true
# ansible-core 2.19 prints the module file it sends (win_uri.ps1), then the run fails;
# 2.21 first makes its temporary directory through PowerShell, which fails here.
# Either way the task failed for ansible.windows.win_uri, and no Python module ran.
routed=$(grep -c -E 'Using module file .*/ansible/windows/plugins/modules/win_uri\.ps1$' "$output" || true)
if [[ $routed == 0 ]]; then
    grep -q "EXEC /bin/sh -c 'powershell " "$output" || { cat "$output"; echo "win_uri was neither sent nor prepared for"; exit 1; }
fi
[[ $routed -le 1 ]] || { cat "$output"; echo "expected at most one execution of ansible.windows.win_uri, saw $routed"; exit 1; }
grep -q -E 'ansible\.windows\.win_uri did not run on the desktop|the desktop is unreachable for ansible\.windows\.win_uri' "$output" \
    || { cat "$output"; echo "the failure does not name ansible.windows.win_uri"; exit 1; }
if grep -E 'Using module file .*\.py$' "$output"; then echo 'a Python module ran on the Windows host'; exit 1; fi
no_secret_in "$output" admin-password wrong-token-7c1e

echo "== without ansible.windows, a Windows host fails with how to install it"
collections="$OUTPUT_DIR/no-windows"
mkdir -p "$collections/ansible_collections/amove"
ln -sfn "$CLICK_COLLECTION_ROOT" "$collections/ansible_collections/amove/click"
output="$OUTPUT_DIR/no-windows.txt"
if ANSIBLE_COLLECTIONS_PATH=$collections playbook "${windows[@]}" windows.yml -vvv >"$output" 2>&1; then
    cat "$output"; echo 'a Windows host without ansible.windows did not fail'; exit 1
fi
grep -q 'ansible-galaxy collection install ansible.windows' "$output" || { cat "$output"; exit 1; }
if grep -q 'Using module file' "$output"; then echo 'something ran on the desktop'; exit 1; fi
