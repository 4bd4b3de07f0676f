#!/usr/bin/env bash
# Integration test of the role amove.click.shared_cloud_drives on a fleet of
# five emulated desktop agents sharing one account.
set -euo pipefail
source ../setup_click_emulator/files/emulator.sh
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
    check forget
    ansible-playbook amove.click.provision -i "$inventory" -f 5 -e "@$vars" -e @drives.yml "${TRANSPORT[@]}" "$@" | tee "$OUTPUT_DIR/$recap.txt"
}

# On both paths: the module on each desktop, and its work on the controller
# with each request through uri on the desktop.
for transport in module uri; do
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

    echo "== a fifth desktop joins: only it reports a change"
    provision joined
    check recap "$OUTPUT_DIR/joined.txt" desktop1=0 desktop2=0 desktop3=0 desktop4=0 desktop5=+
    check writes 0 0 0
    check synced "${PORTS[@]}"

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
    check status "${PORTS[2]}" 1

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
done
echo "the role passed every fleet scenario"
