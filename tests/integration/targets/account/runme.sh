#!/usr/bin/env bash
# The account's user groups and shared cloud drives in one execution through
# amove.click.account, against the emulator's built-in seed, on both paths: the
# module on the desktop, and its work on the controller through uri and through
# the contract double of ansible.windows.win_uri (CLICK_TRANSPORTS, default
# "module uri win_uri"). Each run is at -vvvv, and no secret may be in its output.
set -euo pipefail
source ../setup_click_emulator/files/emulator.sh
source ../setup_win_uri_double/files/win_uri_double.sh
start_click_emulator

vars_file=$(click_vars_file)

for transport in ${CLICK_TRANSPORTS:-module uri win_uri}; do
    echo "== amove_click_transport=$transport"
    use_transport "$transport"
    reset_click_emulator
    output="$OUTPUT_DIR/account-$transport-vvvv.txt"
    # The last task logs in with the password from the environment.
    if ! AMOVE_CLICK_PASSWORD=admin-password ansible-playbook -i "$INVENTORY_PATH" -e "@$vars_file" \
        -e "amove_click_transport=$transport" main.yml -vvvv "$@" >"$output" 2>&1; then
        grep -E '^(TASK|fatal|failed|ok|changed|PLAY RECAP)|"(msg|assertion|evaluated_to)"' "$output" | tail -40
        echo "the play failed on $transport: $output"; exit 1
    fi
    grep -E '^(PLAY RECAP|testhost)' "$output"
    no_secret_in "$output" admin-password
done
