#!/usr/bin/env bash
# Cloud accounts through amove.click.cloud_account and cloud_account_info, against
# the emulator's built-in seed, with one key the emulator's stand-in for the
# provider refuses. On every path (CLICK_TRANSPORTS, default "module uri win_uri":
# the module on the desktop, and its work on the controller through uri and
# through the contract double of ansible.windows.win_uri), at -vvvv, whose whole
# output must show neither the token nor any key, in any of the forms a URL gives them.
set -euo pipefail
source ../setup_click_emulator/files/emulator.sh
source ../setup_win_uri_double/files/win_uri_double.sh

# Fresh keys for this run, with + / and = like real secret keys.
footage_access_key="AKIAIT$RANDOM$RANDOM"
footage_secret_key="it/secret+$RANDOM$RANDOM=$RANDOM"
refused_key="AKIAREFUSED$RANDOM$RANDOM"
start_click_emulator --invalid-key "$refused_key"

# In a vars file: ansible-playbook prints its command line's extra vars at -vvvv.
vars_file="$OUTPUT_DIR/click-vars.yml"
cat >"$vars_file" <<VARS
click_url: $CLICK_EMULATOR_URL
click_token: "$CLICK_TOKEN"
footage_access_key: "$footage_access_key"
footage_secret_key: "$footage_secret_key"
refused_key: "$refused_key"
VARS

for transport in ${CLICK_TRANSPORTS:-module uri win_uri}; do
    echo "== amove_click_transport=$transport"
    use_transport "$transport"
    reset_click_emulator
    output="$OUTPUT_DIR/cloud-account-$transport-vvvv.txt"
    ansible-playbook -i "$INVENTORY_PATH" -e "@$vars_file" -e "amove_click_transport=$transport" main.yml -vvvv "$@" \
        >"$output" 2>&1 || { tail -n 200 "$output"; exit 1; }
    grep -E '^testhost +: ok=' "$output"
    grep -q 'The cloud provider refused the credentials' "$output" || { echo 'the refused keys were not tried'; exit 1; }
    no_secret_in "$output" "$footage_access_key" "$footage_secret_key" "$refused_key"
done
