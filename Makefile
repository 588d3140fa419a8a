# Altavoz: `make demo` runs the Miami campaign locally; `make test` runs lint and every test.
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON ?= $(shell scripts/find-python)
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/altavoz
DEMO_ENV := ALTAVOZ_DEMO=1
# Tests run with production-like settings: a throwaway key, DEBUG off.
TEST_ENV := SECRET_KEY=test-only-secret-key DEBUG=0 ALTAVOZ_DEMO=0 SECURE_SSL_REDIRECT=0

.PHONY: install messages demo test test-postgres test-sqlite lint typecheck format clean system-packages

$(BIN)/altavoz: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/altavoz messages

# Translations: the .po files are in git; their compiled .mo files (git-ignored) are built
# here. msgfmt comes from Debian's gettext (scripts/ensure-system-packages).
messages: $(BIN)/altavoz
	command -v msgfmt >/dev/null || scripts/ensure-system-packages
	cd src/altavoz && DEBUG=1 ALTAVOZ_VAR_DIR=$(CURDIR)/var ../../$(BIN)/altavoz compilemessages --verbosity 0

demo: install
	$(DEMO_ENV) $(BIN)/altavoz migrate --noinput
	$(DEMO_ENV) $(BIN)/altavoz loaddemo --accounts
	$(DEMO_ENV) BIN=$(BIN) scripts/serve-demo

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# mypy with django-stubs (pyproject.toml [tool.mypy]): strict on the action kinds, the
# delivery channels and the geocoders.
typecheck: install
	$(TEST_ENV) $(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

system-packages:
	scripts/ensure-system-packages

# The suite runs twice, on PostgreSQL and on SQLite; the SQLite run leaves out what needs
# PostgreSQL and what proves nothing about the database vendor (marker vendor_neutral: run
# once, on PostgreSQL). Each run takes its own SMTP ports and Redis database
# (tests/shared_services.py), so that `make test` runs them side by side.
PYTEST_POSTGRES = $(TEST_ENV) DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/pytest
PYTEST_SQLITE = $(TEST_ENV) ALTAVOZ_TEST_SMTP_PORTS=2540-2550 \
	ALTAVOZ_TEST_REDIS_URL=redis://127.0.0.1:6379/14 $(BIN)/pytest -m "not postgres and not vendor_neutral"

test-postgres: install system-packages
	scripts/ensure-postgres altavoz
	scripts/ensure-redis
	$(PYTEST_POSTGRES)

test-sqlite: install
	scripts/ensure-redis
	$(PYTEST_SQLITE)

# ruff, then two lanes side by side (each pytest is mostly one core): the suite on
# PostgreSQL; mypy, then the suite on SQLite. Each lane's output is printed when it ends.
test: lint system-packages
	scripts/ensure-postgres altavoz
	scripts/ensure-redis
	scripts/side-by-side postgres '$(PYTEST_POSTGRES)' \
		sqlite '$(TEST_ENV) $(BIN)/mypy && $(PYTEST_SQLITE)'

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
