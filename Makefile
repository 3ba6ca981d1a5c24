# Two commands: `make run` (set up, build the layers from seeds/, serve on :8000) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run run-postgis run-postgis-stop test setup build serve lint bench system-deps clean

run: build
	$(BIN)/drillmap serve --host $(HOST) --port $(PORT)

setup: $(VENV)/.installed node_modules/.installed var/basemap/countries.geojson var/gazetteer/theatre.geojson

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# The local vector basemap, converted once from the world-atlas npm package.
var/basemap/countries.geojson: node_modules/.installed $(VENV)/.installed
	$(BIN)/python -m webapp.basemap

# The theatre gazetteer, generated once from open data in pinned PyPI packages (tools/theatre.py).
var/gazetteer/theatre.geojson: $(VENV)/.installed tools/theatre.py tools/sources.py
	$(BIN)/python -m tools.theatre

build: setup
	$(BIN)/drillmap build

serve: setup
	$(BIN)/drillmap serve --host $(HOST) --port $(PORT)

# Debian's chromium (browser tests), gdal-bin (ogrinfo, GIS tests), PostgreSQL and PostGIS (the
# PostGIS store's tests start a throwaway cluster, tools/pgcluster.py); never a downloaded browser.
PG_VERSION ?= 15
POSTGIS_CONTROL := /usr/share/postgresql/$(PG_VERSION)/extension/postgis.control
system-deps:
	@if ! command -v chromium >/dev/null || ! command -v ogrinfo >/dev/null || \
		[ ! -x /usr/lib/postgresql/$(PG_VERSION)/bin/initdb ] || [ ! -f $(POSTGIS_CONTROL) ] || \
		! test -d /usr/share/fonts/opentype/noto; then \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium gdal-bin \
			postgresql postgresql-$(PG_VERSION)-postgis-3 fonts-noto-cjk >/dev/null; \
	fi

# The map served from PostGIS: a local cluster in var/postgres (kept between runs), the schema,
# the documents of seeds/ imported and built, then the server. `make run-postgis-stop` stops it.
run-postgis: setup system-deps
	DSN=$$($(BIN)/python -m tools.pgcluster start var/postgres) && export DRILLMAP_STORE=$$DSN && \
	$(BIN)/drillmap db migrate && $(BIN)/drillmap db import --seeds seeds && \
	$(BIN)/drillmap serve --host $(HOST) --port $(PORT)

run-postgis-stop:
	$(BIN)/python -m tools.pgcluster stop var/postgres

lint: $(VENV)/.installed
	$(BIN)/ruff check .

test: setup system-deps lint
	$(BIN)/pytest

# Benchmarks print tables; they are not tests. wrk loads the servers (Debian's, like chromium).
bench: setup system-deps
	@command -v wrk >/dev/null || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python bench/extract_speed.py
	$(BIN)/python bench/extract_scaling.py
	$(BIN)/python bench/search_speed.py
	$(BIN)/python bench/ogc_items.py
	$(BIN)/python bench/web_load.py
	$(BIN)/python bench/map_first_features.py
	$(BIN)/python bench/scale.py
	$(BIN)/python bench/layer_memory.py
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python bench/ogc_postgis.py

clean:
	rm -rf $(VENV) node_modules var test-output
