# The two commands of the README, and a few shortcuts for day-to-day work.
# The logic lives in scripts/; these targets only call it.

ARGS ?=

.PHONY: help demo test lint format

help:
	@echo "make demo   [ARGS='--port 8001']  start the demo (installs uv and the dependencies)"
	@echo "make test   [ARGS='-k audit']     lint, types, tests on SQLite and PostgreSQL"
	@echo "make lint                         ruff check, ruff format --check, mypy"
	@echo "make format                       ruff format, then ruff check --fix"

demo:
	bash scripts/bootstrap.sh
	.venv/bin/warden demo $(ARGS)

test:
	bash scripts/test.sh $(ARGS)

lint:
	bash scripts/bootstrap.sh
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy warden

format:
	bash scripts/bootstrap.sh
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .
