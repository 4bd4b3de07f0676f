#!/usr/bin/env bash
# Integration test of amove.click.desktop_drive and amove.click.desktop_drive_info against
# the Click API emulator, on both paths: the module on the desktop, and its work on the
# controller with each request through ansible.builtin.uri (amove_click_transport=uri).
# The playbook asserts the request counts of each step, so both paths make the same ones.
set -euo pipefail
source ../setup_click_emulator/files/emulator.sh
start_click_emulator

vars_file="$OUTPUT_DIR/click-vars.yml"
printf 'click_url: %s\nclick_token: %s\n' "$CLICK_EMULATOR_URL" "$CLICK_TOKEN" >"$vars_file"

for transport in module uri; do
    echo "== amove_click_transport=$transport"
    reset_click_emulator
    ansible-playbook -i "$INVENTORY_PATH" -e "@$vars_file" -e "amove_click_transport=$transport" main.yml "$@"
done
