# Placewise: `make run` starts the app on the sample data; `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8501
CHROMIUM := /usr/bin/chromium

.PHONY: run test lint format bench load check sample-data browser postgres nginx clean

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/streamlit run dashboard.py --server.port $(PORT)

# Debian's Chromium drives the browser tests and image exports (no browser download is possible here).
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
		if [ "$$(id -u)" = "0" ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "Chromium is missing: run 'sudo apt-get install chromium' (browser tests need $(CHROMIUM))"; exit 1; \
		fi; \
	fi

# Debian's PostgreSQL server binaries: tests/sql starts a throw-away cluster on loopback with them.
postgres:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		if [ "$$(id -u)" = "0" ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
		else \
			echo "PostgreSQL is missing: run 'sudo apt-get install postgresql' (tests/sql need /usr/lib/postgresql/*/bin/initdb)"; exit 1; \
		fi; \
	fi

# Debian's nginx and its brotli module: tests/deploy runs deploy/nginx/placewise.conf on loopback
# in front of two app processes (nginx is not started as a service here).
nginx:
	@if [ ! -x /usr/sbin/nginx ] || [ ! -e /usr/lib/nginx/modules/ngx_http_brotli_filter_module.so ]; then \
		if [ "$$(id -u)" = "0" ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx libnginx-mod-http-brotli-filter >/dev/null; \
		else \
			echo "nginx is missing: run 'sudo apt-get install nginx libnginx-mod-http-brotli-filter' (tests/deploy need /usr/sbin/nginx)"; exit 1; \
		fi; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: $(STAMP) browser postgres nginx lint
	$(BIN)/python -m pytest

# Load and validate every dataset of a catalog and report (CATALOG=path/to/catalog.toml; default
# the sample data). Exit status 1 when a dataset fails, 2 when the catalog cannot be read.
check: $(STAMP)
	$(BIN)/python -m loaders.check $(CATALOG)

bench: $(STAMP)
	$(BIN)/python -m scripts.bench

# 20 concurrent Chromium sessions against a local server for 5 minutes (LOAD_SESSIONS, LOAD_SECONDS).
load: $(STAMP) browser
	$(BIN)/python -m scripts.load

sample-data: $(STAMP)
	$(BIN)/python scripts/build_sample_data.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache artifacts
