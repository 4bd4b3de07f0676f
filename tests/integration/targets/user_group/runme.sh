#!/usr/bin/env bash
# The lifecycle of user groups and their members through amove.click.user_group and
# user_group_info, against the emulator seeded with the demo account. On both paths:
# the module on the desktop, and its work on the controller through uri and through
# the contract double of ansible.windows.win_uri (CLICK_TRANSPORTS, default
# "module uri win_uri"). What the engine decides past the lifecycle (members,
# renames, refusals, names, pages, lost answers) is proven in tests/unit/engine.
set -euo pipefail
source ../setup_click_emulator/files/emulator.sh
source ../setup_win_uri_double/files/win_uri_double.sh
start_click_emulator --seed "$CLICK_COLLECTION_ROOT/tools/demo/seed.json"

for transport in ${CLICK_TRANSPORTS:-module uri win_uri}; do
    echo "== amove_click_transport=$transport"
    use_transport "$transport"
    reset_click_emulator
    ansible-playbook -i "$INVENTORY_PATH" -e click_url="$CLICK_EMULATOR_URL" \
        -e click_token="$CLICK_TOKEN" -e "amove_click_transport=$transport" main.yml "$@"
done
