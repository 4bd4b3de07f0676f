#!/usr/bin/env bash
# Secrets never show: every module (cases.yml, one line each), on the module, uri
# and win_uri paths at once (one host each), ended in every way (success, agent
# refusal 401 and 499, connection failure, redirect, ...), at -vvvv. Then no
# secret of cases.yml, raw or URL-encoded, may appear in the output or in any
# task result (written unmasked by callback_plugins/result_log.py).
set -euo pipefail
source ../setup_click_emulator/files/emulator.sh
source ../setup_win_uri_double/files/win_uri_double.sh

secret() { "$CLICK_PYTHON" -c 'import sys, yaml; print(yaml.safe_load(open("cases.yml"))["secrets"][sys.argv[1]])' "$1"; }
start_click_emulator --api-token "$(secret token)" --admin-password "$(secret password)"

# The agents that refuse and redirect every request, repeating its URL.
"$CLICK_PYTHON" hostile_agent.py >"$OUTPUT_DIR/hostile-agent.log" 2>&1 &
stop_at_exit "$!"
for _ in $(seq 100); do
    [[ $(wc -l <"$OUTPUT_DIR/hostile-agent.log") -ge 2 ]] && break
    sleep 0.1
done
agent_port() { awk -v name="$1" '$1 == name {print $2}' "$OUTPUT_DIR/hostile-agent.log"; }
closed_port=$("$CLICK_PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

vars_file="$OUTPUT_DIR/secrets-vars.yml"
printf 'agent_url: %s\nrefusing_url: http://127.0.0.1:%s\nredirecting_url: http://127.0.0.1:%s\nclosed_url: http://127.0.0.1:%s\n' \
    "$CLICK_EMULATOR_URL" "$(agent_port refusing)" "$(agent_port redirecting)" "$closed_port" >"$vars_file"
playbook="$OUTPUT_DIR/secrets-playbook.yml"
apart="$OUTPUT_DIR/secrets-playbook-apart.yml"
"$CLICK_PYTHON" make_playbook.py cases.yml "$CLICK_COLLECTION_ROOT" "$vars_file" "$playbook" "$apart"

# One host per path, side by side; the win_uri double shadows ansible.windows for the run.
inventory="$OUTPUT_DIR/secrets-inventory.ini"
printf '%s\n' "module_path amove_click_transport=module" "uri_path amove_click_transport=uri" \
    "win_uri_path amove_click_transport=win_uri" "[all:vars]" "ansible_connection=local" \
    "ansible_python_interpreter=$CLICK_PYTHON" >"$inventory"
use_transport win_uri

# The endings marked apart (waits between retries) run beside the others, each playbook at -vvvv with its
# output in NAME.txt and its results (written unmasked by callback_plugins/result_log.py) in NAME.jsonl.
AMOVE_CLICK_PASSWORD=$(secret password)
export ANSIBLE_CALLBACK_PLUGINS="$PWD/callback_plugins" AMOVE_CLICK_PASSWORD
rm -f "$OUTPUT_DIR"/secrets-*vvvv.jsonl
RESULT_LOG="$OUTPUT_DIR/secrets-apart-vvvv.jsonl" ansible-playbook -i "$inventory" "$apart" -vvvv "$@" \
    >"$OUTPUT_DIR/secrets-apart-vvvv.txt" 2>&1 &
apart_pid=$!
stop_at_exit "$apart_pid"
status=0
RESULT_LOG="$OUTPUT_DIR/secrets-vvvv.jsonl" ansible-playbook -i "$inventory" "$playbook" -vvvv "$@" \
    >"$OUTPUT_DIR/secrets-vvvv.txt" 2>&1 || status=$?
apart_status=0
wait "$apart_pid" || apart_status=$?
outputs=("$OUTPUT_DIR/secrets-vvvv.txt" "$OUTPUT_DIR/secrets-vvvv.jsonl" "$OUTPUT_DIR/secrets-apart-vvvv.txt" "$OUTPUT_DIR/secrets-apart-vvvv.jsonl")
if ! "$CLICK_PYTHON" find_secrets.py cases.yml "${outputs[@]}"; then
    exit 1
fi
for run in "secrets-vvvv $status" "secrets-apart-vvvv $apart_status"; do
    read -r name code <<<"$run"
    if [[ $code != 0 ]]; then
        tail -60 "$OUTPUT_DIR/$name.txt"
        echo "the playbook failed (exit code $code; full output: $OUTPUT_DIR/$name.txt)"
        exit 1
    fi
done
tasks=$(cat "$OUTPUT_DIR/secrets-vvvv.jsonl" "$OUTPUT_DIR/secrets-apart-vvvv.jsonl" | grep -c '"kind": ')
lines=$(cat "$OUTPUT_DIR/secrets-vvvv.txt" "$OUTPUT_DIR/secrets-apart-vvvv.txt" | wc -l)
echo "no secret in $lines lines of -vvvv output and $tasks task results"
