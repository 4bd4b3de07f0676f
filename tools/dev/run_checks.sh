#!/usr/bin/env bash
# Test toolchain of the amove.click collection (the Makefile's targets run it).
#
#   tools/dev/run_checks.sh all            every check, then a summary
#   tools/dev/run_checks.sh CHECK...       only the named checks
#   tools/dev/run_checks.sh venv|venvs|stage|clean|distclean
#
# Checks, in the order they report:
#   sanity units emulator lint snippets docs changelog versions build importer integration
#
# sanity and units run on every supported ansible-core, integration on the
# oldest and the newest (see CORES below); each of them reports one line per
# version, such as "PASS sanity-2.21", and can be run alone by that name.
# `sanity` alone means sanity on every version.
#
# Before the checks it makes the virtual environment of each ansible-core
# version the checks need (when missing, or when its requirements file or its
# interpreter changed), installs chromium for the integration checks when it is
# missing (tools/dev/setup_chromium.sh), installs the Click API emulator package from emulator/
# into .venv (again whenever a file of emulator/ changed), puts the offline
# get-pip stand-in into ansible-test's cache, and copies the collection (the files git tracks, plus untracked files
# that are not ignored) to build/ansible_collections/amove/click. Every check
# runs in a copy of that of its own, build/jobs/<check>/ansible_collections/amove/click,
# so that what one check leaves behind (ansible-test writes tests/output and
# tests/integration/inventory) never reaches another.
#
# Each check ends with one line: "PASS <check> (<n> s)", "FAIL <check> (<n> s)"
# or "SKIP <check> (<why>)". Every requested check runs even after another one
# failed; the output ends with "checks: N passed, N failed[, N skipped]" and
# the exit code is non-zero when a check failed.
#
# Several checks on a machine with 2 or more cores run side by side, as many
# at a time as there are cores, the longest first (integration, then sanity);
# each check's output is shown in one piece when it ends, and the summary lists
# them in the order above. CHECKS_PARALLEL=0 (or 1) runs them one after the
# other, with their output as it comes; CHECKS_PARALLEL=N runs N at a time.
#
# Environment:
#   PYTHON           Python 3.11 interpreter of .venv (default: python3.11,
#                    else a pyenv 3.11); PYTHON312 likewise for 3.12
#   VERBOSE=1        pass -v to ansible-test
#   CHECKS_PARALLEL  how many checks run at a time (0 or 1: one by one)

set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
cd "$ROOT" || exit 2

PYTHON=${PYTHON:-}
VENV=$ROOT/.venv                              # the floor's, with every tool
BUILD=$ROOT/build
COLL=$BUILD/ansible_collections/amove/click   # staged copy, copied for each check
JOBS_DIR=$BUILD/jobs                          # a copy of it for each check
LOGS=$BUILD/logs
SHARED_STATE_LOCK=$BUILD/shared-state.lock   # held while a check makes what all checks share
REQUIREMENTS=$ROOT/requirements-dev.txt
EMULATOR_STAMP=$VENV/.emulator-package.stamp    # which files of emulator/ .venv has installed
IMPORTER_CFG=$ROOT/tools/dev/galaxy-importer.cfg
# ansible.windows for the tests of Windows desktops (Galaxy is out of reach):
# taken from the pinned `ansible` package on PyPI, which bundles it.
WINDOWS_COLLECTION=$BUILD/ansible.windows
ANSIBLE_PACKAGE=ansible==12.3.0

# The ansible-core versions the collection is tested with, oldest (the floor of
# requires_ansible) first. Each has a virtual environment of its own, made from
# a requirements file that pins everything, with the Python it runs on:
#   2.19  .venv       requirements-dev.txt                  Python 3.11 (every tool)
#   2.20  .venv-2.20  tools/dev/requirements-core-2.20.txt  Python 3.12
#   2.21  .venv-2.21  tools/dev/requirements-core-2.21.txt  Python 3.12
# The versions check holds meta/runtime.yml, the execution environment and
# the README's "Tested with" table to this list.
CORES=(2.19 2.20 2.21)
FLOOR=${CORES[0]}
NEWEST=${CORES[-1]}
INTEGRATION_CORES=("$FLOOR" "$NEWEST")
declare -A CORE_PYTHON=([2.19]=3.11 [2.20]=3.12 [2.21]=3.12)

# The order checks report in; integration last, as it is the slowest.
ALL_CHECKS=(sanity units emulator lint snippets docs changelog versions build importer integration)

PASSED=0
FAILED=0
SKIPPED=0

log() { printf '%s\n' "$*"; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 2; }

# --------------------------------------------------------------- environment

core_venv() {
    if [[ $1 == "$FLOOR" ]]; then printf '%s\n' "$VENV"; else printf '%s\n' "$ROOT/.venv-$1"; fi
}

core_requirements() {
    if [[ $1 == "$FLOOR" ]]; then
        printf '%s\n' "$REQUIREMENTS"
    else
        printf '%s\n' "$ROOT/tools/dev/requirements-core-$1.txt"
    fi
}

pick_python() {
    # pick_python X.Y: print a Python X.Y interpreter: PYTHONXY when set (or
    # PYTHON for the floor's); else pythonX.Y, or a pyenv X.Y used directly,
    # because the shim of a pyenv version that is not the active one refuses
    # to run (exit 127)
    local version=$1 override candidate
    override=PYTHON${version//./}
    if [[ -n ${!override:-} ]]; then
        printf '%s\n' "${!override}"
        return 0
    fi
    if [[ $version == "${CORE_PYTHON[$FLOOR]}" && -n $PYTHON ]]; then
        printf '%s\n' "$PYTHON"
        return 0
    fi
    for candidate in "python$version" "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$version".*/bin/python"$version"; do
        if "$candidate" -c '' >/dev/null 2>&1; then
            printf '%s\n' "$candidate"
            return 0
        fi
    done
    return 1
}

venv_wanted() {
    # venv_wanted PYTHON REQUIREMENTS: what a venv must have been made from
    local py_version
    py_version=$("$1" -c 'import sys; print(sys.version)' 2>/dev/null) || return 1
    printf '%s\n%s\n' "$(sha256sum <"$2" | cut -d' ' -f1)" "$py_version"
}

ensure_venv() {
    # ensure_venv CORE: the venv of that ansible-core, made anew when missing or
    # when its requirements file or interpreter changed
    local core=$1 venv requirements version python wanted stamp
    venv=$(core_venv "$core")
    requirements=$(core_requirements "$core")
    version=${CORE_PYTHON[$core]}
    stamp=$venv/.requirements-dev.stamp
    python=$(pick_python "$version") \
        || die "no Python $version found for ansible-core $core; set PYTHON${version//./} to a Python $version interpreter"
    wanted=$(venv_wanted "$python" "$requirements") \
        || die "'$python' does not run; set PYTHON${version//./} to a Python $version interpreter"

    if [[ -x $venv/bin/python && -f $stamp && "$(cat "$stamp")" == "$wanted" ]]; then
        return 0
    fi

    log "--- creating ${venv#"$ROOT"/} from ${requirements#"$ROOT"/} with $python"
    rm -rf "$venv"
    "$python" -m venv "$venv" || die "could not create $venv"

    local install_log=$venv/install.log
    if ! "$venv/bin/python" -m pip install --disable-pip-version-check --no-input \
            -r "$requirements" >"$install_log" 2>&1; then
        grep -v 'is ignored: it is neither a file nor a directory' "$install_log" | tail -40 >&2
        die "installing ${requirements#"$ROOT"/} failed (full log: $install_log)"
    fi

    printf '%s\n' "$wanted" >"$stamp"
    log "--- ${venv#"$ROOT"/} ready"
}

ensure_venvs() {
    # ensure_venvs CORE...: make the venvs side by side (pip mostly waits on
    # the network), then put the get-pip stand-in in place for each
    local core pids=() rc=0 pid
    for core in "$@"; do
        ensure_venv "$core" &
        pids+=($!)
    done
    for pid in "${pids[@]}"; do
        wait "$pid" || rc=1
    done
    [[ $rc == 0 ]] || die "could not make the virtual environments (see above)"
    for core in "$@"; do
        # ansible-test downloads get-pip.py into every virtual environment it
        # creates; put an offline stand-in into its cache for the pip version
        # this ansible-test wants (idempotent).
        "$(core_venv "$core")/bin/python" "$ROOT/tools/dev/get_pip_standin.py" install >/dev/null \
            || die "could not install the get-pip stand-in for ansible-core $core"
    done
}

emulator_files() {
    # every file of emulator/ that git knows or would add, NUL-separated, sorted
    git -C "$ROOT" ls-files -z --cached --others --exclude-standard -- emulator \
        | while IFS= read -r -d '' f; do
              if [[ -f $ROOT/$f ]]; then printf '%s\0' "$f"; fi
          done \
        | sort -z
}

emulator_sources_hash() {
    emulator_files | (cd "$ROOT" && xargs -0 --no-run-if-empty sha256sum) | sha256sum | cut -d' ' -f1
}

ensure_emulator_package() {
    # (Re)install the emulator package into .venv when its files changed.
    local wanted
    wanted=$(emulator_sources_hash) || die "could not read emulator/"
    if [[ -f $EMULATOR_STAMP && "$(cat "$EMULATOR_STAMP")" == "$wanted" ]] \
            && [[ -x $VENV/bin/amove-click-emulator ]]; then
        return 0
    fi
    log "--- installing the emulator package (emulator/) into .venv"
    # from a copy of exactly those files: the build leaves nothing in emulator/,
    # and nothing stale from an earlier build can reach the installed package
    local install_log=$VENV/emulator-install.log copy
    copy=$(mktemp -d) || die "no temporary directory"
    emulator_files | tar -C "$ROOT" --null --no-recursion -T - -cf - | tar -C "$copy" -xf - \
        || die "copying emulator/ failed"
    if ! "$VENV/bin/python" -m pip install --disable-pip-version-check --no-input --no-deps \
            --force-reinstall "$copy/emulator" >"$install_log" 2>&1; then
        rm -rf "$copy"
        tail -40 "$install_log" >&2
        die "installing emulator/ failed (full log: $install_log)"
    fi
    rm -rf "$copy"
    printf '%s\n' "$wanted" >"$EMULATOR_STAMP"
}

ensure_windows_collection() {
    # Only ansible_collections/ansible/windows is extracted from the wheel, so it
    # works with whichever ansible-core runs the tests.
    [[ -f $WINDOWS_COLLECTION/ansible_collections/ansible/windows/MANIFEST.json ]] && return 0
    log "--- extracting ansible.windows from $ANSIBLE_PACKAGE"
    rm -rf "$WINDOWS_COLLECTION" && mkdir -p "$WINDOWS_COLLECTION/wheel" || return 1
    "$VENV/bin/python" -m pip download --disable-pip-version-check --no-input --no-deps --only-binary=:all: \
        -d "$WINDOWS_COLLECTION/wheel" "$ANSIBLE_PACKAGE" >"$WINDOWS_COLLECTION/download.log" 2>&1 \
        || { tail -5 "$WINDOWS_COLLECTION/download.log" >&2; die "could not download $ANSIBLE_PACKAGE"; }
    "$VENV/bin/python" - "$WINDOWS_COLLECTION" <<'PY' || die "could not extract ansible.windows"
import glob, sys, zipfile
root = sys.argv[1]
with zipfile.ZipFile(glob.glob(root + '/wheel/ansible-*.whl')[0]) as wheel:
    wheel.extractall(root, [name for name in wheel.namelist() if name.startswith('ansible_collections/ansible/windows/')])
PY
    rm -rf "$WINDOWS_COLLECTION/wheel"
}

ensure_browser() {
    # The fleet_report integration target renders the report's page in
    # headless Chromium: install the distribution's package when it is missing
    # (tools/dev/setup_chromium.sh is the entry point; it prints the binary).
    local binary
    binary=$("$ROOT/tools/dev/setup_chromium.sh") || die "could not install chromium (see above); the integration checks need it"
    export AMOVE_CLICK_CHROMIUM=$binary
}

setup_env() {
    BASE_PATH=$PATH
    export ANSIBLE_NOCOLOR=1 PY_COLORS=0
    unset PYENV_VERSION
    use_core "$FLOOR"
}

use_core() {
    # use_core CORE: run what follows with that ansible-core and its Python.
    # The floor's venv stays on PATH after it, for what only it has: tools such
    # as shellcheck, and the emulator (amove-click-emulator), a server of its own
    # that runs with the floor's Python whatever ansible-core is tested.
    local venv
    venv=$(core_venv "$1")
    export PATH="$venv/bin:$VENV/bin:$BASE_PATH"
    export VIRTUAL_ENV=$venv
    # Interpreter discovery can pick inactive pyenv shims: name the interpreter.
    export ANSIBLE_PYTHON_INTERPRETER=$venv/bin/python
    ANSIBLE_TEST_OPTS=(--python "${CORE_PYTHON[$1]}" --color no)
    if [[ ${VERBOSE:-0} == 1 ]]; then
        ANSIBLE_TEST_OPTS+=(-v)
    fi
}

stage_into() {
    # stage_into ROOT: a fresh copy of every file git knows or would add
    # (tracked, plus untracked but not ignored) in ROOT/ansible_collections/amove/click,
    # the layout ansible-test requires.
    local dest=$1/ansible_collections/amove/click
    rm -rf "$1/ansible_collections"
    mkdir -p "$dest"

    git -C "$ROOT" ls-files -z --cached --others --exclude-standard \
        | while IFS= read -r -d '' f; do
              # skip files deleted from the work tree but still in the index
              if [[ -e $f || -L $f ]]; then printf '%s\0' "$f"; fi
          done \
        | tar -C "$ROOT" --null --no-recursion -T - -cf - \
        | tar -C "$dest" -xf - \
        || die "copying the work tree to $dest failed"
    # ansible-test gives integration targets this root as the only collection path
    mkdir -p "$1/ansible_collections/ansible" &&
        ln -s "$WINDOWS_COLLECTION/ansible_collections/ansible/windows" "$1/ansible_collections/ansible/windows"

    # The copy lives inside this repository's ignored build/ folder, where
    # ansible-test (and ansible-lint) would ask the outer repository for the
    # file list and get nothing. Make the copy a repository of its own, so
    # they see exactly the staged files.
    (
        cd "$dest" &&
        git init -q &&
        git add -A &&
        git -c user.name=checks -c user.email=checks@localhost -c commit.gpgsign=false \
            commit -q --no-verify -m staged
    ) || die "could not make $dest a git repository"
}

stage() {
    # (each check empties its own copy and log when it starts, so another
    # run of this script with other checks can go on meanwhile)
    rm -rf "$BUILD/dist" "$BUILD/integration" "$BUILD/importer"
    mkdir -p "$LOGS"
    stage_into "$BUILD"
    log "--- staged $(git -C "$COLL" ls-files | wc -l) files in ${COLL#"$ROOT"/}"
}

# --------------------------------------------------------------- the checks
# Each runs in a subshell, in its own copy of the collection ($COLL, with
# $JOB_ROOT as its collections path and $DIST for tarballs), with the
# ansible-core of its version on PATH; exit code 0 passes, anything else
# fails, except that `skip REASON; return` marks it skipped.

skip() {
    printf '%s' "$1" >"$LOGS/$CHECK.skip"
    return 3
}

find_tarball() {
    # print the path of the built tarball; fails when there is none
    local found=("$DIST"/amove-click-*.tar.gz)
    [[ -f ${found[0]} ]] && printf '%s\n' "${found[0]}"
}

has_files() {
    # has_files DIR PATTERN: is any file named PATTERN below DIR (in the copy)
    [[ -d $1 ]] && [[ -n $(find "$1" -name "$2" -type f -print -quit) ]]
}

check_sanity() {
    cd "$COLL" || return 1
    local rc=0 f
    for f in tests/sanity/ignore-*.txt; do
        if [[ -e $f ]]; then
            log "ERROR: $f exists: sanity ignore files are not allowed here, fix the code instead"
            rc=1
        fi
    done
    # ansible-test keeps the sanity tests' virtual environments in
    # ~/.ansible/test/venv/<test>/<python>/<hash>, shared by every version on
    # that Python: two versions making the same one at once remove each
    # other's half-made copy. Make them one version at a time, then test.
    flock "$SHARED_STATE_LOCK" ansible-test sanity --prime-venvs --venv "${ANSIBLE_TEST_OPTS[@]}" || rc=1
    ansible-test sanity --venv "${ANSIBLE_TEST_OPTS[@]}" || rc=1
    return $rc
}

check_units() {
    cd "$COLL" || return 1
    has_files tests/unit 'test_*.py' || { skip "no tests under tests/unit"; return; }
    ansible-test units --venv "${ANSIBLE_TEST_OPTS[@]}" --num-workers 2
}

check_emulator() {
    # The package's own tests against the package installed in .venv, then a
    # fresh install of it into an empty venv.
    cd "$COLL" || return 1
    has_files emulator/tests 'test_*.py' || { skip "no tests under emulator/tests"; return; }
    local rc=0
    python -m pytest emulator/tests -q -p no:cacheprovider || rc=1
    log "--- pip install emulator/ into an empty venv"
    python "$ROOT/tools/dev/check_emulator_package.py" emulator "$JOB_ROOT/emulator-package" || rc=1
    return $rc
}

check_lint() {
    cd "$COLL" || return 1
    ansible-lint --profile production --offline --nocolor
}

check_snippets() {
    # the YAML snippets of the READMEs, linted as the playbooks they show
    cd "$COLL" || return 1
    python "$ROOT/tools/dev/lint_snippets.py" --work "$JOB_ROOT/snippets" README.md roles/*/README.md
}

check_docs() {
    # the plugin and role docs and docs/docsite (extra docs, links) as
    # antsibull-docs renders them on docs.ansible.com
    cd "$COLL" || return 1
    antsibull-docs lint-collection-docs --plugin-docs --check-extra-docs-refs --validate-collection-refs all .
}

check_versions() {
    # requires_ansible, the execution environment and the README's "Tested
    # with" table agree with what is tested here
    cd "$COLL" || return 1
    local core args=()
    for core in "${CORES[@]}"; do
        args+=(--core "$core" "${CORE_PYTHON[$core]}" "$(core_requirements "$core")")
    done
    for core in "${INTEGRATION_CORES[@]}"; do
        args+=(--integration "$core")
    done
    python "$ROOT/tools/dev/check_versions.py" "${args[@]}"
}

check_changelog() {
    # the fragments, and release notes for the version in galaxy.yml
    cd "$COLL" || return 1
    local rc=0
    antsibull-changelog lint || rc=1
    python "$ROOT/tools/dev/check_release.py" || rc=1
    return $rc
}

check_build() {
    cd "$COLL" || return 1
    rm -f "$DIST"/*.tar.gz
    ansible-galaxy collection build --force --output-path "$DIST" . || return 1
    local tarball
    tarball=$(find_tarball) || { log "ERROR: no tarball in $DIST"; return 1; }
    git ls-files >"$DIST/staged-files.txt" || return 1
    python "$ROOT/tools/dev/check_tarball.py" "$tarball" "$DIST/staged-files.txt"
}

check_importer() {
    local tarball
    if ! tarball=$(find_tarball); then
        log "--- building the tarball first"
        check_build >"$DIST/build-for-importer.log" 2>&1 \
            || { cat "$DIST/build-for-importer.log"; log "ERROR: the collection does not build"; return 1; }
        tarball=$(find_tarball) || return 1
    fi
    # it writes importer_result.json to the working directory
    mkdir -p "$JOB_ROOT/importer" && cd "$JOB_ROOT/importer" || return 1
    GALAXY_IMPORTER_CONFIG=$IMPORTER_CFG python -m galaxy_importer.main "$tarball" 2>&1 \
        | tee "$LOGS/importer.log"
    local rc=${PIPESTATUS[0]}
    python "$ROOT/tools/dev/judge_importer.py" "$LOGS/importer.log" "$rc"
}

check_integration() {
    cd "$COLL" || return 1
    [[ -n $(find tests/integration/targets -mindepth 1 -maxdepth 1 -type d -print -quit 2>/dev/null) ]] \
        || { skip "no targets under tests/integration/targets"; return; }
    ansible-test integration --local "${ANSIBLE_TEST_OPTS[@]}"
}

make_shared_state() {
    # What every ansible-test run of this user shares and makes on first use,
    # made here once, before checks run side by side: the SSH key pair
    # ansible-test makes for integration tests. Two runs that both find it
    # missing both call ssh-keygen, and the second stops at "Overwrite (y/n)?".
    # Same command and the same header fix as ansible-test's SshKey.
    local key=$HOME/.ansible/test/id_rsa
    mkdir -p "${key%/*}" || return 1
    if [[ ! -f $key || ! -f $key.pub ]]; then
        rm -f "$key" "$key.pub"
        ssh-keygen -m PEM -q -t rsa -N '' -f "$key" || return 1
        sed -i -E 's/(BEGIN|END) PRIVATE KEY/\1 RSA PRIVATE KEY/' "$key" || return 1
    fi
}

record() {
    # record CHECK RC SECONDS: print and remember the check's summary line
    local name=$1 rc=$2 took=$3 line
    if [[ $rc == 3 && -f $LOGS/$name.skip ]]; then
        line="SKIP $name ($(cat "$LOGS/$name.skip"))"
        SKIPPED=$((SKIPPED + 1))
    elif [[ $rc == 0 ]]; then
        line="PASS $name ($took s)"
        PASSED=$((PASSED + 1))
    else
        line="FAIL $name ($took s)"
        FAILED=$((FAILED + 1))
    fi
    log "$line"
    RESULTS[$name]=$line
}

banner() {
    log ""
    log "=================================================================== $1"
}

job() {
    # job NAME: one check (NAME is CHECK, or CHECK-CORE for a versioned one)
    # in a fresh copy of the staged collection of its own; its exit code is
    # the check's.
    local name=$1 check core
    check=${name%%-[0-9]*}
    core=${name#"$check"}
    core=${core#-}
    JOB_ROOT=$JOBS_DIR/$name
    rm -rf "$JOB_ROOT" "$LOGS/$name.skip"
    mkdir -p "$JOB_ROOT/dist"
    cp -a "$BUILD/ansible_collections" "$JOB_ROOT/" || { log "ERROR: could not copy the staged collection"; return 1; }
    (
        CHECK=$name
        COLL=$JOB_ROOT/ansible_collections/amove/click
        DIST=$JOB_ROOT/dist
        export ANSIBLE_COLLECTIONS_PATH=$JOB_ROOT
        use_core "${core:-$FLOOR}"
        "check_$check"
    )
}

run_in_turn() {
    # run_in_turn NAME: a check with its output as it comes
    local name=$1 start rc
    banner "$name"
    start=$SECONDS
    job "$name"
    rc=$?
    record "$name" "$rc" $((SECONDS - start))
}

start_job() {
    # start_job NAME: a check in the background, its output to its log
    local name=$1
    # job control on: the job gets a process group of its own, which
    # stop_jobs can end as a whole
    rm -f "$LOGS/$name.result"
    set -m
    (
        start=$SECONDS
        job "$name" >"$LOGS/$name.log" 2>&1 </dev/null
        printf '%s %s\n' "$?" $((SECONDS - start)) >"$LOGS/$name.result"
    ) &
    RUNNING[$name]=$!
    set +m
}

finish_job() {
    # finish_job NAME: show a background check's output in one piece, and its result
    local name=$1 rc=1 took=0
    wait "${RUNNING[$name]}"
    unset "RUNNING[$name]"
    banner "$name"
    cat "$LOGS/$name.log"
    if [[ -f $LOGS/$name.result ]]; then
        read -r rc took <"$LOGS/$name.result"
    else
        log "ERROR: the check left no result"
    fi
    record "$name" "$rc" "$took"
}

run_side_by_side() {
    # run_side_by_side SLOTS NAME...: up to SLOTS checks at a time, in the
    # order given; each one is shown when it ends
    local slots=$1 name
    shift
    local queue=("$@")
    while [[ ${#queue[@]} -gt 0 || ${#RUNNING[@]} -gt 0 ]]; do
        while [[ ${#queue[@]} -gt 0 && ${#RUNNING[@]} -lt $slots ]]; do
            start_job "${queue[0]}"
            queue=("${queue[@]:1}")
        done
        wait -n
        for name in "${!RUNNING[@]}"; do
            # ended: it wrote its result, or it was killed before it could
            if [[ -f $LOGS/$name.result ]] || ! kill -0 "${RUNNING[$name]}" 2>/dev/null; then
                finish_job "$name"
            fi
        done
    done
}

stop_jobs() {
    # on an early exit: end the background checks and everything they started
    local name
    for name in "${!RUNNING[@]}"; do
        kill -TERM -- "-${RUNNING[$name]}" 2>/dev/null
        wait "${RUNNING[$name]}" 2>/dev/null
    done
    RUNNING=()
}

jobs_of() {
    # jobs_of CHECK: the names its results are reported under
    local core
    case $1 in
        integration)
            for core in "${INTEGRATION_CORES[@]}"; do printf '%s\n' "$1-$core"; done ;;
        sanity|units)
            for core in "${CORES[@]}"; do printf '%s\n' "$1-$core"; done ;;
        *)
            printf '%s\n' "$1" ;;
    esac
}

known_job() {
    # known_job NAME: is NAME a check, or a versioned check on a version it runs on
    local check
    for check in "${ALL_CHECKS[@]}"; do
        if [[ $1 == "$check" ]] || { [[ $1 == "$check"-* ]] && jobs_of "$check" | grep -qxF -- "$1"; }; then
            return 0
        fi
    done
    return 1
}

longest_first() {
    # the order to start checks in, so that the slow ones do not end last:
    # integration, then sanity (each newest first), then the rest as given
    local name
    printf '%s\n' "$@" | grep '^integration-' | sort -r
    printf '%s\n' "$@" | grep '^sanity-' | sort -r
    for name in "$@"; do
        [[ $name == integration-* || $name == sanity-* ]] || printf '%s\n' "$name"
    done
}

# --------------------------------------------------------------- main

declare -A RESULTS=()
declare -A RUNNING=()

main() {
    [[ $# -gt 0 ]] || set -- all

    case $1 in
        clean)
            rm -rf "$BUILD" "$ROOT/tests/output" "$ROOT/.pytest_cache" "$ROOT/importer_result.json" \
                "$ROOT/emulator/build" "$ROOT"/emulator/src/*.egg-info
            find "$ROOT" -path "$VENV" -prune -o -path "$ROOT/.venv-*" -prune -o -path "$ROOT/.git" -prune \
                -o -name __pycache__ -type d -prune -exec rm -rf {} +
            return 0 ;;
        distclean)
            main clean
            rm -rf "$VENV" "$ROOT"/.venv-*
            return 0 ;;
    esac

    local jobs=() c slots cores=("$FLOOR") name
    for c in "$@"; do
        case $c in
            all)
                for name in "${ALL_CHECKS[@]}"; do
                    mapfile -t -O "${#jobs[@]}" jobs < <(jobs_of "$name")
                done ;;
            venv|stage) ;;
            venvs) cores=("${CORES[@]}") ;;
            *)
                if printf '%s\n' "${ALL_CHECKS[@]}" | grep -qxF -- "$c"; then
                    mapfile -t -O "${#jobs[@]}" jobs < <(jobs_of "$c")
                elif known_job "$c"; then
                    jobs+=("$c")
                else
                    die "unknown check '$c' (known: ${ALL_CHECKS[*]}, sanity-X.Y, units-X.Y, integration-X.Y; all venv venvs stage clean distclean)"
                fi ;;
        esac
    done
    slots=${CHECKS_PARALLEL:-$(nproc 2>/dev/null || echo 1)}
    [[ $slots =~ ^[0-9]+$ && $slots -ge 1 ]] || slots=1

    # the venvs the requested checks need
    for name in "${jobs[@]}"; do
        c=${name#*-}
        if [[ $name == *-* && ! " ${cores[*]} " =~ \ $c\  ]]; then
            cores+=("$c")
        fi
    done

    local total_start=$SECONDS
    ensure_venvs "${cores[@]}"
    ensure_emulator_package
    ensure_windows_collection
    if printf '%s\n' "${jobs[@]}" | grep -q '^integration-'; then
        ensure_browser
    fi
    log "--- virtual environments ready ($((SECONDS - total_start)) s)"
    [[ $1 == venv || $1 == venvs ]] && return 0
    setup_env
    stage
    [[ ${#jobs[@]} -gt 0 ]] || return 0
    make_shared_state || die "could not make ansible-test's SSH key in ~/.ansible/test"

    trap stop_jobs EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    if [[ $slots -gt 1 && ${#jobs[@]} -gt 1 ]]; then
        log "--- ${#jobs[@]} checks, $slots at a time; each one's output is shown when it ends"
        local order
        mapfile -t order < <(longest_first "${jobs[@]}")
        run_side_by_side "$slots" "${order[@]}"
    else
        for name in "${jobs[@]}"; do
            run_in_turn "$name"
        done
    fi

    if [[ ${#jobs[@]} -gt 1 ]]; then
        banner summary
        for name in "${jobs[@]}"; do
            printf '%s\n' "${RESULTS[$name]}"
        done
        log "total $((SECONDS - total_start)) s"
    fi
    if [[ $SKIPPED -gt 0 ]]; then
        log "checks: $PASSED passed, $FAILED failed, $SKIPPED skipped"
    else
        log "checks: $PASSED passed, $FAILED failed"
    fi
    [[ $FAILED == 0 ]]
}

main "$@"
