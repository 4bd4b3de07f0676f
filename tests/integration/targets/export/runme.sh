#!/usr/bin/env bash
# Taking over an account that exists: export it as the role's variables and prove the round trip,
# against the emulator seeded with a realistic account (the agency preset: four cloud accounts, groups
# with members, projects, 24 drives over three pages of 10) on three desktops, on the module path and
# the controller path (win_uri, through its contract double): export; provision --check changes nothing
# on any host; a second export is byte for byte the first; the files applied to an empty account with
# the same users rebuild it; and the records of every _info module go back into their module unchanged.
set -euo pipefail
source ../setup_click_emulator/files/emulator.sh
source ../setup_win_uri_double/files/win_uri_double.sh
CLICK_AGENTS=3 start_click_emulator --seed-preset agency --max-page-size 10
read -r -a PORTS <<<"$CLICK_EMULATOR_PORTS"

work="$OUTPUT_DIR/export"
vars="$OUTPUT_DIR/export-vars.yml"
printf 'shared_cloud_drives_token: %s\n' "$CLICK_TOKEN" >"$vars"

inventory() {  # inventory DIR PORT...: desktop1..N, one per agent
    local dir=$1 number=0 port
    shift
    mkdir -p "$dir"
    {
        echo '[desktops]'
        for port in "$@"; do
            number=$((number + 1))
            echo "desktop$number shared_cloud_drives_url=http://127.0.0.1:$port"
        done
        echo '[desktops:vars]'
        echo 'ansible_connection=local'
        echo "ansible_python_interpreter=$CLICK_PYTHON"
    } >"$dir/inventory.ini"
}

playbook() {  # playbook LOG ARGS...: ansible-playbook, its output kept in LOG
    local log=$1
    shift
    ansible-playbook "$@" "${TRANSPORT[@]}" >"$OUTPUT_DIR/$log.txt" 2>&1 || { cat "$OUTPUT_DIR/$log.txt"; return 1; }
}

check() { "$CLICK_PYTHON" check.py "$@"; }

for transport in module win_uri; do
    echo "==== amove_click_transport=$transport"
    use_transport "$transport"
    TRANSPORT=(-e "amove_click_transport=$transport")
    reset_click_emulator
    rm -rf "$work" && inventory "$work" "${PORTS[@]}"

    echo "== the desktops sync the account's drives, then each is tuned by hand, differently"
    playbook sync amove.click.provision -i "$work/inventory.ini" -e "@$vars"
    playbook tune tune.yml -i "$work/inventory.ini"

    echo "== export: one listing per kind (every page), one read per desktop"
    check forget "$CLICK_EMULATOR_URL"
    playbook export1 amove.click.export -i "$work/inventory.ini" -e "@$vars"
    check export-requests "$CLICK_EMULATOR_URL" 3
    check files "$work" desktop1 desktop2 desktop3
    cp -r "$work/group_vars" "$work/group_vars.first" && cp -r "$work/host_vars" "$work/host_vars.first"

    echo "== provision --check with the exported files changes nothing on any host, and writes nothing"
    check forget "$CLICK_EMULATOR_URL"
    playbook check amove.click.provision -i "$work/inventory.ini" -e "@$vars" --check --diff
    check recap "$OUTPUT_DIR/check.txt" desktop1 desktop2 desktop3
    check no-writes "$CLICK_EMULATOR_URL"

    echo "== a second export of the unchanged account is byte for byte the first"
    playbook export2 amove.click.export -i "$work/inventory.ini" -e "@$vars"
    diff -r "$work/group_vars.first" "$work/group_vars"
    diff -r "$work/host_vars.first" "$work/host_vars"
    check recap "$OUTPUT_DIR/export2.txt" desktop1 desktop2 desktop3

    echo "== only drives whose names start with Archive or Client"
    mkdir -p "$work/part" && cp "$work/inventory.ini" "$work/part/"
    playbook part amove.click.export -i "$work/part/inventory.ini" -e "@$vars" \
        -e '{"shared_cloud_drives_export_kinds": ["drives"], "shared_cloud_drives_export_names": ["Archive*", "Client*"]}'
    check part "$work/part" "Archive 2021" "Archive 2022" "Client Deliveries" "Client Uploads"

    echo "== the records of every _info module go back into their module unchanged"
    playbook feed feed_back.yml -i "$work/inventory.ini" -e "click_token=$CLICK_TOKEN"
done

echo "==== the exported files applied to an empty account with the same users rebuild it"
# A second emulator: the same users and desktops, no cloud account, group, project or drive.
# shellcheck disable=SC2034  # CLICK_AGENTS is read by start_click_emulator
# Both emulators are stopped at exit by the trap of emulator.sh (a trap here would replace it).
first_url=$CLICK_EMULATOR_URL
CLICK_AGENTS=3 start_click_emulator --seed-preset agency --max-page-size 10 --users-only --api-token "$CLICK_TOKEN"
read -r -a EMPTY <<<"$CLICK_EMULATOR_PORTS"
TRANSPORT=()
use_transport module
rebuilt="$OUTPUT_DIR/rebuilt"
rm -rf "$rebuilt" && inventory "$rebuilt" "${EMPTY[@]}"
cp -r "$work/group_vars.first" "$rebuilt/group_vars" && cp -r "$work/host_vars.first" "$rebuilt/host_vars"
# The keys the export names, as a user keeps them in a vault.
check keys "$rebuilt/group_vars" >"$OUTPUT_DIR/keys.yml"
playbook apply amove.click.provision -i "$rebuilt/inventory.ini" -e "@$vars" -e "@$OUTPUT_DIR/keys.yml"
mkdir -p "$rebuilt/again" && cp "$rebuilt/inventory.ini" "$rebuilt/again/"
playbook export3 amove.click.export -i "$rebuilt/again/inventory.ini" -e "@$vars"
check same "$work" "$rebuilt/again"
echo "first account at $first_url rebuilt at $CLICK_EMULATOR_URL"
