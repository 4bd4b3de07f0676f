#!/usr/bin/env bash
# Integration test of amove.click.shared_cloud_drive_info against the Click API emulator.
set -euo pipefail
source ../setup_click_emulator/files/emulator.sh
start_click_emulator --max-page-size 3
ansible-playbook -i "$INVENTORY_PATH" -e click_url="$CLICK_EMULATOR_URL" -e click_token="$CLICK_TOKEN" main.yml "$@"
