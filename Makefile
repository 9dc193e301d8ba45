# Cohort pipeline: file targets, so `make` reruns exactly the stale stages.
#
# Each stage's manifest is its target. It depends on the stage binary, the stage's slice of the
# configuration (rewritten only when the settings that stage reads change) and its input files.
# Override CONFIG, WORK and REPORTS when pipeline.json moves its work_dir or reports_dir.

.DELETE_ON_ERROR:
.SUFFIXES:
.DEFAULT_GOAL := all

# cohort and churn-attribution both wait only on normalize: run them side by side on two cores.
# Each stage's lines are printed together when it finishes. `make JOBS=1` runs one at a time.
JOBS    ?= 2
MAKEFLAGS += -j$(JOBS) --output-sync=target

CONFIG  ?= pipeline.json
WORK    ?= data/work
REPORTS ?= reports
BIN     := .build/release
STAGES  := ingest normalize cohort churn-attribution report
BINS    := $(addprefix $(BIN)/,$(STAGES) generate-sample cohort-bench)
SWIFT_SOURCES := Package.swift $(shell find Sources -name '*.swift' 2>/dev/null)
RAW     ?= $(shell find data/raw -type f 2>/dev/null)
SLICE    = $(WORK)/.config/$(1).json
MANIFEST = $(WORK)/$(1)/$(1).manifest.json

.PHONY: all help ingest normalize cohort churn-attribution report test bench clean build

all: $(call MANIFEST,report) ## Run every stale stage on pipeline.json and write reports/

build: $(BINS) ## Build the release binaries (one build shared by all stages)

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | awk -F'\t' '{ printf "  make %-20s %s\n", $$1, $$2 }'

$(BINS) &: $(SWIFT_SOURCES)
	swift build -c release
	@touch $(BINS)

# A stage's config slice: the stamp reruns whenever pipeline.json changes, the slice file itself
# changes only when that stage's settings do.
$(WORK)/.config/%.stamp: $(CONFIG) $(BIN)/%
	@mkdir -p $(@D)
	@$(BIN)/$* --config $(CONFIG) --write-config-slice $(WORK)/.config/$*.json
	@touch $@
$(WORK)/.config/%.json: $(WORK)/.config/%.stamp ;
.PRECIOUS: $(WORK)/.config/%.stamp $(WORK)/.config/%.json

$(call MANIFEST,ingest): $(BIN)/ingest $(call SLICE,ingest) $(RAW)
	$(BIN)/ingest --config $(CONFIG)

$(call MANIFEST,normalize): $(BIN)/normalize $(call SLICE,normalize) $(call MANIFEST,ingest)
	$(BIN)/normalize --config $(CONFIG)

$(call MANIFEST,cohort): $(BIN)/cohort $(call SLICE,cohort) $(call MANIFEST,normalize)
	$(BIN)/cohort --config $(CONFIG)

$(call MANIFEST,churn-attribution): $(BIN)/churn-attribution $(call SLICE,churn-attribution) $(call MANIFEST,normalize) $(call MANIFEST,ingest)
	$(BIN)/churn-attribution --config $(CONFIG)

$(call MANIFEST,report): $(BIN)/report $(call SLICE,report) $(call MANIFEST,cohort) $(call MANIFEST,churn-attribution)
	$(BIN)/report --config $(CONFIG)

ingest: $(call MANIFEST,ingest) ## Run ingest if stale
normalize: $(call MANIFEST,normalize) ## Run normalize (and what it needs) if stale
cohort: $(call MANIFEST,cohort) ## Run cohort (and what it needs) if stale
churn-attribution: $(call MANIFEST,churn-attribution) ## Run churn-attribution (and what it needs) if stale
report: $(call MANIFEST,report) ## Write reports/ (and run what it needs) if stale

test: ## Run the test suite (unit, end-to-end, golden files)
	swift build --build-tests
	swift test --skip-build

BENCH_CUSTOMERS ?= 100000
bench: $(BINS) ## Benchmark every stage on generated data (BENCH_CUSTOMERS=100000)
	bash scripts/bench.sh $(BENCH_CUSTOMERS)

clean: ## Remove stage outputs and reports (keeps the build)
	rm -rf $(WORK) $(REPORTS)/report.md $(REPORTS)/report.html $(REPORTS)/summary.json
