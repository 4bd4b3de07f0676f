# Development tasks of the amove.click collection.
#
#   make test             every check below, then a summary; non-zero if any failed
#   make sanity           ansible-test sanity (all default tests, own venvs)
#   make units            ansible-test units over tests/unit
#   make emulator-tests   the emulator package (emulator/): its tests, and pip install into an empty venv
#   make integration      ansible-test integration --local over tests/integration/targets
#   make lint             ansible-lint --profile production
#   make build            ansible-galaxy collection build + tarball content check
#   make importer         galaxy-importer on the built tarball
#   make changelog        antsibull-changelog lint
#   make demo             the fleet demo: five emulated desktops provisioned twice
#   make bench            benchmarks; rewrites docs/benchmarks.md and .json (minutes)
#   make venv             only create/refresh .venv from requirements-dev.txt
#   make clean            remove build/ and test leftovers (keeps .venv)
#   make distclean        clean, and remove .venv too
#
# All of it runs tools/dev/run_checks.sh, which creates .venv (Python 3.11,
# override with PYTHON=...) when it is missing or requirements-dev.txt changed,
# and tests a copy of the collection in build/ansible_collections/amove/click.

SHELL := /bin/bash
CHECKS := tools/dev/run_checks.sh

.DEFAULT_GOAL := test
.PHONY: test sanity units emulator-tests integration lint build importer changelog demo bench venv clean distclean

test:
	@$(CHECKS) all

sanity:
	@$(CHECKS) sanity

units:
	@$(CHECKS) units

emulator-tests:
	@$(CHECKS) emulator

integration:
	@$(CHECKS) integration

lint:
	@$(CHECKS) lint

build:
	@$(CHECKS) build

importer:
	@$(CHECKS) build importer

changelog:
	@$(CHECKS) changelog

demo:
	@$(CHECKS) venv
	@PATH="$(CURDIR)/.venv/bin:$$PATH" tools/demo/run.sh

bench:
	@$(CHECKS) venv
	@.venv/bin/python tools/dev/bench.py

venv:
	@$(CHECKS) venv

clean:
	@$(CHECKS) clean

distclean:
	@$(CHECKS) distclean
