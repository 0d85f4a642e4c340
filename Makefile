# The two commands of the README. Both set up whatever is missing first (scripts/bootstrap.sh).
SHELL := /bin/bash
VENV ?= .venv
PYTEST := $(VENV)/bin/python -m pytest
RESULTS := reports/allure-results
# Extra pytest arguments, e.g. make e2e PYTEST_ARGS="-n 2" or PYTEST_ARGS="-k consent --headed"
PYTEST_ARGS ?=

.PHONY: setup check e2e test report lint images images-test typecheck bench serve flake-check fuzz e2e-explore model-explore mutants mutants-generated sweep clean

setup:
	@scripts/bootstrap.sh

## make e2e: the browser scenarios on the embedded mock ESIA + reference portal, then the report.
## The same code as `esia-e2e run` (make itself turns any non-zero code into 2: the code of the
## run is the one `esia-e2e run` prints on its last line; CI jobs call `esia-e2e run` directly).
## Two pytest-xdist workers by default (17 % faster here: the scenarios' real waits overlap);
## E2E_WORKERS=1 runs in one process, as `--pdb` and print-debugging want.
E2E_WORKERS ?= 2
WORKERS_ARG = $(if $(filter-out 1,$(E2E_WORKERS)),-n $(E2E_WORKERS))
e2e: setup
	@$(VENV)/bin/esia-e2e run $(WORKERS_ARG) $(if $(PYTEST_ARGS),-- $(PYTEST_ARGS))

## make check: the one-minute loop — the tests that need no browser and start no process
## (ESIA_E2E_CHECK=1 turns a process started by a test into an error naming the missing marker).
check: setup
	@ESIA_E2E_CHECK=1 $(PYTEST) tests -m "not e2e and not slow" -n auto -q -p no:cacheprovider \
		$(PYTEST_ARGS)

## make test: lint, the tests in tests/ (all markers), and the browser scenarios in e2e/.
test: setup lint
	@rc=0; $(PYTEST) tests e2e --alluredir=$(RESULTS) --clean-alluredir \
		--junitxml=reports/junit.xml $(PYTEST_ARGS) || rc=$$?; \
	$(VENV)/bin/esia-e2e report >/dev/null || true; \
	exit $$rc

report:
	@$(VENV)/bin/esia-e2e report

## make sweep: every answer ESIA can give, one login each (docs/sweep.md); e.g.
## make sweep SWEEP_ARGS="--portal-profile ours.toml --portal-url … --esia-url …"
SWEEP_ARGS ?=
sweep: setup
	@$(VENV)/bin/esia-e2e sweep $(SWEEP_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/python scripts/typecheck.py
	$(VENV)/bin/python scripts/lint_imports.py

## make typecheck: mypy alone (the mock and the plugin clean; the rest held to mypy-baseline.txt).
typecheck: setup
	$(VENV)/bin/python scripts/typecheck.py

## make serve PERSONA=no_oms FAULT=maintenance:lasts=600,persona=@1 SEED=42: reproduce by hand.
## The same as `esia-e2e serve --persona no_oms --fault … --seed 42`.
PERSONA ?= verified
serve: setup
	@$(VENV)/bin/esia-e2e serve $(foreach p,$(PERSONA),--persona $(p)) \
		$(if $(FAULT),--fault '$(FAULT)') $(if $(SEED),--seed $(SEED)) \
		$(if $(ESIA_PORT),--esia-port $(ESIA_PORT)) $(if $(PORTAL_PORT),--portal-port $(PORTAL_PORT))

## make flake-check: the scenario catalogue 10 times in a row, no retries; stops at a failure;
## with E2E_WORKERS workers, as `make e2e` runs it.
## BURN=N runs N busy processes beside it (bounded: they stop by themselves after the runs).
RUNS ?= 10
BURN ?= 0
flake-check: setup
	@burner=; if [ "$(BURN)" != "0" ]; then $(VENV)/bin/python scripts/cpu_burner.py \
		--processes $(BURN) --seconds $$(( $(RUNS) * 150 )) & burner=$$!; fi; \
	trap '[ -z "$$burner" ] || kill $$burner 2>/dev/null || true' EXIT; \
	for run in $$(seq $(RUNS)); do echo "== run $$run of $(RUNS)"; \
		$(PYTEST) e2e -q $(WORKERS_ARG) $(PYTEST_ARGS) || exit 1; done

## make fuzz: schemathesis over the admin API and Hypothesis over the protocol and the portal,
## many examples with fresh random seeds (make test runs the same suite bounded and seeded).
FUZZ_EXAMPLES ?= 200
fuzz: setup
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_RANDOM=1 $(PYTEST) tests/mock/test_fuzz.py tests/mock/test_hostile_input.py -q $(PYTEST_ARGS)

## make e2e-explore N=20: the model-based browser journeys (e2e/test_explore.py) with N random seeds
## instead of the catalogue's three fixed ones; a failure prints the shortest failing sequence.
e2e-explore: setup
	@$(VENV)/bin/esia-e2e run -- -k random_journey --explore $(or $(N),20) $(PYTEST_ARGS)

## make model-explore N=200: the model-based login journeys (tests/mock/test_login_model.py) with
## N fresh random sequences instead of make test's 12 seeded ones.
model-explore: setup
	LOGIN_MODEL_EXAMPLES=$(or $(N),200) FUZZ_RANDOM=1 $(PYTEST) tests/mock/test_login_model.py -q -p no:cacheprovider $(PYTEST_ARGS)

## make mutants-generated N=20 SEED=1: mutants drawn with a seed from every mutation point of the
## portal and the mock (scripts/generated_mutants.py), judged by the catalogue, then the sweep
## (+ tests/ first for the mock); writes reports/mutants-generated.md. 60-90 s per mutant here.
mutants-generated: setup
	@$(VENV)/bin/python scripts/mutants_generated.py --count $(or $(N),20) --seed $(or $(SEED),1)

## make mutants: the catalogue against each planted regression of tests/mutants/ (a scratch copy,
## serially); prints the table and the score, writes reports/mutants.md. MUTANTS= selects by glob.
MUTANTS ?= *
mutants: setup
	@$(VENV)/bin/python scripts/mutants.py --only '$(MUTANTS)'

## make bench: the benchmarks in bench/ (loopback only, bounded); figures are in docs/benchmarks.md.
bench: setup
	@for script in bench/bench_*.py; do echo "== $$script"; $(VENV)/bin/python $$script || exit 1; done

## make images: the container images mock-esia and esia-e2e (containers/*.Containerfile), built with
## podman from a wheelhouse of this venv; installs podman, buildah, runc and debootstrap as root.
## IMAGE_BASE=debian:bookworm-slim uses a registry's base instead of one made with debootstrap.
images: setup
	@scripts/images.sh

## make images-test: builds both, runs the catalogue image against the mock image and the reference
## portal, compares its conformance report with `esia-e2e run`'s, kills and restarts the mock on
## its volume, and brings up compose.yaml (about 5 minutes; part of make test under CI=true).
images-test: setup
	@ESIA_E2E_IMAGES=1 $(PYTEST) tests/system/test_images.py -q -p no:cacheprovider $(PYTEST_ARGS)

clean:
	rm -rf reports/allure-results reports/allure-report reports/test-results reports/*.xml
