#!/usr/bin/env bash
# Integration test of the role amove.click.shared_cloud_drives on a fleet of
# five emulated desktop agents sharing one account, whose desktops are on the
# three paths at once: the module on the desktop (amove_click_transport=module),
# and its work on the controller with each request through uri on the desktop
# (=uri) or through the contract double of ansible.windows.win_uri (=win_uri).
# Every scenario runs once on that mixed fleet; the desktop that takes the
# account step (the play's first) changes from one scenario to another, so that
# each path takes it.
set -euo pipefail
source ../setup_click_emulator/files/emulator.sh
source ../setup_win_uri_double/files/win_uri_double.sh
CLICK_AGENTS=5 start_click_emulator
read -r -a PORTS <<<"$CLICK_EMULATOR_PORTS"
# The path of desktop1..5. The double shadows ansible.windows for the whole run.
TRANSPORTS=(module uri win_uri win_uri module)
use_transport win_uri

check() { "$CLICK_PYTHON" fleet.py "$CLICK_EMULATOR_URL" "$@"; }
inventory="$OUTPUT_DIR/fleet.ini"
# lead N: desktopN comes first in the inventory, so it takes the account step.
lead() {
    local number agents=()
    LEAD=$1
    for number in "${!PORTS[@]}"; do agents+=("${PORTS[$number]}:${TRANSPORTS[$number]}"); done
    check inventory "$inventory" "$LEAD" "${agents[@]}"
}
lead 1
vars="$OUTPUT_DIR/fleet-vars.yml"
printf 'shared_cloud_drives_token: %s\n' "$CLICK_TOKEN" >"$vars"

# Runs the collection's provision playbook with forks equal to the fleet size.
provision() {
    local recap="$1"
    shift
    check forget "$inventory"
    ansible-playbook amove.click.provision -i "$inventory" -f 5 -e "@$vars" -e @drives.yml "$@" \
        | tee "$OUTPUT_DIR/$recap.txt"
}

# The remote executions of a settled run: each desktop's agent task (one on the module path, one per
# request on the controller path: status, list, sync, list), and the account step on the lead desktop.
declare -A PER_DESKTOP=([module]=1 [uri]=4 [win_uri]=4)
# settled_executions MODULE_STEP CONTROLLER_STEP NUMBER...: exactly these desktops ran that, the lead desktop
# its account step too (MODULE_STEP executions on the module path, CONTROLLER_STEP on the controller path:
# one per request).
settled_executions() {
    local module_step=$1 controller_step=$2 number transport count expected=()
    shift 2
    for number in "$@"; do
        transport=${TRANSPORTS[number - 1]}
        count=${PER_DESKTOP[$transport]}
        if ((number == LEAD)); then
            if [[ $transport == module ]]; then
                count=$((count + module_step))
            else
                count=$((count + controller_step))
            fi
        fi
        expected+=("desktop$number=$count")
    done
    check executions "$inventory" "${expected[@]}"
}
source whole_account.sh

for case in "1 2" "2 3" "3 1"; do
    # shellcheck disable=SC2086  # two numbers: the lead desktop and the desktop that receives the drive
    whole_account_case $case
done

lead 2
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
# desktop, and on the lead desktop (uri) the wait and the account step's one
# listing (run_once). On the controller path each of the agent task's 4
# requests is one execution.
settled_executions 2 2 1 2 3 4
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

lead 3
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

lead 1
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

lead 2
echo "== bad desktop settings in the list (a bad letter, a bad size, two drives on one letter) fail the play before the account step asks anything"
# A new group and a new drive beside them, which a late check would have written.
if provision bad-desktop -e '{"shared_cloud_drives_groups": [{"name": "Rigging", "members": ["alice@example.com"]}], "shared_cloud_drives_list": [{"name": "Creative", "desktop": {"drive_letter": "ZZ:"}}, {"name": "Footage", "desktop": {"drive_letter": "r:"}}, {"name": "Reels"}, {"name": "Stills", "cloud_account": "Demo S3", "storage_name": "stills-bucket", "desktop": {"max_cache_size": "10 B", "drive_letter": "R"}}]}'; then
    echo "the play should have failed"; exit 1
fi
for problem in "drives\[0\] \\(Creative\\).desktop.drive_letter must be one letter C to Z, such as G or g:, got 'ZZ:'" \
               "drives\[3\] \\(Stills\\).desktop.max_cache_size must be .*; got '10 B': it is less than 5 MB" \
               "drives\[3\] \\(Stills\\).desktop and drives\[1\] \\(Footage\\).desktop both ask for drive letter R"; do
    grep -q -E "^fatal: \[desktop$LEAD\]: .*$problem" "$OUTPUT_DIR/bad-desktop.txt" || { echo "not named: $problem"; exit 1; }
done
check recap "$OUTPUT_DIR/bad-desktop.txt" "desktop$LEAD=F"
check account-requests 0
check api-writes 0
check drives Creative Footage Reels
check groups Editors=alice@example.com Viewers=bob@example.com

lead 3
echo "== unknown names (a group's member, a drive's cloud account) fail the play before any write, naming each; no desktop syncs"
if provision bad-account -e '{"shared_cloud_drives_groups": [{"name": "Rigging", "members": ["alice@example.com"]}, {"name": "Sound", "members": ["carol@example.com"]}], "shared_cloud_drives_list": [{"name": "Creative"}, {"name": "Footage"}, {"name": "Reels"}, {"name": "Nowhere", "cloud_account": "No such account", "storage_name": "x"}]}'; then
    echo "the play should have failed"; exit 1
fi
for problem in "groups\[1\] \\(Sound\\): members: no user is named 'carol@example.com'" \
               "drives\[3\] \\(Nowhere\\): cloud_account: no cloud account is named 'No such account'"; do
    grep -q -E "^fatal: \[desktop$LEAD\]: .*$problem" "$OUTPUT_DIR/bad-account.txt" || { echo "not named: $problem"; exit 1; }
done
check recap "$OUTPUT_DIR/bad-account.txt" "desktop$LEAD=F"
check api-writes 0
check groups Editors=alice@example.com Viewers=bob@example.com

lead 1
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

echo "== drives on each desktop: per-drive settings (desktop:) and a host's own (shared_cloud_drives_desktop_drives)"
# desktop2 is an editing workstation: a bigger cache on Creative, and a letter for Clips.
mkdir -p "$OUTPUT_DIR/host_vars"
printf 'shared_cloud_drives_desktop_drives:\n  Creative: {max_cache_size: 50 GB}\n  Clips: {drive_letter: "s:"}\n' \
    >"$OUTPUT_DIR/host_vars/desktop2.yml"
tuned='{"shared_cloud_drives_list": [{"name": "Creative", "desktop": {"drive_letter": "R", "max_cache_size": "200 GB"}}, {"name": "Footage", "desktop": {"sync_interval": 300, "cache_encrypted": true}}, {"name": "Reels"}, {"name": "Clips"}]}'
provision tuned -e "$tuned"
check recap "$OUTPUT_DIR/tuned.txt" desktop1=1 desktop2=1 desktop3=1 desktop4=1 desktop5=1
check writes 0 0 0
check local "${PORTS[0]}" Creative driveName='"R"' maximumCacheSize=214748364800
check local "${PORTS[0]}" Footage syncIntervalSeconds=300 localCacheEncrypted=true
check local "${PORTS[1]}" Creative driveName='"R"' maximumCacheSize=53687091200
check local "${PORTS[1]}" Clips driveName='"S"'
grep -q '"desktop2": "4 of the 4 listed drives on this desktop: Clips, Creative, Footage, Reels; settings changed: Clips (drive_letter), Creative (drive_letter, max_cache_size), Footage (cache_encrypted, sync_interval)"' "$OUTPUT_DIR/tuned.txt"

echo "== the same settings again: changed=0, one remote execution per desktop, no request beyond the sync's own"
provision tuned-again -e "$tuned"
check recap "$OUTPUT_DIR/tuned-again.txt" desktop1=0 desktop2=0 desktop3=0 desktop4=0 desktop5=0
settled_executions 2 2 1 2 3 4 5
# Each desktop's status, list, sync and list; the account step's wait and listing. No settings request.
check api-requests $((5 * 4 + 2))
grep -q '"desktop1": "4 of the 4 listed drives on this desktop: Clips, Creative, Footage, Reels; settings unchanged"' "$OUTPUT_DIR/tuned-again.txt"

echo "== syncs that reset local settings: the next run puts them back, and a run after that is changed=0"
for port in "${PORTS[@]}"; do check desktop "$port" '{"resetOnSync": true}'; done
provision reset -e "$tuned"
check recap "$OUTPUT_DIR/reset.txt" desktop1=1 desktop2=1 desktop3=1 desktop4=1 desktop5=1
check local "${PORTS[1]}" Creative driveName='"R"' maximumCacheSize=53687091200
check local "${PORTS[1]}" Clips driveName='"S"'
check local "${PORTS[4]}" Footage syncIntervalSeconds=300 localCacheEncrypted=true
for port in "${PORTS[@]}"; do check desktop "$port" '{"resetOnSync": false}'; done
provision reset-after -e "$tuned"
check recap "$OUTPUT_DIR/reset-after.txt" desktop1=0 desktop2=0 desktop3=0 desktop4=0 desktop5=0

echo "== a macOS desktop given a letter fails alone, naming it"
# Its sync mounts the drives afresh, as a Mac's agent does: without letters.
check desktop "${PORTS[2]}" '{"platform": "macos", "resetOnSync": true}'
if provision mac -e "$tuned"; then
    echo "the play should have failed for desktop3"; exit 1
fi
check recap "$OUTPUT_DIR/mac.txt" desktop1=0 desktop2=0 desktop3=F desktop4=0 desktop5=0
grep -q "drive 'Creative': the agent did not keep drive_letter 'R' (it has '')" "$OUTPUT_DIR/mac.txt"
check desktop "${PORTS[2]}" '{"platform": "windows", "resetOnSync": false}'

echo "== one desktop's own settings put two drives on one letter: it fails alone before any write to it, the others are provisioned, and --diff shows their settings before and after"
printf 'shared_cloud_drives_desktop_drives:\n  Footage: {drive_letter: "r"}\n' >"$OUTPUT_DIR/host_vars/desktop4.yml"
if provision clash -e "${tuned/200 GB/300 GB}" --diff; then
    echo "the play should have failed for desktop4"; exit 1
fi
grep -q -E "^fatal: \[desktop4\]: FAILED! .*desktop_drives\['Footage'\] and desktop_drives\['Creative'\] both ask for drive letter R" "$OUTPUT_DIR/clash.txt" \
    || { echo "desktop4 did not fail on the letter its settings ask twice"; exit 1; }
# desktop2 keeps its own 50 GB; desktop3 gets back the letters its macOS sync took.
check recap "$OUTPUT_DIR/clash.txt" desktop1=1 desktop2=0 desktop3=1 desktop4=F desktop5=1
check api-writes 0 "${PORTS[3]}"
check local "${PORTS[3]}" Creative maximumCacheSize=214748364800
check synced "${PORTS[0]}" "${PORTS[1]}" "${PORTS[2]}" "${PORTS[4]}"
check local "${PORTS[4]}" Creative driveName='"R"' maximumCacheSize=322122547200
check local "${PORTS[1]}" Creative driveName='"R"' maximumCacheSize=53687091200
grep -A12 -F -- '--- before: desktop drive Creative' "$OUTPUT_DIR/clash.txt" >"$OUTPUT_DIR/clash-diff.txt"
if ! grep -q -E '^-    "max_cache_size": 214748364800$' "$OUTPUT_DIR/clash-diff.txt" \
        || ! grep -q -E '^\+    "max_cache_size": 322122547200$' "$OUTPUT_DIR/clash-diff.txt"; then
    echo "--diff does not show the cache size before and after"; exit 1
fi
rm -r "$OUTPUT_DIR/host_vars"

lead 2
echo "== an account step whose second insert is refused fails as a change, saying what it made, and no desktop syncs"
check refuse /sharedclouddrive/insert 1
if provision refused -e '{"shared_cloud_drives_list": [{"name": "Creative"}, {"name": "Spare", "cloud_account": "Demo S3", "storage_name": "spare-bucket"}, {"name": "Refused", "cloud_account": "Demo S3", "storage_name": "refused-bucket"}]}'; then
    echo "the play should have failed"; exit 1
fi
grep -q "drives\[2\] (Refused): POST /sharedclouddrive/insert: HTTP 499; done before this failure: created 'Spare' (id " "$OUTPUT_DIR/refused.txt"
grep -q '"Spare": "created"' "$OUTPUT_DIR/refused.txt"
grep -q '"Refused": "failed"' "$OUTPUT_DIR/refused.txt"
check recap "$OUTPUT_DIR/refused.txt" "desktop$LEAD=F"
grep -q -E "^desktop$LEAD +: ok=[0-9]+ +changed=1 +unreachable=0 +failed=1 " "$OUTPUT_DIR/refused.txt" \
    || { echo "the recap does not count the account step's change"; exit 1; }
check writes 2 0 0
check synced
check drives Clips Creative Footage Reels Spare

lead 3
echo "== a group and a drive that names it, in check mode with --diff: it passes, writes nothing, and says what the real run will do"
reset_click_emulator
check signin "${PORTS[1]}" alice@example.com
check signin "${PORTS[2]}" bob@example.com
provision groups-check --limit 'desktop1:desktop2:desktop3' -e @groups.yml --check --diff
check recap "$OUTPUT_DIR/groups-check.txt" desktop1=0 desktop2=0 desktop3=1
check api-writes 0
check groups Editors=alice@example.com Viewers=bob@example.com
check drives
grep -q '"desktop2": "not synced (check mode); 0 of the 1 listed drives on this desktop: none; not in the account yet (this run creates them): Crew Drive"' \
    "$OUTPUT_DIR/groups-check.txt" || { echo "the check run's summary does not say the drive is made by this run"; exit 1; }

echo "== the same for real: the member's desktop receives the drive, as the check run's diff said"
provision groups --limit 'desktop1:desktop2:desktop3' -e @groups.yml --diff
check same-plan "$OUTPUT_DIR/groups-check.txt" "$OUTPUT_DIR/groups.txt"
# desktop3 took the account step; desktop1's user is the admin, who reaches every drive.
check recap "$OUTPUT_DIR/groups.txt" desktop1=1 desktop2=1 desktop3=+
check groups Crew=alice@example.com Editors=alice@example.com Viewers=bob@example.com
check group-writes 2
check writes 1 0 0
check received "${PORTS[1]}" "Crew Drive"
check received "${PORTS[2]}"
grep -q '"desktop3": "0 of the 1 listed drives on this desktop: none; not for its user: Crew Drive"' "$OUTPUT_DIR/groups.txt"

echo "== the same run again: nothing changes, and the groups cost no execution of their own (one account step for groups and drives)"
provision groups-again --limit 'desktop1:desktop2:desktop3' -e @groups.yml
check recap "$OUTPUT_DIR/groups-again.txt" desktop1=0 desktop2=0 desktop3=0
check group-writes 0
check writes 0 0 0
# The account step of a settled run with groups: the wait and the account task; on the
# controller path one execution per request (the wait, the groups' and the drives' listings).
settled_executions 2 3 1 2 3

echo "== a group list that fails after one write (its first group made): a change, what became of each group and drive, and what was done"
check refuse /usergroup/insert 1
if provision groups-refused --limit 'desktop1:desktop2:desktop3' -e '{"shared_cloud_drives_groups": [{"name": "Rigging"}, {"name": "Sound"}], "shared_cloud_drives_list": [{"name": "Crew Drive"}, {"name": "Sound Drive", "cloud_account": "Demo S3", "storage_name": "sound-bucket", "groups": [{"name": "Sound"}]}]}'; then
    echo "the play should have failed"; exit 1
fi
grep -q -E "^fatal: \[desktop$LEAD\]: FAILED! => \{\"changed\": false, \"msg\": \"groups\[1\] \(Sound\): POST /usergroup/insert: HTTP 499; done before this failure: created user group 'Rigging' \(id [0-9a-f-]+\); not reached: shared cloud drive 'Crew Drive', shared cloud drive 'Sound Drive'\"\}$" \
    "$OUTPUT_DIR/groups-refused.txt" || { echo "the play's failure does not say what was done"; exit 1; }
grep -A14 -F 'Show what the account step did before it failed' "$OUTPUT_DIR/groups-refused.txt" \
    | tr -d ' \n' | grep -q '"msg":{"cloud_accounts":{},"projects":{},"shared_cloud_drives":{"CrewDrive":"not_reached","SoundDrive":"not_reached"},"user_groups":{"Rigging":"created","Sound":"failed"}}' \
    || { echo "the outcome of each group and drive is not shown"; exit 1; }
grep -q -E "^desktop$LEAD +: ok=[0-9]+ +changed=1 +unreachable=0 +failed=1 +skipped=[0-9]+ +rescued=1 " "$OUTPUT_DIR/groups-refused.txt" \
    || { echo "the recap does not count the account step's change"; exit 1; }
check group-writes 2
check writes 0 0 0
check synced
check groups Crew=alice@example.com Editors=alice@example.com Rigging= Viewers=bob@example.com
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
