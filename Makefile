# Development tasks of the amove.click collection.
#
#   make test             every check below, then a summary; non-zero if any failed
#   make sanity           ansible-test sanity (no ignore file) on every supported ansible-core
#   make units            ansible-test units over tests/unit, on every supported ansible-core
#   make emulator-tests   the emulator package (emulator/): its tests, and pip install into an empty venv
#   make integration      ansible-test integration --local, on the oldest and newest ansible-core
#   make lint             ansible-lint --profile production
#   make snippets         ansible-lint --profile production on the YAML snippets of the READMEs
#   make docs             antsibull-docs lint-collection-docs --plugin-docs
#   make versions         requires_ansible, the EE and the README's "Tested with" match the tests
#   make build            ansible-galaxy collection build + tarball content check
#   make importer         galaxy-importer on the built tarball
#   make changelog        antsibull-changelog lint
#   make demo             the fleet demo: five emulated desktops provisioned twice
#   make bench            benchmarks; rewrites docs/benchmarks.md and .json (minutes)
#   make venv             only create/refresh .venv from requirements-dev.txt
#   make venvs            the same for every ansible-core version (.venv, .venv-2.20, .venv-2.21)
#   make clean            remove build/ and test leftovers (keeps the venvs)
#   make distclean        clean, and remove the venvs too
#
# All of it runs tools/dev/run_checks.sh, which creates .venv (Python 3.11,
# override with PYTHON=...) when it is missing or requirements-dev.txt changed,
# and one venv per newer ansible-core (Python 3.12, from
# tools/dev/requirements-core-X.Y.txt), and tests copies of the collection in
# build/. One check on one version: tools/dev/run_checks.sh sanity-2.21.

SHELL := /bin/bash
CHECKS := tools/dev/run_checks.sh

.DEFAULT_GOAL := test
.PHONY: test sanity units emulator-tests integration lint snippets docs versions build importer changelog demo bench venv venvs clean distclean

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

snippets:
	@$(CHECKS) snippets

docs:
	@$(CHECKS) docs

versions:
	@$(CHECKS) versions

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

venvs:
	@$(CHECKS) venvs

clean:
	@$(CHECKS) clean

distclean:
	@$(CHECKS) distclean
