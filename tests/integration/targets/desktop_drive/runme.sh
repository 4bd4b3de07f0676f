#!/usr/bin/env bash
# Integration test of amove.click.desktop_drive and amove.click.desktop_drive_info against
# the Click API emulator, on both paths: the module on the desktop, and its work on the
# controller with each request through ansible.builtin.uri (amove_click_transport=uri), and
# through the contract double of ansible.windows.win_uri, as on a Windows desktop.
# The playbook asserts the request counts of each step, so both paths make the same ones.
set -euo pipefail
source ../setup_click_emulator/files/emulator.sh
source ../setup_win_uri_double/files/win_uri_double.sh
start_click_emulator

vars_file=$(click_vars_file)

for transport in module uri win_uri; do
    echo "== amove_click_transport=$transport"
    use_transport "$transport"
    reset_click_emulator
    ansible-playbook -i "$INVENTORY_PATH" -e "@$vars_file" -e "amove_click_transport=$transport" main.yml "$@"
done
