#!/usr/bin/env bash
# The docs run as written, on both paths: every module's EXAMPLES against a
# bare emulator of its own, and the playbooks of README.md, roles/*/README.md
# and docs/docsite/rst/*.rst in order, one bare emulator per document, with only
# the environment variables the README names (see run_docs.py). The controller
# path runs as a Windows desktop's does, each request through win_uri (its
# contract double); uri has the same controller path, and the other targets
# run it.
set -euo pipefail
source ../setup_click_emulator/files/emulator.sh
source ../setup_win_uri_double/files/win_uri_double.sh
if ! command -v amove-click-emulator >/dev/null; then
    echo "amove-click-emulator is not installed: pip install $CLICK_COLLECTION_ROOT/emulator" >&2
    exit 1
fi

for transport in module win_uri; do
    use_transport "$transport"
    "$CLICK_PYTHON" run_docs.py "$CLICK_COLLECTION_ROOT" "$OUTPUT_DIR/$transport" "$transport"
    # "A first drive" of the README shows the first run changing, the second not.
    grep -Eq 'localhost +: ok=1 +changed=1 ' "$OUTPUT_DIR/$transport/README_md-1-first.txt"
    grep -Eq 'localhost +: ok=1 +changed=0 ' "$OUTPUT_DIR/$transport/README_md-1-second.txt"
done
echo "the docs ran as written on both paths"
