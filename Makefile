# Two commands from nothing: `make run` starts the whole system, `make test` runs every test.
# Both start an embedded PostgreSQL and Redis under var/ unless DATABASE_URL and REDIS_URL
# name servers to use.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run demo test lint format manage messages clean vendor backup restore loadtest

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m config.embedded run

# The same with the demo organisation and its accounts, also on a configured database.
demo: $(STAMP)
	DEMO_DATA=1 $(PY) -m config.embedded run

test: $(STAMP)
	$(PY) -m config.embedded exec -- $(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(STAMP)
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# make manage ARGS="createsuperuser"
manage: $(STAMP)
	$(PY) -m config.embedded exec -- $(PY) manage.py $(ARGS)

# The database (pg_dump, custom format) and the uploaded files into backups/<time>/.
backup: $(STAMP)
	$(PY) -m config.embedded exec -- $(PY) manage.py backup

# make restore FROM=backups/20261129-070000: into an empty database and media folder.
restore: $(STAMP)
	@test -n "$(FROM)" || { echo "Cách dùng: make restore FROM=backups/<thời điểm>"; exit 2; }
	$(PY) -m config.embedded exec -- $(PY) manage.py restore "$(FROM)"

# 50 people for 3 minutes on the national dataset (run generate_load first), through
# gunicorn with production settings on loopback; prints a table, writes var/loadtest.json.
# make loadtest ARGS="--users 20 --run-time 60" for a shorter run.
loadtest: $(STAMP)
	$(PY) -m config.embedded exec -- $(PY) manage.py loadtest $(ARGS)

# Refresh the translation catalogues after changing user-facing strings (needs gettext).
messages: $(STAMP)
	$(PY) -m config.embedded exec -- $(PY) manage.py makemessages -l vi -l en --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*'
	$(PY) -m config.embedded exec -- $(PY) manage.py compilemessages --ignore '.venv/*'

clean:
	rm -rf var/static var/redis-test

# Refresh static/vendor/ from the npm registry at the versions in package.json (needs npm).
vendor:
	npm install --no-save --no-package-lock --silent
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/LICENSE static/vendor/bootstrap/
	cp node_modules/htmx.org/dist/htmx.min.js node_modules/htmx.org/LICENSE static/vendor/htmx/
	cp node_modules/chart.js/dist/chart.umd.min.js node_modules/chart.js/LICENSE.md static/vendor/chartjs/
	mkdir -p static/vendor/bootstrap-icons/fonts static/vendor/axe-core
	cp node_modules/bootstrap-icons/font/bootstrap-icons.min.css node_modules/bootstrap-icons/LICENSE static/vendor/bootstrap-icons/
	cp node_modules/bootstrap-icons/font/fonts/bootstrap-icons.woff2 node_modules/bootstrap-icons/font/fonts/bootstrap-icons.woff static/vendor/bootstrap-icons/fonts/
	# axe-core runs only in the browser tests (accessibility checks); never served to users.
	cp node_modules/axe-core/axe.min.js node_modules/axe-core/LICENSE static/vendor/axe-core/
	sed -i 's#/\*\# sourceMappingURL=[^*]*\*/##; s#//\# sourceMappingURL=.*$$##' static/vendor/*/*.js static/vendor/*/*.css
