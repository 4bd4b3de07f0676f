#!/usr/bin/env bash
# AWX and execution environments: the provision playbook run through
# ansible-runner with the credential type's injected environment, and the
# execution environment definitions accepted by ansible-builder.
set -euo pipefail
source ../setup_click_emulator/files/emulator.sh
CLICK_AGENTS=6 start_click_emulator
read -r -a PORTS <<<"$CLICK_EMULATOR_PORTS"
urls=()
for port in "${PORTS[@]}"; do urls+=("http://127.0.0.1:$port"); done

"$CLICK_PYTHON" awx_job.py "$CLICK_COLLECTION_ROOT" "$OUTPUT_DIR/awx" "$CLICK_EMULATOR_URL" "$CLICK_TOKEN" "${urls[@]}"

# The workflow of docs/awx/workflow.yml: the account job, then three sliced sync
# jobs at once.
"$CLICK_PYTHON" awx_workflow.py "$CLICK_COLLECTION_ROOT" "$OUTPUT_DIR/awx" "$CLICK_EMULATOR_URL" "$CLICK_TOKEN" "${urls[@]}"

# The scheduled drift job of docs/awx/drift_job.yml: successful on the settled
# fleet, failed (so AWX notifies) once a desktop lost a drive.
"$CLICK_PYTHON" awx_drift.py "$CLICK_COLLECTION_ROOT" "$OUTPUT_DIR/awx" "$CLICK_EMULATOR_URL" "$CLICK_TOKEN" "${urls[@]}"

# ansible-builder accepts the example definition and writes a build context
# that installs the collection from the requirements file.
context="$OUTPUT_DIR/ee-context"
(cd "$CLICK_COLLECTION_ROOT/docs/awx" && ansible-builder create -f execution-environment.yml -c "$context" --output-filename Containerfile)
grep -q 'ansible-galaxy collection install' "$context/Containerfile"
grep -q 'amove.click' "$context/_build/requirements.yml"
grep -q "ansible.windows" "$context/_build/requirements.yml"

# The variant without Galaxy: rendered from the collection tarballs, its
# collection install step works offline.
"$CLICK_PYTHON" ee_offline.py "$CLICK_COLLECTION_ROOT" "$OUTPUT_DIR"

# The collection asks nothing of an execution environment beyond ansible-core.
ansible-builder introspect --sanitize "$ANSIBLE_COLLECTIONS_PATH" --user-pip /dev/null >"$OUTPUT_DIR/introspect.txt"
if ! grep -qx 'python: \[\]' "$OUTPUT_DIR/introspect.txt" || ! grep -qx 'system: \[\]' "$OUTPUT_DIR/introspect.txt"; then
    cat "$OUTPUT_DIR/introspect.txt"
    echo "amove.click asks for Python or system packages"; exit 1
fi
echo "ansible-builder accepted the execution environment definitions"
