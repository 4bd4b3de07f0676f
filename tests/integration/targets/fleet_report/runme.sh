#!/usr/bin/env bash
# Integration test of the playbook amove.click.report on a fleet of three
# emulated desktops, on the module path and the controller path (win_uri, through
# its contract double, as Windows desktops are read): a settled
# fleet reports nothing to do, at one remote execution per desktop on the module
# path; then one desktop's drive letter is changed by hand, one desktop loses a
# drive, and one drive reports files in error: fleet.json and junit.xml say
# exactly that, nothing is written to any agent, amove_click_fail_on_drift fails
# the play only when something drifted, and the page, rendered in headless
# Chromium, shows it to a person.
set -euo pipefail
source ../setup_click_emulator/files/emulator.sh
source ../setup_win_uri_double/files/win_uri_double.sh
CLICK_AGENTS=3 start_click_emulator
read -r -a PORTS <<<"$CLICK_EMULATOR_PORTS"

check() { "$CLICK_PYTHON" fleet_check.py "$CLICK_EMULATOR_URL" "$@"; }
inventory="$OUTPUT_DIR/fleet.ini"
check inventory "$inventory" "${PORTS[@]}"
vars="$OUTPUT_DIR/fleet-vars.yml"
printf 'shared_cloud_drives_token: %s\n' "$CLICK_TOKEN" >"$vars"
schema="$CLICK_COLLECTION_ROOT/docs/fleet_report.schema.json"
# What a run leaves for a person to look at: the last report and the pictures of its page.
keep="${JUNIT_OUTPUT_DIR:-$OUTPUT_DIR}/../data/fleet_report"
mkdir -p "$keep"

playbook() {
    local name="$1" playbook="$2"
    shift 2
    ansible-playbook "$playbook" -i "$inventory" -f 3 -e "@$vars" -e @drives.yml -e "amove_click_transport=$transport" "$@" \
        >"$OUTPUT_DIR/$name.txt" 2>&1
}

# The report into $OUTPUT_DIR/NAME; the play's exit status is the function's.
report() {
    local name="$1"
    shift
    check forget "$inventory"
    rm -rf "${OUTPUT_DIR:?}/$name"
    playbook "$name" amove.click.report -e "amove_click_report_dir=$OUTPUT_DIR/$name" "$@"
}

settle() {
    playbook "$1" amove.click.provision || { cat "$OUTPUT_DIR/$1.txt"; exit 1; }
}

# Per desktop: one execution on the module path; on the controller path one per
# request: status, drive list, and two drive reports for each drive it has
# (three; two on the desktop that lost one).
declare -A PER_DESKTOP=([module]=1 [win_uri]=8)
declare -A SHORT_OF_A_DRIVE=([module]=1 [win_uri]=6)
for transport in module win_uri; do
    use_transport "$transport"
    echo "==== amove_click_transport=$transport"
    reset_click_emulator
    settle provision

    echo "== a settled fleet: nothing to report, the play passes with amove_click_fail_on_drift, nothing is written"
    report settled -e amove_click_fail_on_drift=true || { cat "$OUTPUT_DIR/settled.txt"; exit 1; }
    check report "$OUTPUT_DIR/settled" "$schema"
    check reads-only
    check executions "$inventory" "${PER_DESKTOP[$transport]}"
    grep -q '3 desktops: 3 in sync, 0 drifted, 0 with unhealthy drives, 0 not read; account: in sync' "$OUTPUT_DIR/settled.txt"

    echo "== a letter changed by hand, a drive gone from a desktop, a drive with files in error"
    check letter "${PORTS[0]}" Creative Q
    check unmount "${PORTS[1]}" Footage
    check health "${PORTS[2]}" '{"Footage": {"filesNormal": 5, "filesWithErrors": 2}}'
    found='3 desktops: 0 in sync, 2 drifted, 1 with unhealthy drives, 0 not read; account: in sync; drifted: desktop1, desktop2; unhealthy drives on: desktop3'
    if [[ $transport == module ]]; then
        echo "   with amove_click_fail_on_drift: the play fails, after writing the report"
        if report drifted -e amove_click_fail_on_drift=true; then
            cat "$OUTPUT_DIR/drifted.txt"
            echo "amove_click_fail_on_drift did not fail the play"; exit 1
        fi
        grep -q "drift: $found" "$OUTPUT_DIR/drifted.txt" || { cat "$OUTPUT_DIR/drifted.txt"; exit 1; }
    else
        echo "   without amove_click_fail_on_drift: the same is reported, and the play passes"
        report drifted || { cat "$OUTPUT_DIR/drifted.txt"; exit 1; }
        grep -q "$found" "$OUTPUT_DIR/drifted.txt"
    fi
    check report "$OUTPUT_DIR/drifted" "$schema" desktop1=drift desktop2=drift desktop3=unhealthy \
        desktop1/Creative=drift:drive_letter:Q:R desktop2/Footage=missing desktop3/Footage=unhealthy
    check reads-only
    check executions "$inventory" "${PER_DESKTOP[$transport]}" "desktop2=${SHORT_OF_A_DRIVE[$transport]}"
    if grep -rq "$CLICK_TOKEN" "$OUTPUT_DIR/drifted" "$OUTPUT_DIR/drifted.txt"; then
        echo "the token appears in the report or the play's output"; exit 1
    fi
done
use_transport module  # the real ansible.windows, and this collection first on the path, from here on

echo "== the page, rendered in headless Chromium, shows it"
cp "$OUTPUT_DIR/drifted/"* "$keep/"
"$CLICK_PYTHON" page_check.py fleet "$OUTPUT_DIR/drifted/index.html" "$keep" \
    count:desktops=3 count:in_sync=0 count:drifted=2 count:unhealthy=1 count:not_read=0 \
    count:missing_drives=1 count:drifted_drives=1 count:unhealthy_drives=1 count:account_changes=0 \
    row:desktop1=drift row:desktop2=drift row:desktop3=unhealthy \
    'cell:desktop1/Creative=Q: → R: ●' 'cell:desktop2/Footage=missing' 'cell:desktop3/Footage=S: ✖' \
    'details:desktop1=Creative: drive letter is Q:, provision sets R:' \
    'details:desktop2=Footage: not on this desktop: a sync brings it when its user may reach it' \
    'details:desktop3=2 files could not sync'
"$CLICK_PYTHON" page_check.py scale "$keep" "${ANSIBLE_COLLECTIONS_PATH%%:*}"

transport=module
echo "== health is not drift: a fleet whose only fault is a drive in error passes amove_click_fail_on_drift"
settle resettle
report unhealthy-only -e amove_click_fail_on_drift=true || { cat "$OUTPUT_DIR/unhealthy-only.txt"; exit 1; }
check report "$OUTPUT_DIR/unhealthy-only" "$schema" desktop3=unhealthy desktop3/Footage=unhealthy
if report unhealthy-fails -e amove_click_fail_on_unhealthy=true; then
    echo "amove_click_fail_on_unhealthy did not fail the play"; exit 1
fi
grep -q 'unhealthy drives on desktop3' "$OUTPUT_DIR/unhealthy-fails.txt"

echo "== a desktop whose agent does not start is reported as not read, which amove_click_fail_on_drift fails"
check health "${PORTS[2]}" '{}'
check status "${PORTS[1]}" 4
if report paused -e shared_cloud_drives_wait_timeout=1 -e amove_click_fail_on_drift=true; then
    echo "a desktop that was not read did not fail the play with amove_click_fail_on_drift"; exit 1
fi
check report "$OUTPUT_DIR/paused" "$schema" desktop2=failed
grep -q '3 desktops: 2 in sync, 0 drifted, 0 with unhealthy drives, 1 not read; account: in sync; not read: desktop2' "$OUTPUT_DIR/paused.txt"
grep -Eq '^desktop2 +: .* failed=0 .* rescued=1 ' "$OUTPUT_DIR/paused.txt"
echo "== bad input, or no directory for the report: the play fails before any request, and writes nothing"
if report bad -e '{"shared_cloud_drives_wait_timeout": "soon"}'; then
    echo "bad role input was accepted"; exit 1
fi
grep -q "Validation of arguments failed" "$OUTPUT_DIR/bad.txt"
check no-requests
[[ ! -e $OUTPUT_DIR/bad ]] || { echo "a report was written from bad input"; exit 1; }
check forget "$inventory"
if playbook no-dir amove.click.report; then
    echo "a report without amove_click_report_dir was accepted"; exit 1
fi
grep -q 'set the directory to write the report into, such as -e amove_click_report_dir=fleet-report' "$OUTPUT_DIR/no-dir.txt"
check no-requests
echo "the report told every fleet as it is"
