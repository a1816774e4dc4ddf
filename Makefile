# Two commands set everything up on a fresh machine: `make serve` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
export PORT
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: install serve dev worker test eval bench train-attribution train-speakers train-stance clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

## Production-style server: gunicorn, one worker per core, on $DATABASE_URL (default: SQLite in var/).
serve: install
	@mkdir -p var
	QUOTES_PRELOAD_MODELS=0 $(BIN)/flask --app wsgi db upgrade
	@echo "Serving with gunicorn (config/gunicorn.conf.py) on http://127.0.0.1:$(PORT)"
	@echo "Database: $${DATABASE_URL:-sqlite:///var/quotes.db (embedded default)}"
	$(BIN)/gunicorn -c config/gunicorn.conf.py wsgi:app

## Flask's reloading development server, one process.
dev: install
	@mkdir -p var
	QUOTES_PRELOAD_MODELS=0 $(BIN)/flask --app wsgi db upgrade
	@echo "Serving with Flask's development server on http://127.0.0.1:$(PORT)"
	$(BIN)/flask --app wsgi run --port $(PORT) --reload

## Celery worker for async jobs and webhook deliveries, through Redis (CELERY_BROKER_URL,
## default redis://127.0.0.1:6379/0). Run the web side with QUOTES_JOBS_EXECUTOR=celery; start
## as many workers, on as many machines, as the load needs.
worker: install
	$(BIN)/celery -A service.jobs.worker worker --loglevel INFO

test: install
	$(BIN)/python -m pytest

## Accuracy on the development splits of ../shared/data (PolNeAR, P-Stance, VAST).
eval: install
	$(BIN)/python -m models.evaluation

## Speed: pipeline vs parse-only, history query p95 on PostgreSQL.
bench: install
	$(BIN)/python -m bench

## Reproduce models/weights/attribution (about 5 x 22 min on two cores): 3 epochs from the base,
## then four continuations of 3 epochs each (new random window cuts each time, a warm restart
## of the rate at the fifth), then tune decoding on dev. Each stage's card records the stage it started from.
TRAIN_TAGGER := $(BIN)/python -m models.attribution.train --threads 2
train-attribution: install
	$(TRAIN_TAGGER) --epochs 3 --out var/runs/attribution-stage1
	$(TRAIN_TAGGER) --init var/runs/attribution-stage1 --epochs 3 --lr 5e-5 --out var/runs/attribution-stage2
	$(TRAIN_TAGGER) --init var/runs/attribution-stage2 --epochs 3 --lr 3e-5 --seed 29 \
		--out var/runs/attribution-stage3
	$(TRAIN_TAGGER) --init var/runs/attribution-stage3 --epochs 3 --lr 2e-5 --seed 31 \
		--out var/runs/attribution-stage4
	$(TRAIN_TAGGER) --init var/runs/attribution-stage4 --epochs 3 --lr 4e-5 --seed 37 \
		--out models/weights/attribution
	$(BIN)/python -m models.attribution.tune --write

## Reproduce models/weights/speakers (the mention ranker, measured and kept off by default).
train-speakers: install
	$(BIN)/python -m models.speakers.train

## Reproduce models/weights/stance (about 60 min on one core, bf16 autocast), then write its
## dev figures.
train-stance: install
	$(BIN)/python -m models.stance.train --epochs 2 --lr 6e-5 --bf16
	$(BIN)/python -m models.evaluation.stance --write-card

clean:
	rm -rf $(VENV) var .pytest_cache
