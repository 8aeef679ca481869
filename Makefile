# Levant24: everything a developer and CI need, from a bare Python 3.11+.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.installed

.PHONY: run test install migrate demo serve edge worker cluster cluster-test bench bench-cluster load-test fault-test lint messages check clean gettext browser-deps varnish-deps broker-check

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --disable-pip-version-check -q -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) load_demo

run: demo
	$(MANAGE) runserver 127.0.0.1:8000

check: install
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

# GNU gettext lets the tests check the catalogue against the sources.
gettext:
	@command -v xgettext >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  (apt-get update -qq && apt-get install -y -qq --no-install-recommends gettext >/dev/null) ; } || \
	  echo "notice: GNU gettext not installed; the catalogue completeness test will be skipped"

# The browser tests drive Debian's Chromium (Playwright's own download is not used) with an
# Arabic font. Installed when missing and we may; otherwise the tests are skipped with a notice,
# or fail when LEVANT24_REQUIRE_BROWSER=1 (CI).
CHROMIUM := /usr/bin/chromium
browser-deps:
	@if [ -x $(CHROMIUM) ] && [ -f /usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf ]; then :; \
	elif [ "$$(id -u)" = 0 ] && [ -f /etc/debian_version ] && command -v apt-get >/dev/null; then \
	  echo "installing chromium and fonts-noto-core for the browser tests"; \
	  apt-get -o DPkg::Lock::Timeout=300 update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
	    --no-install-recommends chromium fonts-noto-core >/dev/null || \
	  echo "*** notice: could not install chromium; the browser tests will be skipped ***"; \
	else \
	  echo "*** notice: $(CHROMIUM) is missing and cannot be installed here (needs root on Debian):"; \
	  echo "***         the browser tests will be skipped (LEVANT24_REQUIRE_BROWSER=1 makes them fail) ***"; \
	fi

# Varnish with the xkey module, for `make edge` and the edge tests. Installed when missing and
# we may; otherwise those tests are skipped with a notice (LEVANT24_REQUIRE_VARNISH=1: fail).
varnish-deps:
	@if command -v varnishd >/dev/null && [ -f /usr/lib/x86_64-linux-gnu/varnish/vmods/libvmod_xkey.so -o -n "$$(find /usr/lib -name libvmod_xkey.so 2>/dev/null | head -1)" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && [ -f /etc/debian_version ] && command -v apt-get >/dev/null; then \
	  echo "installing varnish and varnish-modules for the edge tests"; \
	  apt-get -o DPkg::Lock::Timeout=300 update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
	    --no-install-recommends varnish varnish-modules >/dev/null || \
	  echo "*** notice: could not install varnish; the edge tests will be skipped ***"; \
	else \
	  echo "*** notice: varnishd is missing and cannot be installed here: the edge tests will be skipped ***"; \
	fi


# The real-worker tests need RabbitMQ on 127.0.0.1:5672; they are skipped without it (CI=true
# makes them fail instead).
broker-check: install
	@$(PY) -c "import socket; socket.create_connection(('127.0.0.1', 5672), 2).close()" 2>/dev/null || \
	  echo "*** notice: RabbitMQ is not reachable at 127.0.0.1:5672: the real-worker tests will be skipped ***"

test: install check gettext browser-deps varnish-deps broker-check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Regenerate the Arabic catalogue from the sources (needs GNU gettext), then compile it.
messages: install
	$(MANAGE) makemessages -l ar --no-obsolete --no-location --ignore=.venv --ignore=staticfiles --ignore=media
	$(MANAGE) makemessages -d djangojs -l ar --no-obsolete --no-location --ignore=.venv --ignore=staticfiles --ignore=media
	$(MANAGE) compilemessages -l ar --ignore=.venv

# Production-like server: prod settings (DEBUG off), hashed + compressed static files
# served by whitenoise, gunicorn configured by gunicorn.conf.py (see docs/deploy.md).
# The defaults below only apply when the variable is not already set, so a plain
# `make serve` works over http://127.0.0.1:8000; production sets real values.
serve: export DJANGO_SETTINGS_MODULE = levant24.settings.prod
serve: export SECRET_KEY ?= local-serve-only-8c1f6e2b9d4a7f3e5b0c2d9a6e1f4b7c3d8a5e2f9b6c1d4a
serve: export ALLOWED_HOSTS ?= 127.0.0.1,localhost
serve: export SECURE_SSL_REDIRECT ?= False
serve: export SECURE_COOKIES ?= False
# Uploaded images come from MEDIA_ROOT through Django (whitenoise serves static files only);
# a production machine sets SERVE_MEDIA=False and serves /media/ from nginx or S3.
serve: export SERVE_MEDIA ?= True
# Without CACHE_URL=redis://... each worker counts rate limits on its own (see prod.py).
serve: export ALLOW_PER_PROCESS_CACHE ?= True
serve: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v 0
	exec $(VENV)/bin/gunicorn --config gunicorn.conf.py levant24.wsgi

# The site behind a real edge: `make serve` on 127.0.0.1:8000 and Varnish with our VCL
# (deploy/varnish/default.vcl) on http://127.0.0.1:8080, in the foreground; Ctrl-C stops both.
edge: varnish-deps install
	exec deploy/varnish/edge.sh

# A task worker with its scheduler (beat: the outbox drain and the moderator digest every
# minute) for one machine; production runs them as separate units (docs/deploy.md). Needs a
# broker: CELERY_BROKER_URL defaults to the local RabbitMQ here.
worker: export DJANGO_SETTINGS_MODULE ?= levant24.settings.dev
worker: export CELERY_BROKER_URL ?= amqp://guest:guest@127.0.0.1:5672//
WORKER_CONCURRENCY ?= 2
worker: install
	$(MANAGE) migrate --noinput
	exec $(VENV)/bin/celery -A levant24 worker --beat --schedule=$(VENV)/celerybeat-schedule \
	  --concurrency=$(WORKER_CONCURRENCY) --loglevel=INFO

# Several machines, shown on one (docs/deploy.md): PostgreSQL with a streaming replica, two
# app servers behind Varnish, Redis, a Celery worker on RabbitMQ and a local S3 server, in the
# foreground; Ctrl-C stops everything. The database (CLUSTER_DATABASE_URL, default
# levant24_cluster) is made afresh at each start. Ports: CLUSTER_EDGE_PORT (8080),
# CLUSTER_NODE_PORTS (8001,8002), CLUSTER_REPLICA_PORT (5433), CLUSTER_S3_PORT (9000);
# CLUSTER_CACHE_URL (redis://127.0.0.1:6379/2, emptied at start).
cluster: install varnish-deps
	exec $(PY) deploy/cluster/cluster.py

# The cluster on ports of its own, then checks through its edge (tests/cluster/); fails
# rather than skips under CI=true when it cannot start.
cluster-test: export LEVANT24_CLUSTER = 1
cluster-test: export CLUSTER_EDGE_PORT ?= 18580
cluster-test: export CLUSTER_NODE_PORTS ?= 18581,18582
cluster-test: export CLUSTER_REPLICA_PORT ?= 18583
cluster-test: export CLUSTER_S3_PORT ?= 18584
cluster-test: export CLUSTER_CACHE_URL ?= redis://127.0.0.1:6379/13
cluster-test: export CLUSTER_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/levant24_cluster_test
cluster-test: install varnish-deps broker-check
	$(VENV)/bin/pytest -s -p no:warnings tests/cluster/test_cluster.py

# Edge and origin in one run (bench/run.py, docs/performance.md): seeds PostgreSQL (database
# levant24_bench, recreated), starts gunicorn with bench/settings.py (production settings plus
# a minimal view, every cache off) and Varnish with our VCL in front of it, and measures
# req/s, latency and the workers' CPU per request, row after row, PASSES times.
# ARTICLES get the comments; SEARCH_ARTICLES is the total (an older archive) that search runs over.
# BENCH_PORT (default 8099; Varnish on the next port) and BENCH_DATABASE_URL are read from the env.
ARTICLES ?= 10000
COMMENTS ?= 100000
SEARCH_ARTICLES ?= 100000
DURATION ?= 8
PASSES ?= 2
bench: install varnish-deps
	$(PY) bench/run.py --articles $(ARTICLES) --comments $(COMMENTS) \
	  --search-articles $(SEARCH_ARTICLES) --duration $(DURATION) --passes $(PASSES)

# The same site measured through `make cluster`'s edge and nodes (docs/deploy.md): the
# cluster on ports 18680-18684 of its own, then wrk rows printed as a table.
bench-cluster: install varnish-deps broker-check
	$(PY) bench/cluster_run.py

# Reliability (see docs/reliability.md). load-test: concurrent readers and commenters against
# `make serve` on PostgreSQL (database levant24_load), then every accepted comment is checked
# in the database. fault-test: PostgreSQL and then Redis are stopped and started again under
# light load; both are always left running.
LOAD_DURATION ?= 60
load-test: install
	$(PY) bench/load_integrity.py --duration $(LOAD_DURATION)

fault-test: install
	$(PY) bench/fault_check.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
