#!/usr/bin/env bash
# Test toolchain of the amove.click collection (the Makefile's targets run it).
#
#   tools/dev/run_checks.sh all            every check, then a summary
#   tools/dev/run_checks.sh CHECK...       only the named checks
#   tools/dev/run_checks.sh venv|stage|clean|distclean
#
# Checks, in the order they run and report:
#   sanity units emulator lint changelog build importer integration
#
# Before the checks it makes .venv (when missing, or when requirements-dev.txt
# or the interpreter changed), installs the Click API emulator package from
# emulator/ into it (again whenever a file of emulator/ changed), puts the offline get-pip stand-in into
# ansible-test's cache, and copies the collection (the files git tracks, plus
# untracked files that are not ignored) to build/ansible_collections/amove/click,
# where every check runs.
#
# Each check ends with one line: "PASS <check> (<n> s)", "FAIL <check> (<n> s)"
# or "SKIP <check> (<why>)". Every requested check runs even after another one
# failed; the output ends with "checks: N passed, N failed[, N skipped]" and
# the exit code is non-zero when a check failed.
#
# With `all` on a machine with 2 or more cores, integration (the slowest check,
# one core) runs in the background from the start, in a copy of its own
# (build/integration/ansible_collections/amove/click); its output is shown in
# one piece at its turn. CHECKS_PARALLEL=0 runs it in turn instead.
#
# Environment:
#   PYTHON           interpreter .venv is made from (default python3.11)
#   VERBOSE=1        pass -v to ansible-test
#   CHECKS_PARALLEL  0 to run every check one after the other

set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
cd "$ROOT" || exit 2

PYTHON=${PYTHON:-}
VENV=$ROOT/.venv
BUILD=$ROOT/build
COLL=$BUILD/ansible_collections/amove/click   # staged copy that is tested
INTEGRATION_ROOT=$BUILD/integration           # its own copy, for a background run
DIST=$BUILD/dist                              # the built tarball
LOGS=$BUILD/logs
REQUIREMENTS=$ROOT/requirements-dev.txt
STAMP=$VENV/.requirements-dev.stamp
EMULATOR_STAMP=$VENV/.emulator-package.stamp    # which files of emulator/ .venv has installed
IMPORTER_CFG=$ROOT/tools/dev/galaxy-importer.cfg

# integration runs last: ansible-test leaves files in the tested copy
# (tests/integration/inventory) that would otherwise reach lint and the tarball.
ALL_CHECKS=(sanity units emulator lint changelog build importer integration)

declare -a SUMMARY=()
PASSED=0
FAILED=0
SKIPPED=0
BG_PID=""

log() { printf '%s\n' "$*"; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 2; }

# --------------------------------------------------------------- environment

pick_python() {
    # PYTHON when given; else python3.11, or a pyenv 3.11 that is not the
    # active version (its shim then refuses to run)
    local candidate
    if [[ -n $PYTHON ]]; then
        return 0
    fi
    for candidate in python3.11 "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.11*/bin/python3.11; do
        if "$candidate" -c '' >/dev/null 2>&1; then
            PYTHON=$candidate
            return 0
        fi
    done
    die "no Python 3.11 found; set PYTHON to a Python 3.11 interpreter"
}

venv_wanted() {
    # What .venv must have been made from: these requirements, this interpreter.
    local py_version
    py_version=$("$PYTHON" -c 'import sys; print(sys.version)' 2>/dev/null) || return 1
    printf '%s\n%s\n' "$(sha256sum <"$REQUIREMENTS" | cut -d' ' -f1)" "$py_version"
}

ensure_venv() {
    local wanted
    pick_python
    wanted=$(venv_wanted) || die "'$PYTHON' does not run; set PYTHON to a Python 3.11 interpreter"

    if [[ -x $VENV/bin/python && -f $STAMP && "$(cat "$STAMP")" == "$wanted" ]]; then
        return 0
    fi

    log "--- creating .venv from requirements-dev.txt with $PYTHON"
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV" || die "could not create $VENV"

    local install_log=$VENV/install.log
    if ! "$VENV/bin/python" -m pip install --disable-pip-version-check --no-input \
            -r "$REQUIREMENTS" >"$install_log" 2>&1; then
        grep -v 'is ignored: it is neither a file nor a directory' "$install_log" | tail -40 >&2
        die "installing requirements-dev.txt failed (full log: $install_log)"
    fi

    printf '%s\n' "$wanted" >"$STAMP"
    log "--- .venv ready"
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

ensure_get_pip() {
    # ansible-test downloads get-pip.py into every virtual environment it
    # creates; put an offline stand-in into its cache (idempotent).
    "$VENV/bin/python" "$ROOT/tools/dev/get_pip_standin.py" install \
        || die "could not install the get-pip stand-in"
}

setup_env() {
    export PATH="$VENV/bin:$PATH"
    export VIRTUAL_ENV=$VENV
    # Interpreter discovery can pick inactive pyenv shims: name the interpreter.
    export ANSIBLE_PYTHON_INTERPRETER=$VENV/bin/python
    export ANSIBLE_COLLECTIONS_PATH=$BUILD
    export ANSIBLE_NOCOLOR=1 PY_COLORS=0
    unset PYENV_VERSION
    PY_VERSION=$("$VENV/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
    ANSIBLE_TEST_OPTS=(--python "$PY_VERSION" --color no)
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
    rm -rf "$DIST" "$LOGS"
    mkdir -p "$DIST" "$LOGS"
    stage_into "$BUILD"
    log "--- staged $(git -C "$COLL" ls-files | wc -l) files in ${COLL#"$ROOT"/}"
}

# --------------------------------------------------------------- the checks
# Each runs in a subshell, in the staged copy; exit code 0 passes, anything
# else fails, except that `skip REASON; return` marks it skipped.

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
    python "$ROOT/tools/dev/check_emulator_package.py" emulator "$BUILD/emulator-package" || rc=1
    return $rc
}

check_lint() {
    cd "$COLL" || return 1
    ansible-lint --profile production --offline --nocolor
}

check_changelog() {
    cd "$COLL" || return 1
    antsibull-changelog lint
}

check_build() {
    cd "$COLL" || return 1
    rm -f "$DIST"/*.tar.gz
    ansible-galaxy collection build --force --output-path "$DIST" . || return 1
    local tarball
    tarball=$(find_tarball) || { log "ERROR: no tarball in $DIST"; return 1; }
    git ls-files >"$LOGS/staged-files.txt" || return 1
    python "$ROOT/tools/dev/check_tarball.py" "$tarball" "$LOGS/staged-files.txt"
}

check_importer() {
    local tarball
    if ! tarball=$(find_tarball); then
        log "--- building the tarball first"
        check_build >"$LOGS/build-for-importer.log" 2>&1 \
            || { cat "$LOGS/build-for-importer.log"; log "ERROR: the collection does not build"; return 1; }
        tarball=$(find_tarball) || return 1
    fi
    # it writes importer_result.json to the working directory
    mkdir -p "$BUILD/importer" && cd "$BUILD/importer" || return 1
    GALAXY_IMPORTER_CONFIG=$IMPORTER_CFG python -m galaxy_importer.main "$tarball" 2>&1 \
        | tee "$LOGS/importer.log"
    local rc=${PIPESTATUS[0]}
    python "$ROOT/tools/dev/judge_importer.py" "$LOGS/importer.log" "$rc"
}

check_integration() {
    # in $INTEGRATION_COLL: the main copy, or the background run's own copy
    cd "${INTEGRATION_COLL:-$COLL}" || return 1
    [[ -n $(find tests/integration/targets -mindepth 1 -maxdepth 1 -type d -print -quit 2>/dev/null) ]] \
        || { skip "no targets under tests/integration/targets"; return; }
    ansible-test integration --local "${ANSIBLE_TEST_OPTS[@]}"
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
    SUMMARY+=("$line")
}

banner() {
    log ""
    log "=================================================================== $1"
}

run_check() {
    local name=$1 start rc
    if [[ $name == integration && -n $BG_PID ]]; then
        finish_background_integration
        return
    fi
    banner "$name"
    start=$SECONDS
    ( CHECK=$name; "check_$name" )
    rc=$?
    record "$name" "$rc" $((SECONDS - start))
}

start_background_integration() {
    stage_into "$INTEGRATION_ROOT"
    log "--- integration runs in the background (output at its turn, in ${LOGS#"$ROOT"/}/integration.log)"
    # job control on: the job gets a process group of its own, which
    # stop_background can end as a whole
    set -m
    (
        start=$SECONDS
        ( CHECK=integration INTEGRATION_COLL=$INTEGRATION_ROOT/ansible_collections/amove/click; check_integration ) \
            >"$LOGS/integration.log" 2>&1 </dev/null
        printf '%s %s\n' "$?" $((SECONDS - start)) >"$LOGS/integration.result"
    ) &
    BG_PID=$!
    set +m
}

finish_background_integration() {
    banner "integration (ran in the background)"
    wait "$BG_PID"
    BG_PID=""
    cat "$LOGS/integration.log"
    local rc=1 took=0
    if [[ -f $LOGS/integration.result ]]; then
        read -r rc took <"$LOGS/integration.result"
    else
        log "ERROR: the background integration run left no result"
    fi
    record integration "$rc" "$took"
}

stop_background() {
    # on an early exit: end the background run and everything it started
    if [[ -n $BG_PID ]]; then
        kill -TERM -- "-$BG_PID" 2>/dev/null
        wait "$BG_PID" 2>/dev/null
        BG_PID=""
    fi
}

# --------------------------------------------------------------- main

main() {
    [[ $# -gt 0 ]] || set -- all

    case $1 in
        clean)
            rm -rf "$BUILD" "$ROOT/tests/output" "$ROOT/.pytest_cache" "$ROOT/importer_result.json" \
                "$ROOT/emulator/build" "$ROOT"/emulator/src/*.egg-info
            find "$ROOT" -path "$VENV" -prune -o -path "$ROOT/.git" -prune \
                -o -name __pycache__ -type d -prune -exec rm -rf {} +
            return 0 ;;
        distclean)
            main clean
            rm -rf "$VENV"
            return 0 ;;
    esac

    local checks=() c parallel=0
    for c in "$@"; do
        case $c in
            all)
                checks+=("${ALL_CHECKS[@]}")
                if [[ ${CHECKS_PARALLEL:-1} != 0 && $(nproc 2>/dev/null || echo 1) -ge 2 ]]; then
                    parallel=1
                fi ;;
            venv|stage) ;;
            sanity|units|emulator|lint|changelog|build|importer|integration) checks+=("$c") ;;
            *) die "unknown check '$c' (known: ${ALL_CHECKS[*]} all venv stage clean distclean)" ;;
        esac
    done

    local total_start=$SECONDS
    ensure_venv
    ensure_emulator_package
    [[ $1 == venv ]] && return 0
    ensure_get_pip
    setup_env
    stage
    [[ ${#checks[@]} -gt 0 ]] || return 0

    trap stop_background EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    if [[ $parallel == 1 ]]; then
        start_background_integration
    fi

    for c in "${checks[@]}"; do
        run_check "$c"
    done

    if [[ ${#SUMMARY[@]} -gt 1 ]]; then
        banner summary
        printf '%s\n' "${SUMMARY[@]}"
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
