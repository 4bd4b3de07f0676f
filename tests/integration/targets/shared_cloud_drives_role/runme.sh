#!/usr/bin/env bash
# Integration test of the role amove.click.shared_cloud_drives on a fleet of
# five emulated desktop agents sharing one account, on both paths: the module on
# each desktop, and its work on the controller with each request through uri on
# the desktop (amove_click_transport=uri), or through the contract double of
# ansible.windows.win_uri (=win_uri).
set -euo pipefail
source ../setup_click_emulator/files/emulator.sh
source ../setup_win_uri_double/files/win_uri_double.sh
CLICK_AGENTS=5 start_click_emulator
read -r -a PORTS <<<"$CLICK_EMULATOR_PORTS"

check() { "$CLICK_PYTHON" fleet.py "$CLICK_EMULATOR_URL" "$@"; }
inventory="$OUTPUT_DIR/fleet.ini"
check inventory "$inventory" "${PORTS[@]}"
vars="$OUTPUT_DIR/fleet-vars.yml"
printf 'shared_cloud_drives_token: %s\n' "$CLICK_TOKEN" >"$vars"

# Runs the collection's provision playbook with forks equal to the fleet size.
provision() {
    local recap="$1"
    shift
    check forget "$inventory"
    ansible-playbook amove.click.provision -i "$inventory" -f 5 -e "@$vars" -e @drives.yml "${TRANSPORT[@]}" "$@" \
        | tee "$OUTPUT_DIR/$recap.txt"
}

declare -A PER_DESKTOP=([module]=1 [uri]=4 [win_uri]=4)
for transport in module uri win_uri; do
    use_transport "$transport"
    TRANSPORT=(-e "amove_click_transport=$transport")
    echo "==== amove_click_transport=$transport"
    reset_click_emulator
    echo "== four desktops, all at once: each drive created exactly once, every agent synced"
    provision first --limit 'desktop1:desktop2:desktop3:desktop4'
    check recap "$OUTPUT_DIR/first.txt" desktop1=+ desktop2=+ desktop3=+ desktop4=+
    check writes 3 0 0
    check synced "${PORTS[@]:0:4}"
    check drives Creative Footage Stills

    echo "== the same play again: nothing changes anywhere"
    provision second --limit 'desktop1:desktop2:desktop3:desktop4'
    check recap "$OUTPUT_DIR/second.txt" desktop1=0 desktop2=0 desktop3=0 desktop4=0
    check writes 0 0 0

    echo "== a settled fleet costs one remote execution per desktop (one per request on the controller path), and the account step two more"
    # Counted by each desktop's interpreter, not timed: the agent task on every
    # desktop, and on the first the wait and the account step (run_once). On the
    # controller path each of the agent task's 4 requests is one execution.
    check executions "$inventory" 4 "${PER_DESKTOP[$transport]}" 2
    grep -q '"desktop2": "3 of the 3 listed drives on this desktop: Creative, Footage, Stills"' "$OUTPUT_DIR/second.txt"

    echo "== check mode: nothing written, nothing synced, and the summary says so"
    provision check --limit 'desktop1:desktop2' --check
    check recap "$OUTPUT_DIR/check.txt" desktop1=0 desktop2=0
    check writes 0 0 0
    check synced
    grep -q '"desktop2": "not synced (check mode); 3 of the 3 listed drives on this desktop: Creative, Footage, Stills"' "$OUTPUT_DIR/check.txt"

    echo "== a fifth desktop joins: only it reports a change, and what it received"
    provision joined
    check recap "$OUTPUT_DIR/joined.txt" desktop1=0 desktop2=0 desktop3=0 desktop4=0 desktop5=+
    check writes 0 0 0
    check synced "${PORTS[@]}"
    grep -q '"desktop5": "3 of the 3 listed drives on this desktop: Creative, Footage, Stills"' "$OUTPUT_DIR/joined.txt"

    echo "== a changed list: one update, once"
    provision update -e '{"shared_cloud_drives_list": [{"name": "Creative", "cloud_account": "Demo S3", "storage_name": "creative-bucket", "sync_type": "stream"}, {"name": "Footage"}, {"name": "Stills"}]}'
    check writes 0 1 0

    echo "== purge: only the unlisted drive goes"
    provision purge -e shared_cloud_drives_purge=true -e '{"shared_cloud_drives_list": [{"name": "Creative"}, {"name": "Footage"}]}'
    check recap "$OUTPUT_DIR/purge.txt" desktop1=+ desktop2=+ desktop3=+ desktop4=+ desktop5=+
    check writes 0 0 1
    check drives Creative Footage

    echo "== purge with an empty list is refused, and deletes nothing"
    if provision empty-purge -e shared_cloud_drives_purge=true -e '{"shared_cloud_drives_list": []}'; then
        echo "an empty purge was not refused"; exit 1
    fi
    grep -q 'allow_empty_purge' "$OUTPUT_DIR/empty-purge.txt"
    check writes 0 0 0
    check drives Creative Footage

    echo "== a desktop whose agent never starts fails alone"
    check status "${PORTS[2]}" 4
    if provision paused -e shared_cloud_drives_wait_timeout=2 -e '{"shared_cloud_drives_list": [{"name": "Creative"}, {"name": "Footage"}]}'; then
        echo "the play should have failed for desktop3"; exit 1
    fi
    grep -q 'did not reach Started within 2 seconds; last seen: status 4 (paused)' "$OUTPUT_DIR/paused.txt"
    check recap "$OUTPUT_DIR/paused.txt" desktop1=0 desktop2=0 desktop3=F desktop4=0 desktop5=0
    check synced "${PORTS[0]}" "${PORTS[1]}" "${PORTS[3]}" "${PORTS[4]}"
    check commands
    check status "${PORTS[2]}" 1

    echo "== the first desktop's agent never starts: it fails alone, the account changes through the next one"
    check status "${PORTS[0]}" 4
    if provision first-paused -e shared_cloud_drives_wait_timeout=1 -e '{"shared_cloud_drives_list": [{"name": "Creative"}, {"name": "Footage"}, {"name": "Reels", "cloud_account": "Demo S3", "storage_name": "reels-bucket"}]}'; then
        echo "the play should have failed for desktop1"; exit 1
    fi
    grep -q 'did not reach Started within 1 second; last seen: status 4 (paused)' "$OUTPUT_DIR/first-paused.txt"
    check recap "$OUTPUT_DIR/first-paused.txt" desktop1=F desktop2=+ desktop3=+ desktop4=+ desktop5=+
    check writes 1 0 0
    check synced "${PORTS[@]:1}"
    check drives Creative Footage Reels
    check status "${PORTS[0]}" 1

    echo "== an account step that fails stops the play before any desktop syncs"
    if provision bad-account -e '{"shared_cloud_drives_list": [{"name": "Creative"}, {"name": "Footage"}, {"name": "Nowhere", "cloud_account": "No such account", "storage_name": "x"}]}'; then
        echo "the play should have failed"; exit 1
    fi
    grep -q "no cloud account is named 'No such account'" "$OUTPUT_DIR/bad-account.txt"
    check recap "$OUTPUT_DIR/bad-account.txt" desktop1=F
    check writes 0 0 0
    check synced

    echo "== strategy free runs run_once on every desktop: they take the account step one at a time"
    # The first insert lands late, so an account step that ran at the same time
    # would miss Clips and create it again (499 DUPLICATE without throttle: 1).
    check delay /sharedclouddrive/insert 2 1
    ANSIBLE_STRATEGY=free provision free -e '{"shared_cloud_drives_list": [{"name": "Creative"}, {"name": "Footage"}, {"name": "Reels"}, {"name": "Clips", "cloud_account": "Demo S3", "storage_name": "clips-bucket"}]}'
    check recap "$OUTPUT_DIR/free.txt" desktop1=+ desktop2=+ desktop3=+ desktop4=+ desktop5=+
    check writes 1 0 0
    check synced "${PORTS[@]}"
    check drives Clips Creative Footage Reels

    echo "== a sync-only play (shared_cloud_drives_account_changes=false) asks the account nothing"
    provision sync-only -e shared_cloud_drives_account_changes=false -e '{"shared_cloud_drives_list": [{"name": "Creative"}, {"name": "Footage"}, {"name": "Reels"}, {"name": "Clips"}, {"name": "Gone", "state": "absent"}]}'
    check recap "$OUTPUT_DIR/sync-only.txt" desktop1=0 desktop2=0 desktop3=0 desktop4=0 desktop5=0
    check account-requests 0
    check synced "${PORTS[@]}"
    grep -q '"desktop3": "4 of the 4 listed drives on this desktop: Clips, Creative, Footage, Reels"' "$OUTPUT_DIR/sync-only.txt"

    echo "== with shared_cloud_drives_start_agents, a paused agent is resumed and a stopped one started"
    check status "${PORTS[0]}" 4
    check status "${PORTS[3]}" 2
    provision start -e shared_cloud_drives_start_agents=true -e '{"shared_cloud_drives_list": [{"name": "Creative"}, {"name": "Footage"}, {"name": "Reels"}, {"name": "Clips"}]}'
    check recap "$OUTPUT_DIR/start.txt" desktop1=1 desktop2=0 desktop3=0 desktop4=1 desktop5=0
    check commands "${PORTS[0]}:4" "${PORTS[3]}:0"
    check writes 0 0 0
    check synced "${PORTS[@]}"
    if grep -q "$CLICK_TOKEN" "$OUTPUT_DIR/start.txt"; then
        echo "the token appears in the output"; exit 1
    fi
done

TRANSPORT=()
use_transport module
echo "== bad role input is refused by the argument spec before any request"
for bad in '{"shared_cloud_drives_list": [{"name": "X", "sync_type": "fast"}]}' \
           '{"shared_cloud_drives_list": [{"name": "X", "colour": "red"}]}' \
           '{"shared_cloud_drives_wait_timeout": "soon"}' \
           '{"shared_cloud_drives_list": "Creative"}'; do
    if provision bad -e "$bad"; then
        echo "accepted bad input: $bad"; exit 1
    fi
    grep -q "Validating arguments against arg spec" "$OUTPUT_DIR/bad.txt"
    check api-requests 0
done
echo "the role passed every fleet scenario"
