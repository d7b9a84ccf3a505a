# Quantum Agent — `make run` and `make test` each do the whole job on a fresh
# Debian 12 machine that has Swift: install missing system packages (as root),
# build, run.

SWIFT        ?= swift
PACKAGES     := libnuma-dev libhiredis-dev redis-server openssl curl
RELEASE_BIN  := .build/release/quantum-agent
RUN_ARGS     ?= run

.PHONY: run test deps build release bench clean

## System packages: installed with apt-get when root, otherwise the command is printed.
deps:
	@missing=""; \
	for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
	  else \
	    echo "missing system packages:$$missing"; \
	    echo "install them with: sudo apt-get install -y$$missing"; \
	    exit 1; \
	  fi; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product quantum-agent

## The agent's main job on its embedded defaults.
run: release
	$(RELEASE_BIN) $(RUN_ARGS)

## All tests, against a redis-server of their own on a free loopback port.
test: deps
	$(SWIFT) build --build-tests
	scripts/with-redis.sh scripts/test-summary.sh $(SWIFT) test --skip-build
	scripts/fuzz-wire.sh 30

## package-benchmark suites (time, mallocs and context switches per message or
## tick), in their own scratch path: one run, stored as the baseline `make-bench`,
## printed, then checked against the static thresholds (Perf/Benchmarks/Thresholds:
## zero mallocs per iteration of 1,000 messages or ticks); fails when one is exceeded.
## The tables print mallocs per message (divided by 1,000, marked *); the check
## counts them per iteration. Mallocs are counted by the malloc interposer, so no
## jemalloc is needed.
BENCH_SCRATCH ?= $(CURDIR)/.build-bench
BENCH = cd Perf/Benchmarks && $(SWIFT) package --scratch-path $(BENCH_SCRATCH) --allow-writing-to-package-directory benchmark
bench: deps
	$(BENCH) baseline update make-bench --no-progress
	$(BENCH) baseline read make-bench --no-progress
	$(BENCH) thresholds check make-bench --path Thresholds --no-progress

clean:
	rm -rf .build
