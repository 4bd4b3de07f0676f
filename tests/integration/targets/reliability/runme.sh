#!/usr/bin/env bash
# A misbehaving agent: the modules against the emulator behind a fault-injecting
# proxy (late and lost writes, dropped connections, answers of the wrong shape),
# and hostile input. Runs once per transport: CLICK_TRANSPORTS (default
# "module uri") is passed on as amove_click_transport.
set -euo pipefail
source ../setup_click_emulator/files/emulator.sh
# A token with characters that need percent-encoding: it must work, and show
# nowhere, raw or encoded. (The last --api-token given wins.)
click_token="it+tok/$RANDOM$RANDOM=="
encoded_token=$("$CLICK_PYTHON" -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$click_token")
start_click_emulator --api-token "$click_token"

proxy_log="$OUTPUT_DIR/fault-proxy.log"
"$CLICK_PYTHON" ../setup_click_emulator/files/fault_proxy.py --upstream "$CLICK_EMULATOR_URL" >"$proxy_log" 2>&1 &
proxy_pid=$!
trap 'kill "$proxy_pid" "$CLICK_EMULATOR_PID" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
    [[ -s $proxy_log ]] && break
    sleep 0.1
done
proxy_url="http://127.0.0.1:$(head -1 "$proxy_log")"

vars_file="$OUTPUT_DIR/reliability-vars.yml"
printf 'click_url: %s\nproxy_url: %s\nclick_token: "%s"\n' "$CLICK_EMULATOR_URL" "$proxy_url" "$click_token" >"$vars_file"

for transport in ${CLICK_TRANSPORTS:-module uri}; do
    output="$OUTPUT_DIR/reliability-$transport.txt"
    if ! ansible-playbook -i "$INVENTORY_PATH" -e "@$vars_file" -e "amove_click_transport=$transport" \
            main.yml -vvvv "$@" >"$output" 2>&1; then
        grep -v -F -e "$click_token" -e "$encoded_token" "$output" | tail -80
        echo "the playbook failed with amove_click_transport=$transport (full output: $output)"
        exit 1
    fi
    for secret in "$click_token" "$encoded_token" alice-password admin-password; do
        if grep -q -F -- "$secret" "$output"; then
            echo "a secret appears in the -vvvv output with amove_click_transport=$transport"
            exit 1
        fi
    done
    echo "amove_click_transport=$transport: passed, no secret in $(wc -l <"$output") lines of -vvvv output"
done
