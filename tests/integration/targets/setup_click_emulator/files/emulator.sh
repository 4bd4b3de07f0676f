# shellcheck shell=bash
# Sourced by the runme.sh of integration targets: starts the Click API emulator
# (the amove-click-emulator command of the package in emulator/, which
# `make test` installs into .venv) on a free port, exports where it is, and
# stops it on exit.
#
#   start_click_emulator [emulator options...]
#
# Set CLICK_AGENTS=N first for a fleet of N agents sharing one account, each on
# a free port of its own. Exports CLICK_EMULATOR_URL (the first agent),
# CLICK_EMULATOR_PORTS (all of them, space-separated), CLICK_EMULATOR_LOG and
# CLICK_TOKEN (a fresh API token for this run, so a test can search any output
# for it; it holds + / and =, so that its URL-encoded form differs from it).
#
#   reset_click_emulator     back to the seed: store, settings, faults, request log
#   click_vars_file          writes the variables click_url and click_token (the emulator's
#                            URL and token) to a vars file, and prints its path
#   stop_at_exit PID...      stop these background processes when the script ends,
#                            however it ends (success, failure, SIGINT, SIGTERM, SIGHUP)

CLICK_COLLECTION_ROOT="${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/amove/click"
CLICK_PYTHON="$(command -v python || command -v python3)"
# amove_tests.emulator.control: the tests' own calls to the emulator and the fault proxy, from the controller
ANSIBLE_COLLECTIONS_PATH="$ANSIBLE_COLLECTIONS_PATH:$(cd "$(dirname "${BASH_SOURCE[0]}")/../collections" && pwd)"
export ANSIBLE_COLLECTIONS_PATH

# One trap for all a target starts: a target's own `trap ... EXIT` would replace it.
CLICK_STARTED_PIDS=()
stop_at_exit() {
    CLICK_STARTED_PIDS+=("$@")
}
stop_started() {
    local pid
    for pid in "${CLICK_STARTED_PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${CLICK_STARTED_PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
}
trap stop_started EXIT
# A signal ends the script through its EXIT trap.
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

start_click_emulator() {
    local port ports
    if ! command -v amove-click-emulator >/dev/null; then
        echo "amove-click-emulator is not installed: pip install $CLICK_COLLECTION_ROOT/emulator" >&2
        return 1
    fi
    ports="$("$CLICK_PYTHON" - "${CLICK_AGENTS:-1}" <<'PY'
import socket, sys
sockets = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in sockets:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in sockets))
PY
)"
    port="${ports%% *}"
    CLICK_TOKEN="it+token/$RANDOM$RANDOM=$RANDOM"
    CLICK_EMULATOR_URL="http://127.0.0.1:${port}"
    CLICK_EMULATOR_PORTS="$ports"
    CLICK_EMULATOR_LOG="${OUTPUT_DIR:-/tmp}/click-emulator-${port}.log"
    export CLICK_TOKEN CLICK_EMULATOR_URL CLICK_EMULATOR_PORTS CLICK_EMULATOR_LOG
    amove-click-emulator --ports "${ports// /,}" --api-token "$CLICK_TOKEN" "$@" \
        >"$CLICK_EMULATOR_LOG" 2>&1 &
    CLICK_EMULATOR_PID=$!
    stop_at_exit "$CLICK_EMULATOR_PID"
    "$CLICK_PYTHON" - "$CLICK_EMULATOR_URL" <<'PY'
import sys, time, urllib.request
deadline = time.time() + 15
while True:
    try:
        urllib.request.urlopen(sys.argv[1] + '/management/agent_status', timeout=1).read()
        break
    except OSError:
        if time.time() > deadline:
            sys.exit('the Click API emulator did not start')
        time.sleep(0.1)
PY
}

# In a file, not -e: ansible-playbook prints its command line's extra vars at -vvvv,
# which would show the token before any module runs.
click_vars_file() {
    local file="${OUTPUT_DIR:-/tmp}/click-vars.yml"
    printf 'click_url: %s\nclick_token: %s\n' "$CLICK_EMULATOR_URL" "$CLICK_TOKEN" >"$file"
    echo "$file"
}

reset_click_emulator() {
    "$CLICK_PYTHON" -c 'import sys, urllib.request; urllib.request.urlopen(urllib.request.Request(sys.argv[1] + "/_emulator/reset", method="POST")).read()' \
        "$CLICK_EMULATOR_URL"
}

# Fails the target when FILE shows the emulator's token or another secret given
# after it, as it is or as it travels in a query string (quote_plus and quote).
no_secret_in() {
    local file=$1 secret
    shift
    while IFS= read -r secret; do
        if grep -n -F -- "$secret" "$file"; then
            echo "a secret appears in $file (see above)"
            exit 1
        fi
    done < <("$CLICK_PYTHON" -c '
import sys, urllib.parse as u
for secret in sys.argv[1:]:
    print("\n".join((secret, u.quote_plus(secret), u.quote(secret, safe=""))))' "$CLICK_TOKEN" "$@")
    echo "no secret in $(wc -l <"$file") lines of $file"
}
