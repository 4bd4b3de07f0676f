# Development tasks of the amove.click collection. Each check is a nox session,
# defined in noxfile.py; tools/dev/checks.py runs them (side by side, then a
# summary, then a check that no process they started is left running, nor any
# module's temporary directory).
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
#   make list             every session, with what it runs
#   make demo             the fleet demo: five emulated desktops provisioned twice
#   make bench            benchmarks; rewrites docs/benchmarks.md and .json (minutes)
#   make venv             only create/refresh .venv (ansible-core of the floor and every tool)
#   make venvs            the same for every ansible-core version (.venv, .venv-2.20 ...)
#   make clean            remove build/ and test leftovers (keeps the venvs)
#   make distclean        clean, and remove the venvs too
#
# One session: python3 tools/dev/checks.py -s units-2.22 (see noxfile.py).

SHELL := /bin/bash
CHECKS := python3 tools/dev/checks.py

.DEFAULT_GOAL := test
.PHONY: test sanity units emulator-tests integration lint snippets docs versions build importer changelog list demo bench venv venvs clean distclean

test:
	@$(CHECKS)

sanity:
	@$(CHECKS) -t sanity

units:
	@$(CHECKS) -t units

emulator-tests:
	@$(CHECKS) -s emulator

integration:
	@$(CHECKS) -t integration

lint:
	@$(CHECKS) -s lint

snippets:
	@$(CHECKS) -s snippets

docs:
	@$(CHECKS) -s docs

versions:
	@$(CHECKS) -s versions

build:
	@$(CHECKS) -s build

importer:
	@$(CHECKS) -s importer

changelog:
	@$(CHECKS) -s changelog

list:
	@$(CHECKS) -l

demo: venv
	@PATH="$(CURDIR)/.venv/bin:$$PATH" tools/demo/run.sh

bench: venv
	@.venv/bin/python tools/dev/bench.py

venv:
	@python3 tools/dev/venvs.py

venvs:
	@$(CHECKS) -s venvs

clean:
	@rm -rf build tests/output .pytest_cache importer_result.json emulator/build emulator/src/*.egg-info
	@find . -path ./.git -prune -o -path './.venv*' -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	@rm -rf .venv .venv-*
