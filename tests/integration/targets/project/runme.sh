#!/usr/bin/env bash
# Projects, who is in them and their drives, through amove.click.project and
# project_info, against the emulator's built-in seed. On every path (CLICK_TRANSPORTS,
# default "module uri win_uri": the module on the desktop, and its work on the
# controller through uri and through the contract double of ansible.windows.win_uri),
# at -vvvv, whose whole output must not show the token.
set -euo pipefail
source ../setup_click_emulator/files/emulator.sh
source ../setup_win_uri_double/files/win_uri_double.sh
start_click_emulator

vars_file=$(click_vars_file)

for transport in ${CLICK_TRANSPORTS:-module uri win_uri}; do
    echo "== amove_click_transport=$transport"
    use_transport "$transport"
    reset_click_emulator
    output="$OUTPUT_DIR/project-$transport-vvvv.txt"
    ansible-playbook -i "$INVENTORY_PATH" -e "@$vars_file" -e "amove_click_transport=$transport" main.yml -vvvv "$@" \
        >"$output" 2>&1 || { tail -n 200 "$output"; exit 1; }
    grep -E '^testhost +: ok=' "$output"
    no_secret_in "$output"
done
