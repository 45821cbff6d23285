# Thin wrappers: the work is done by installer/dev-setup.sh, which CI runs the same way.
#   make run                  the app on SQLite with demo data
#   make test ARGS="-k foo"   the whole suite (installs Debian packages as root, the venv, servers)
#   make bench-hall           16 counters for 2 minutes on a private PostgreSQL (ARGS replace that)
#   make package              the frozen bundle (dist/medins-desk) and the .deb of this machine's arch
#   make package-test         that .deb installed into a clean Debian root and used there (CI: make test)
PYTHON ?= python3
VENV ?= .venv
ARGS ?=

SETUP = PYTHON="$(PYTHON)" VENV="$(VENV)" bash installer/dev-setup.sh

.PHONY: run test package package-test bench bench-hall lint clean

run:
	$(SETUP) run $(ARGS)

test:
	$(SETUP) test $(ARGS)

package:
	$(SETUP) package

package-test:
	$(SETUP) package-test $(ARGS)

bench:
	$(SETUP) bench $(ARGS)

bench-hall:
	$(SETUP) bench-hall $(ARGS)

lint:
	$(SETUP) lint

clean:
	$(SETUP) clean
