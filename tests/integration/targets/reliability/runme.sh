#!/usr/bin/env bash
# A misbehaving agent where it takes a playbook and real time: the modules against
# the emulator behind a fault-injecting proxy (a write landing late, logins through
# lost answers, an agent nobody listens for); the other faults are proven by
# tests/unit/engine/test_reliability_on_every_path.py. Runs once per transport: CLICK_TRANSPORTS (default
# "module uri win_uri", win_uri through its contract double) is passed on as
# amove_click_transport.
set -euo pipefail
source ../setup_click_emulator/files/emulator.sh
source ../setup_win_uri_double/files/win_uri_double.sh
# A token with characters that need percent-encoding: it must work, and show
# nowhere, raw or encoded. (The last --api-token given wins.)
click_token="it+tok/$RANDOM$RANDOM=="
encoded_token=$("$CLICK_PYTHON" -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$click_token")
start_click_emulator --api-token "$click_token"

# The fault proxy.
start_proxy() {
    local log="$OUTPUT_DIR/$1.log"
    shift
    "$CLICK_PYTHON" ../setup_click_emulator/files/fault_proxy.py --upstream "$CLICK_EMULATOR_URL" "$@" >"$log" 2>&1 &
    stop_at_exit "$!"
    for _ in $(seq 100); do
        [[ -s $log ]] && break
        sleep 0.1
    done
    proxy_port=$(head -1 "$log")
}
start_proxy fault-proxy
proxy_url="http://127.0.0.1:$proxy_port"
# A port where nothing listens.
closed_url="http://127.0.0.1:$("$CLICK_PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

vars_file="$OUTPUT_DIR/reliability-vars.yml"
printf 'click_url: %s\nproxy_url: %s\nclosed_url: %s\nclick_token: "%s"\n' \
    "$CLICK_EMULATOR_URL" "$proxy_url" "$closed_url" "$click_token" >"$vars_file"

for transport in ${CLICK_TRANSPORTS:-module uri win_uri}; do
    use_transport "$transport"
    output="$OUTPUT_DIR/reliability-$transport.txt"
    if ! ansible-playbook -i "$INVENTORY_PATH" -e "@$vars_file" -e "amove_click_transport=$transport" \
            main.yml -vvvv "$@" >"$output" 2>&1; then
        grep -v -F -e "$click_token" -e "$encoded_token" "$output" | tail -80
        echo "the playbook failed with amove_click_transport=$transport (full output: $output)"
        exit 1
    fi
    for secret in "$click_token" "$encoded_token" admin-password; do
        if grep -q -F -- "$secret" "$output"; then
            echo "a secret appears in the -vvvv output with amove_click_transport=$transport"
            exit 1
        fi
    done
    echo "amove_click_transport=$transport: passed, no secret in $(wc -l <"$output") lines of -vvvv output"
done
