#!/usr/bin/env bash
# The headless browser the fleet report's browser check renders index.html in:
# Debian's (or Ubuntu's) chromium package, installed when it is missing.
#
#   tools/dev/setup_chromium.sh          install chromium if missing; print its path
#   tools/dev/setup_chromium.sh --check  only say whether it is there (exit 1 if not)
#
# Entry point of the test setup (run_checks.sh runs it before integration
# checks); idempotent and quiet when chromium is already there. It needs apt
# (root, or sudo without a password) and the distribution's package mirror;
# nothing else is downloaded. AMOVE_CLICK_CHROMIUM names another Chromium binary
# to use instead (then nothing is installed).
set -euo pipefail

found() {
    local candidate
    for candidate in "${AMOVE_CLICK_CHROMIUM:-}" chromium chromium-browser; do
        if [[ -n $candidate ]] && command -v "$candidate" >/dev/null 2>&1 \
                && "$(command -v "$candidate")" --version >/dev/null 2>&1; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

if path=$(found); then
    printf '%s\n' "$path"
    exit 0
fi
if [[ ${1:-} == --check ]]; then
    echo "chromium is not installed: run tools/dev/setup_chromium.sh" >&2
    exit 1
fi
if [[ -n ${AMOVE_CLICK_CHROMIUM:-} ]]; then
    echo "AMOVE_CLICK_CHROMIUM=$AMOVE_CLICK_CHROMIUM does not run" >&2
    exit 1
fi
if ! command -v apt-get >/dev/null; then
    echo "chromium is missing and this system has no apt-get: install Chromium, and set AMOVE_CLICK_CHROMIUM to its binary" >&2
    exit 1
fi
as_root=()
if [[ $(id -u) != 0 ]]; then
    if sudo -n true 2>/dev/null; then
        as_root=(sudo -n)
    else
        echo "chromium is missing; install it as root: apt-get install -y chromium" >&2
        exit 1
    fi
fi

echo "--- installing chromium from the distribution's packages (apt-get install -y chromium)" >&2
# Others may be running apt at the same moment: wait for its lock rather than fail.
apt_options=(-o DPkg::Lock::Timeout=600 -q)
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${apt_options[@]}" update >&2
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${apt_options[@]}" install -y --no-install-recommends \
    chromium fonts-dejavu-core >&2
path=$(found) || { echo "chromium was installed, yet does not run" >&2; exit 1; }
printf '%s\n' "$path"
