#!/usr/bin/env bash
# The fleet demo: five emulated desktop agents sharing one Amove account,
# provisioned by the playbook amove.click.provision, twice.
#
#   tools/demo/run.sh        (`make demo` runs it with the development venv)
#
# Needs ansible-playbook (ansible-core 2.19+), python3 and amove-click-emulator
# (pip install emulator/) on PATH.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
WORK="${DEMO_DIR:-$ROOT/build/demo}"
AGENTS=5
PYTHON="$(command -v python3)"

rm -rf "$WORK"
mkdir -p "$WORK/collections/ansible_collections/amove"
ln -s "$ROOT" "$WORK/collections/ansible_collections/amove/click"
export ANSIBLE_COLLECTIONS_PATH="$WORK/collections"

# Free ports for the agents, and a token for this demo.
read -r -a PORTS <<<"$("$PYTHON" - "$AGENTS" <<'PY'
import socket, sys
sockets = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in sockets:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in sockets))
PY
)"
export AMOVE_CLICK_TOKEN="demo-token-$RANDOM$RANDOM"
URLS=()
for port in "${PORTS[@]}"; do URLS+=("http://127.0.0.1:$port"); done

echo "== Starting the Click API emulator: $AGENTS desktop agents, one account"
echo "   signed in as admin, alice (Editors), joann (Editors, project Launch), ann, bob (Viewers, in Launch)"
amove-click-emulator --ports "$(IFS=,; echo "${PORTS[*]}")" --api-token "$AMOVE_CLICK_TOKEN" \
    --seed "$ROOT/tools/demo/seed.json" \
    >"$WORK/emulator.log" 2>&1 &
EMULATOR=$!
trap 'kill "$EMULATOR" 2>/dev/null || true; echo "== Emulator stopped"' EXIT
for url in "${URLS[@]}"; do
    for _ in $(seq 1 100); do
        "$PYTHON" -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1] + '/management/agent_status')" "$url" \
            2>/dev/null && break
        sleep 0.1
    done
done

{
    echo "[desktops]"
    for n in "${!URLS[@]}"; do echo "desktop$((n + 1)) shared_cloud_drives_url=${URLS[$n]}"; done
    echo
    echo "[desktops:vars]"
    echo "ansible_connection=local"
    echo "ansible_python_interpreter=$PYTHON"
} >"$WORK/inventory.ini"

# Runs the playbook; prints what each desktop received, the recap, and the
# requests the agents served, counted from the emulator's request log.
provision() {
    "$PYTHON" -c "import urllib.request as u; u.urlopen(u.Request('${URLS[0]}/_emulator/requests', method='DELETE'))"
    ANSIBLE_STDOUT_CALLBACK=default ansible-playbook amove.click.provision -i "$WORK/inventory.ini" \
        -f "$AGENTS" -e "@$ROOT/tools/demo/drives.yml" >"$WORK/$1.txt"
    awk '/^ok: \[desktop[0-9]+\] => \{/ {host = $2} /of the listed drives on this desktop/ {sub(/^ *"msg": "/, ""); sub(/"$/, ""); print "  " host " " $0}' \
        "$WORK/$1.txt"
    sed -n '/PLAY RECAP/,$p' "$WORK/$1.txt"
    "$PYTHON" - "${URLS[0]}" <<'PY'
import collections, json, sys, urllib.request
log = json.load(urllib.request.urlopen(sys.argv[1] + '/_emulator/requests'))
writes = collections.Counter(e['method'] + ' ' + e['path'] for e in log if e['method'] != 'GET' and '/management/' not in e['path'])
syncs = sum(1 for e in log if e['path'] == '/management/sync_shareddrive')
print('  requests: %d in all; account writes: %s; syncs: %d' % (
    len(log), ', '.join('%s x%d' % item for item in sorted(writes.items())) or 'none', syncs))
PY
}

echo "== First run: create the drives once for the account, then sync every desktop"
provision first
"$PYTHON" "$ROOT/tools/demo/show.py" "$AMOVE_CLICK_TOKEN" "${URLS[@]}"

echo "== Second run: nothing to change"
provision second
if grep -Eq 'changed=[1-9]' "$WORK/second.txt"; then
    echo "The second run changed something: see $WORK/second.txt"
    exit 1
fi
echo "== Settled: every desktop reports changed=0"
