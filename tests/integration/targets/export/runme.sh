#!/usr/bin/env bash
# Taking over an account that exists: export it as the role's variables and prove the round trip,
# against the emulator seeded with a realistic account (the agency preset: four cloud accounts, groups
# with members, projects, 24 drives over three pages of 10) on three desktops, one fleet on both paths:
# desktop1 and desktop3 run the modules, desktop2 runs their work on the controller through win_uri (its
# contract double); the account steps are taken by desktop1 or desktop2 in turn, so that each path reads
# and writes the account. Export; provision --check changes nothing on any host; a second export, read
# through the other path, says the same; the files applied to an empty account with the same users
# rebuild it; and the records of every _info module go back into their module unchanged (here in a
# playbook; on every path in tests/unit/engine/test_info_records_on_every_path.py).
set -euo pipefail
source ../setup_click_emulator/files/emulator.sh
source ../setup_win_uri_double/files/win_uri_double.sh
CLICK_AGENTS=3 start_click_emulator --seed-preset agency --max-page-size 10
read -r -a PORTS <<<"$CLICK_EMULATOR_PORTS"
# The path of desktop1..3. The double shadows ansible.windows for the whole run.
TRANSPORTS=(module win_uri module)
use_transport win_uri

work="$OUTPUT_DIR/export"
vars="$OUTPUT_DIR/export-vars.yml"
printf 'shared_cloud_drives_token: %s\n' "$CLICK_TOKEN" >"$vars"

check() { "$CLICK_PYTHON" check.py "$@"; }

# inventory DIR LEAD PORT...: DIR/inventory.ini, desktop1..N on the paths of TRANSPORTS, desktopLEAD first (it takes
# the account step); the variables files an export writes go beside it.
inventory() {
    local dir=$1 lead=$2 number agents=()
    shift 2
    for number in $(seq "$#"); do agents+=("${!number}:${TRANSPORTS[number - 1]}"); done
    mkdir -p "$dir"
    check inventory "$dir/inventory.ini" "$lead" "${agents[@]}"
}

playbook() {  # playbook LOG ARGS...: ansible-playbook, its output kept in LOG
    local log=$1
    shift
    ansible-playbook "$@" >"$OUTPUT_DIR/$log.txt" 2>&1 || { cat "$OUTPUT_DIR/$log.txt"; return 1; }
}

echo "== the desktops sync the account's drives, then each is tuned by hand, differently"
inventory "$work" 1 "${PORTS[@]}"
playbook sync amove.click.provision -i "$work/inventory.ini" -e "@$vars"
playbook tune tune.yml -i "$work/inventory.ini"

echo "== export through desktop1 (module): one listing per kind (every page), one read per desktop"
check forget "$CLICK_EMULATOR_URL"
playbook export1 amove.click.export -i "$work/inventory.ini" -e "@$vars"
check export-requests "$CLICK_EMULATOR_URL" 3
check files "$work" desktop1 desktop2 desktop3
first="$OUTPUT_DIR/export-first"
rm -rf "$first" && mkdir "$first" && cp -r "$work/group_vars" "$work/host_vars" "$first/"

echo "== only drives whose names start with Archive or Client"
mkdir -p "$work/part" && cp "$work/inventory.ini" "$work/part/"
playbook part amove.click.export -i "$work/part/inventory.ini" -e "@$vars" \
    -e '{"shared_cloud_drives_export_kinds": ["drives"], "shared_cloud_drives_export_names": ["Archive*", "Client*"]}'
check part "$work/part" "Archive 2021" "Archive 2022" "Client Deliveries" "Client Uploads"

echo "== the records of every _info module go back into their module unchanged"
playbook feed feed_back.yml -i "$work/inventory.ini" -e "click_token=$CLICK_TOKEN"

echo "== provision --check with the exported files, its account step through desktop2 (win_uri), changes nothing on any host, and writes nothing"
inventory "$work" 2 "${PORTS[@]}"
check forget "$CLICK_EMULATOR_URL"
playbook check amove.click.provision -i "$work/inventory.ini" -e "@$vars" --check --diff
check recap "$OUTPUT_DIR/check.txt" desktop1 desktop2 desktop3
check no-writes "$CLICK_EMULATOR_URL"

echo "== a second export of the unchanged account, through desktop2 (win_uri), is the first, but for the agent it names"
check forget "$CLICK_EMULATOR_URL"
playbook export2 amove.click.export -i "$work/inventory.ini" -e "@$vars"
check export-requests "$CLICK_EMULATOR_URL" 3
diff -r "$first/host_vars" "$work/host_vars"
check same "$first" "$work"
# desktop2's one change: the account's file, whose header now names desktop2's agent.
check recap "$OUTPUT_DIR/export2.txt" desktop1 desktop2=1 desktop3
grep -A1 -F 'Write the account, with the drive settings every desktop shares]' "$OUTPUT_DIR/export2.txt" | grep -q -x -F 'changed: [desktop2 -> localhost]' \
    || { cat "$OUTPUT_DIR/export2.txt"; echo "the second export changed more than the account file's header"; exit 1; }

echo "==== the exported files applied through desktop2 (win_uri) to an empty account with the same users rebuild it"
# A second emulator: the same users and desktops, no cloud account, group, project or drive.
# shellcheck disable=SC2034  # CLICK_AGENTS is read by start_click_emulator
# Both emulators are stopped at exit by the trap of emulator.sh (a trap here would replace it).
first_url=$CLICK_EMULATOR_URL
CLICK_AGENTS=3 start_click_emulator --seed-preset agency --max-page-size 10 --users-only --api-token "$CLICK_TOKEN"
read -r -a EMPTY <<<"$CLICK_EMULATOR_PORTS"
rebuilt="$OUTPUT_DIR/rebuilt"
rm -rf "$rebuilt" && inventory "$rebuilt" 2 "${EMPTY[@]}"
cp -r "$first/group_vars" "$first/host_vars" "$rebuilt/"
# The keys the export names, as a user keeps them in a vault.
check keys "$rebuilt/group_vars" >"$OUTPUT_DIR/keys.yml"
playbook apply amove.click.provision -i "$rebuilt/inventory.ini" -e "@$vars" -e "@$OUTPUT_DIR/keys.yml"
mkdir -p "$rebuilt/again" && inventory "$rebuilt/again" 1 "${EMPTY[@]}"
playbook export3 amove.click.export -i "$rebuilt/again/inventory.ini" -e "@$vars"
check same "$work" "$rebuilt/again"
echo "first account at $first_url rebuilt at $CLICK_EMULATOR_URL"
