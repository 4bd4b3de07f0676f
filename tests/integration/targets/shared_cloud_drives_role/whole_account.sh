# shellcheck shell=bash
# Sourced by runme.sh: the whole account in one run of the role, then settled,
# with the account step on a desktop of each path (whole_account_case LEAD OTHER,
# which uses runme.sh's lead, provision, check and settled_executions).

# Fresh keys for this run, kept out of the command line (-e shows at -vvvv).
whole_account_keys="$OUTPUT_DIR/whole-account-keys.yml"
crew_access_key="AKIAWHOLE$RANDOM$RANDOM"
crew_secret_key="whole/secret+$RANDOM$RANDOM=$RANDOM"
printf 'crew_access_key: "%s"\ncrew_secret_key: "%s"\n' "$crew_access_key" "$crew_secret_key" >"$whole_account_keys"

# whole_account_case LEAD OTHER: desktopLEAD takes the account step, desktopOTHER's user receives the drive.
whole_account_case() {
    local other=$2 output
    lead "$1"
    echo "== the whole account in one run through desktop$LEAD (${TRANSPORTS[LEAD - 1]}): a cloud account, a group, a project and a drive that names all three"
    reset_click_emulator
    check signin "${PORTS[other - 1]}" alice@example.com
    provision whole --limit "desktop$LEAD:desktop$other" -e @whole_account.yml -e "@$whole_account_keys"
    check recap "$OUTPUT_DIR/whole.txt" "desktop$LEAD=+" "desktop$other=+"
    "$CLICK_PYTHON" whole_account.py "$CLICK_EMULATOR_URL" made "$crew_access_key" "$crew_secret_key"
    check received "${PORTS[other - 1]}" "Crew Footage"

    echo "== the same run again: changed=0, nothing written, the per-desktop cost unchanged"
    provision whole-again --limit "desktop$LEAD:desktop$other" -e @whole_account.yml -e "@$whole_account_keys"
    check recap "$OUTPUT_DIR/whole-again.txt" "desktop$LEAD=0" "desktop$other=0"
    "$CLICK_PYTHON" whole_account.py "$CLICK_EMULATOR_URL" settled
    # The account step of a settled run: the wait and the account task; on the controller path
    # one execution per request (the wait, then the cloud accounts', groups', projects' and drives' listings).
    settled_executions 2 5 "$LEAD" "$other"
    for output in "$OUTPUT_DIR/whole.txt" "$OUTPUT_DIR/whole-again.txt"; do
        if grep -n -F -e "$crew_access_key" -e "$crew_secret_key" "$output"; then
            echo "a key appears in $output"; exit 1
        fi
    done
}
