# The two commands of the quick start: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
DEV_ENV := DJANGO_DEBUG=1

.PHONY: run test validator serve cluster bench backup restore lint format messages clean

$(VENV)/.runtime: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

var:
	mkdir -p var

## run: install, migrate, load the demo data and serve on http://127.0.0.1:$(PORT)/
run: $(VENV)/.runtime | var
	$(DEV_ENV) $(BIN)/python manage.py migrate --no-input
	$(DEV_ENV) $(BIN)/python manage.py seed_demo
	$(DEV_ENV) $(BIN)/python manage.py ensure_demo_superuser
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## test: install the development requirements and run the whole suite
test: $(VENV)/.dev
	$(DEV_ENV) $(BIN)/pytest

## validator: the Nu Html Checker (vnu.jar, from npm) that the HTML validity test runs with Java;
## without it `make test` skips that test
VNU_VERSION := 26.9.27
VNU_INSTALLED := $(VENV)/vnu/.vnu-jar-$(VNU_VERSION)
validator: $(VNU_INSTALLED)

# --ignore-scripts: the package's install script would download a Java runtime; ours is Debian's.
$(VNU_INSTALLED):
	npm install --prefix $(VENV)/vnu --no-save --no-package-lock --no-audit --no-fund \
		--ignore-scripts vnu-jar@$(VNU_VERSION)
	touch $@

## backup: write var/backups/portal-<timestamp>.tar.gz: the database, uploaded media, checksums
# The environment of `make run` (DJANGO_DEBUG=1) unless DJANGO_DEBUG is set: production sets its own.
BACKUP_ENV := DJANGO_DEBUG=$${DJANGO_DEBUG-1}
backup: $(VENV)/.runtime | var
	$(BACKUP_ENV) $(BIN)/python manage.py backup

## restore: restore FILE=var/backups/portal-<timestamp>.tar.gz into an empty database (README)
# ALLOW_UNSIGNED=1 restores an archive that DJANGO_BACKUP_KEY cannot authenticate (README).
restore: $(VENV)/.runtime | var
	@test -n "$(FILE)" || { echo "usage: make restore FILE=var/backups/portal-<timestamp>.tar.gz [ALLOW_UNSIGNED=1]"; exit 2; }
	$(BACKUP_ENV) $(BIN)/python manage.py restore "$(FILE)" $(if $(filter 1,$(ALLOW_UNSIGNED)),--allow-unsigned)

## serve: the same app under gunicorn with WhiteNoise, debug off, over plain HTTP on this machine
serve: $(VENV)/.runtime | var
	test -s var/secret_key || $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret_key
	DJANGO_SECRET_KEY=$$(cat var/secret_key) DJANGO_HTTPS=0 $(BIN)/python manage.py collectstatic --no-input -v0
	DJANGO_SECRET_KEY=$$(cat var/secret_key) DJANGO_HTTPS=0 $(BIN)/python manage.py migrate --no-input
	DJANGO_SECRET_KEY=$$(cat var/secret_key) DJANGO_HTTPS=0 $(BIN)/python manage.py seed_demo
	DJANGO_SECRET_KEY=$$(cat var/secret_key) DJANGO_HTTPS=0 \
	DJANGO_ALLOWED_HOSTS=$${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost} \
		$(BIN)/gunicorn portal.wsgi --bind 127.0.0.1:$(PORT) --workers 3 --timeout 120 \
			--access-logfile -

## cluster: nginx on http://127.0.0.1:$(CLUSTER_PORT)/ in front of two gunicorn app servers (:8101,
## :8102) sharing DATABASE_URL (PostgreSQL) and REDIS_URL; static files and uploads from nginx
CLUSTER_PORT ?= 8080
cluster: $(VENV)/.runtime | var
	$(BIN)/python deploy/cluster.py --port $(CLUSTER_PORT)

## bench: every benchmark on DATABASE_URL (PostgreSQL, national-scale data loaded when missing),
## one table of figures and targets; QUICK=1 for a shorter run, ONLY=pages,search for some areas
bench: $(VENV)/.dev | var
	DJANGO_DEBUG=$${DJANGO_DEBUG-1} $(BIN)/python bench/run.py $(if $(filter 1,$(QUICK)),--quick) \
		$(if $(ONLY),--only $(ONLY))

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## messages: refresh the ko and zh-hans catalogs and compile them (needs GNU gettext)
messages: $(VENV)/.runtime
	$(DEV_ENV) $(BIN)/python manage.py makemessages -l ko -l zh_Hans --no-obsolete \
		--ignore=.venv --ignore=var --ignore=tests
	$(DEV_ENV) $(BIN)/python manage.py compilemessages -l ko -l zh_Hans --ignore=.venv

clean:
	rm -rf $(VENV) var/static
