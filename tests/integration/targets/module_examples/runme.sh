#!/usr/bin/env bash
# Every EXAMPLES block of the collection's modules runs as written against the emulator.
set -euo pipefail
source ../setup_click_emulator/files/emulator.sh
# As a user would: the emulator's own default seed carries the users, groups,
# project and cloud account the examples name.
start_click_emulator

vars_file="$OUTPUT_DIR/click-vars.yml"
printf 'click_url: %s\namove_click_token: %s\namove_click_username: admin@example.com\namove_click_password: admin-password\n' \
    "$CLICK_EMULATOR_URL" "$CLICK_TOKEN" >"$vars_file"

"$CLICK_PYTHON" run_examples.py "$CLICK_COLLECTION_ROOT" "$OUTPUT_DIR/examples.yml"
ansible-playbook -i "$INVENTORY_PATH" -e click_vars_file="$vars_file" "$OUTPUT_DIR/examples.yml" "$@"

# What the examples say they do is what the agent now holds.
"$CLICK_PYTHON" - "$CLICK_EMULATOR_URL" <<'PY'
import json, sys, urllib.request
state = json.load(urllib.request.urlopen(sys.argv[1] + '/_emulator/state'))
drives = dict((d['name'], d) for d in state['shared_cloud_drives'] if not d['deleted'])
live = sorted(drives)
deleted = sorted(d['name'] for d in state['shared_cloud_drives'] if d['deleted'])
# The set module's purge example keeps exactly Creative and Footage.
assert live == ['Creative', 'Footage'], live
assert deleted == ['Archive', 'Creative Team', 'Design Work'], deleted
# The user_group examples made Design Team, renamed it Designers, and deleted it with the grant it gave.
user_groups = state['user_groups']
assert [g['name'] for g in user_groups if not g['deleted']] == ['Editors', 'Viewers'], user_groups
designers = [g for g in user_groups if g['deleted']]
assert [(g['name'], g['members']) for g in designers] == [('Designers', ['bob@example.com'])], designers
assert not [p for p in state['group_permissions'] if p['userGroupId'] == designers[0]['id']], state['group_permissions']
assert drives['Creative']['storageName'] == 'creative-bucket', drives['Creative']
groups = [p for p in state['group_permissions'] if p['sharedCloudDriveId'] == drives['Creative']['id']]
assert [p['permissionType'] for p in groups] == [2], groups
assert state['sessions']['count'] == 0, state['sessions']
print('examples left', live, 'and deleted', deleted)
PY

# The README's playbook, as written, with the connection from the environment:
# the first run creates the drive, the second reports ok.
"$CLICK_PYTHON" - "$CLICK_COLLECTION_ROOT/README.md" "$OUTPUT_DIR/readme.yml" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
section = text.split('## A first drive', 1)[1]
playbook = re.search(r'```yaml\n(.*?)```', section, re.S).group(1)
open(sys.argv[2], 'w').write(playbook)
PY
for run in first second; do
    AMOVE_CLICK_URL="$CLICK_EMULATOR_URL" AMOVE_CLICK_TOKEN="$CLICK_TOKEN" \
        ansible-playbook -i "$INVENTORY_PATH" "$OUTPUT_DIR/readme.yml" | tee "$OUTPUT_DIR/readme-$run.txt"
done
# as the README shows them
grep -Eq 'localhost +: ok=1 +changed=1 ' "$OUTPUT_DIR/readme-first.txt"
grep -Eq 'localhost +: ok=1 +changed=0 ' "$OUTPUT_DIR/readme-second.txt"
echo "the README playbook changed once, then reported ok"
