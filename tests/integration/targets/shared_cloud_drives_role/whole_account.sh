# shellcheck shell=bash
# Sourced by runme.sh: the whole account in one run of the role, then settled,
# on each transport (whole_account_case INVENTORY, which uses runme.sh's provision and check).

# Fresh keys for this run, kept out of the command line (-e shows at -vvvv).
whole_account_keys="$OUTPUT_DIR/whole-account-keys.yml"
crew_access_key="AKIAWHOLE$RANDOM$RANDOM"
crew_secret_key="whole/secret+$RANDOM$RANDOM=$RANDOM"
printf 'crew_access_key: "%s"\ncrew_secret_key: "%s"\n' "$crew_access_key" "$crew_secret_key" >"$whole_account_keys"
# The account step of a settled run: the wait and the account task; on the controller path
# one execution per request (the wait, then the cloud accounts', groups', projects' and drives' listings).
declare -A WHOLE_ACCOUNT_STEP=([module]=2 [uri]=5 [win_uri]=5)

whole_account_case() {
    local inventory=$1 output
    echo "== the whole account in one run: a cloud account, a group, a project and a drive that names all three"
    reset_click_emulator
    check signin "${PORTS[1]}" alice@example.com
    provision whole --limit 'desktop1:desktop2' -e @whole_account.yml -e "@$whole_account_keys"
    check recap "$OUTPUT_DIR/whole.txt" desktop1=+ desktop2=+
    "$CLICK_PYTHON" whole_account.py "$CLICK_EMULATOR_URL" made "$crew_access_key" "$crew_secret_key"
    check received "${PORTS[1]}" "Crew Footage"

    echo "== the same run again: changed=0, nothing written, the per-desktop cost unchanged"
    provision whole-again --limit 'desktop1:desktop2' -e @whole_account.yml -e "@$whole_account_keys"
    check recap "$OUTPUT_DIR/whole-again.txt" desktop1=0 desktop2=0
    "$CLICK_PYTHON" whole_account.py "$CLICK_EMULATOR_URL" settled
    check executions "$inventory" 2 "${PER_DESKTOP[$transport]}" "${WHOLE_ACCOUNT_STEP[$transport]}"
    for output in "$OUTPUT_DIR/whole.txt" "$OUTPUT_DIR/whole-again.txt"; do
        if grep -n -F -e "$crew_access_key" -e "$crew_secret_key" "$output"; then
            echo "a key appears in $output"; exit 1
        fi
    done
}
