#!/usr/bin/env bash
# Integration test of amove.click.shared_cloud_drive against the Click API emulator.
set -euo pipefail
source ../setup_click_emulator/files/emulator.sh
start_click_emulator

# The token goes in a vars file: ansible-playbook prints its command line's
# extra vars at -vvvv, which would show it before any module runs.
vars_file="$OUTPUT_DIR/click-vars.yml"
printf 'click_url: %s\nclick_token: %s\n' "$CLICK_EMULATOR_URL" "$CLICK_TOKEN" >"$vars_file"

playbook() {
    ansible-playbook -i "$INVENTORY_PATH" -e "@$vars_file" "$@"
}

playbook main.yml "$@"

# AWX sets the fields of a credential left empty to '': they count as unset.
AMOVE_CLICK_URL='' AMOVE_CLICK_USER_TYPE='' AMOVE_CLICK_USERNAME='' AMOVE_CLICK_PASSWORD='' \
AMOVE_CLICK_TOKEN="$CLICK_TOKEN" playbook empty_environment.yml \
    -e role_defaults_file="$CLICK_COLLECTION_ROOT/roles/shared_cloud_drives/defaults/main.yml" "$@"

# Secrets never reach the output, even at -vvvv and in failures.
output="$OUTPUT_DIR/secrets-vvvv.txt"
AMOVE_CLICK_PASSWORD=admin-password playbook secrets.yml -vvvv >"$output" 2>&1 || { cat "$output"; exit 1; }
grep -q 'token rejected (expired or invalid)' "$output" || { echo 'the failing tasks did not run'; exit 1; }
for secret in "$CLICK_TOKEN" admin-password wrong-token-7c1e; do
    if grep -n -F -- "$secret" "$output"; then
        echo "a secret appears in the -vvvv output (see above)"
        exit 1
    fi
done
echo "no secret in $(wc -l <"$output") lines of -vvvv output"
