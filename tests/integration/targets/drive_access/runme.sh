#!/usr/bin/env bash
# Who gets a drive: users, groups and projects through amove.click.shared_cloud_drive,
# against the emulator seeded with the demo account (three agents: admin, alice, joann).
set -euo pipefail
source ../setup_click_emulator/files/emulator.sh
source ../setup_win_uri_double/files/win_uri_double.sh
CLICK_AGENTS=3 start_click_emulator --seed "$CLICK_COLLECTION_ROOT/tools/demo/seed.json"
read -r -a PORTS <<<"$CLICK_EMULATOR_PORTS"
# On both paths: the module on the desktop, and its work on the controller through uri
# and through the contract double of win_uri.
for transport in module uri win_uri; do
    echo "== amove_click_transport=$transport"
    use_transport "$transport"
    reset_click_emulator
    ansible-playbook -i "$INVENTORY_PATH" -e click_url="$CLICK_EMULATOR_URL" -e click_token="$CLICK_TOKEN" \
        -e "click_alice_url=http://127.0.0.1:${PORTS[1]}" -e "click_joann_url=http://127.0.0.1:${PORTS[2]}" \
        -e "amove_click_transport=$transport" main.yml "$@"
done
