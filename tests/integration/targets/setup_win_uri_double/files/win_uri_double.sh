# shellcheck shell=bash
# Sourced by the runme.sh of integration targets of the controller path, after
# setup_click_emulator/files/emulator.sh: the contract double of
# ansible.windows.win_uri (../library/win_uri.py, see its docstring), which runs the
# controller path's win_uri requests on a POSIX host.
#
#   use_transport TRANSPORT   exports ANSIBLE_COLLECTIONS_PATH for a run with
#                             amove_click_transport=TRANSPORT: for win_uri, a
#                             stand-in collection ansible.windows holding only
#                             the double comes first, and shadows the real one;
#                             for any other, the path as the target got it.

WIN_URI_DOUBLE_MODULE="$(cd "$(dirname "${BASH_SOURCE[0]}")/../library" && pwd)/win_uri.py"
COLLECTIONS_WITHOUT_DOUBLE="$ANSIBLE_COLLECTIONS_PATH"

use_transport() {
    if [[ $1 == win_uri ]]; then
        local root="${OUTPUT_DIR:-/tmp}/win-uri-double"
        mkdir -p "$root/ansible_collections/ansible/windows/plugins/modules"
        ln -sfn "$WIN_URI_DOUBLE_MODULE" "$root/ansible_collections/ansible/windows/plugins/modules/win_uri.py"
        export ANSIBLE_COLLECTIONS_PATH="$root:$COLLECTIONS_WITHOUT_DOUBLE"
    else
        export ANSIBLE_COLLECTIONS_PATH="$COLLECTIONS_WITHOUT_DOUBLE"
    fi
}
