#!/usr/bin/env bash
# User groups and their members through amove.click.user_group and user_group_info,
# against the emulator seeded with the demo account, with the fault proxy in front
# of it for the answers that get lost. On both paths: the module on the desktop,
# and its work on the controller through uri and through the contract double of
# ansible.windows.win_uri (CLICK_TRANSPORTS, default "module uri win_uri").
set -euo pipefail
source ../setup_click_emulator/files/emulator.sh
source ../setup_win_uri_double/files/win_uri_double.sh
start_click_emulator --seed "$CLICK_COLLECTION_ROOT/tools/demo/seed.json"

proxy_log="$OUTPUT_DIR/user-group-proxy.log"
"$CLICK_PYTHON" ../setup_click_emulator/files/fault_proxy.py --upstream "$CLICK_EMULATOR_URL" >"$proxy_log" 2>&1 &
proxy_pid=$!
stop_at_exit "$proxy_pid"
for _ in $(seq 100); do
    [[ -s $proxy_log ]] && break
    sleep 0.1
done
proxy_url="http://127.0.0.1:$(head -1 "$proxy_log")"

for transport in ${CLICK_TRANSPORTS:-module uri win_uri}; do
    echo "== amove_click_transport=$transport"
    use_transport "$transport"
    reset_click_emulator
    ansible-playbook -i "$INVENTORY_PATH" -e click_url="$CLICK_EMULATOR_URL" -e proxy_url="$proxy_url" \
        -e click_token="$CLICK_TOKEN" -e "amove_click_transport=$transport" main.yml "$@"
done
