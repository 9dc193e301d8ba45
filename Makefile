# Cohort pipeline: file targets, so `make` reruns exactly the stale stages.
#
# `make CONFIG=path/to/pipeline.json` runs that project: before any rule is read, the stage
# binary reads the configuration (`--make-vars`) and writes under its work_dir/.config/, each file
# only when its content changes: one slice of the resolved configuration per stage (with a
# defaulted as_of resolved for today, SOURCE_DATE_EPOCH honoured), the state of every configured
# source file, and make.mk naming work_dir, reports_dir and the report files, included below.
# Each stage's manifest is its target; it depends on the stage binary, its config slice, its
# inputs (the upstream manifests, or the source state for ingest) and its own outputs, so an
# output newer than its manifest (a run killed between renames, a hand edit) reruns the stage.

.DELETE_ON_ERROR:
.SUFFIXES:
.DEFAULT_GOAL := all

# cohort and churn-attribution both wait only on normalize: run them side by side on two cores.
# Each stage's lines are printed together when it finishes. `make JOBS=1` runs one at a time.
JOBS    ?= 2
MAKEFLAGS += -j$(JOBS) --output-sync=target

CONFIG  ?= pipeline.json
# The folder of this Makefile ("" when run from it), so `make -f path/to/Makefile` finds the build.
ROOT    := $(patsubst ./%,%,$(dir $(firstword $(MAKEFILE_LIST))))
ROOT    := $(if $(filter ./,$(ROOT)),,$(ROOT))
BIN     ?= $(ROOT).build/release
# Non-empty when BIN was given (on the command line or in the environment): those binaries are
# used as they are, never built nor touched.
BIN_GIVEN := $(filter-out file default,$(origin BIN))
STAGES  := ingest normalize cohort churn-attribution report
BINS    := $(addprefix $(BIN)/,$(STAGES) generate-sample cohort-bench)
SWIFT_SOURCES ?= $(ROOT)Package.swift $(shell find $(ROOT)Sources -name '*.swift' 2>/dev/null)

# Goals that need no configuration (the rest read it, building the binaries first if needed).
NO_CONFIG_GOALS := test help build bench bench-scale format
ifneq ($(filter-out $(NO_CONFIG_GOALS),$(or $(MAKECMDGOALS),all)),)
  # make splits file names at spaces: stop here rather than on a half path later.
  ifeq ($(strip $(CONFIG)),)
    $(error CONFIG is empty: pass CONFIG=path/to/pipeline.json)
  else ifneq ($(words $(CONFIG)),1)
    $(error CONFIG="$(CONFIG)": make cannot handle a path with spaces; use a project path without spaces, or run the stage binaries directly, which accept it (ingest --config "PATH", then normalize, cohort, churn-attribution and report))
  endif
  # Missing, or older than a source file (after a pull): build before asking it anything. A BIN
  # given on the command line or in the environment (another build, such as the tests' debug
  # one) is used as it is.
  STALE_BIN := $(if $(BIN_GIVEN),,$(if $(wildcard $(BIN)/ingest),$(shell find $(ROOT)Package.swift $(ROOT)Sources -newer $(BIN)/ingest -name '*.swift' -print -quit 2>/dev/null),missing))
  ifneq ($(STALE_BIN),)
    $(info make: building the stage binaries first (swift build -c release))
    BUILD_STATUS := $(shell swift build -c release --package-path '$(or $(ROOT),.)' >&2; echo $$?)
    ifneq ($(BUILD_STATUS),0)
      $(error swift build failed (see above))
    endif
  endif
  ifeq ($(wildcard $(CONFIG)),)
    $(error the configuration $(CONFIG) does not exist; pass CONFIG=path/to/pipeline.json)
  endif
  PIPELINE_MK := $(shell $(BIN)/ingest --config '$(CONFIG)' --make-vars)
  ifeq ($(PIPELINE_MK),)
    $(error the configuration $(CONFIG) was refused (the message above says why and what to change))
  endif
  include $(PIPELINE_MK)
endif

# The folders come from the configuration: WORK, REPORTS and RAW given on the command line are ignored.
$(foreach v,WORK REPORTS RAW,$(if $(filter command line,$(origin $(v))),$(warning $(v) is ignored: make reads work_dir, reports_dir and the sources from $(CONFIG))))
SLICE    = $(PIPELINE_STATE)/$(1).json
MANIFEST = $(PIPELINE_WORK)/$(1)/$(1).manifest.json
# A stage's own outputs that exist now: one newer than the manifest means the stage did not finish.
OUTPUTS  = $(wildcard $(PIPELINE_WORK)/$(1)/*.jsonl $(PIPELINE_WORK)/$(1)/*.json)

.PHONY: all help ingest normalize cohort churn-attribution report test bench bench-scale clean build format FORCE

# A stage whose manifest does not match its outputs (one missing, resized, or newer) did not finish.
$(foreach s,$(PIPELINE_UNFINISHED),$(eval $(call MANIFEST,$(s)): FORCE))

all: $(call MANIFEST,report) ## Run every stale stage on CONFIG (default pipeline.json) and write the reports
	$(CHECK_VERDICT)

build: $(BINS) ## Build the release binaries (one build shared by all stages)

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | awk -F'\t' '{ printf "  make %-20s %s\n", $$1, $$2 }'

ifneq ($(BIN_GIVEN),)
$(BINS):
	@test -x $@ || { echo "make: $@ is missing; build it, or leave BIN unset to use $(ROOT).build/release" >&2; exit 2; }
else
$(BINS) &: $(SWIFT_SOURCES)
	swift build -c release --package-path '$(or $(ROOT),.)'
	@touch $(BINS)
endif

$(call MANIFEST,ingest): $(BIN)/ingest $(call SLICE,ingest) $(PIPELINE_STATE)/sources.state $(filter-out %/ingest.manifest.json,$(call OUTPUTS,ingest))
	$(BIN)/ingest --config $(CONFIG)

$(call MANIFEST,normalize): $(BIN)/normalize $(call SLICE,normalize) $(call MANIFEST,ingest) $(filter-out %/normalize.manifest.json,$(call OUTPUTS,normalize))
	$(BIN)/normalize --config $(CONFIG)

$(call MANIFEST,cohort): $(BIN)/cohort $(call SLICE,cohort) $(call MANIFEST,normalize) $(filter-out %/cohort.manifest.json,$(call OUTPUTS,cohort))
	$(BIN)/cohort --config $(CONFIG)

$(call MANIFEST,churn-attribution): $(BIN)/churn-attribution $(call SLICE,churn-attribution) $(call MANIFEST,normalize) $(call MANIFEST,ingest) $(filter-out %/churn-attribution.manifest.json,$(call OUTPUTS,churn-attribution))
	$(BIN)/churn-attribution --config $(CONFIG)

# A breached check (exit 3) fails make but keeps the written report and its manifest: the next
# `make` reruns nothing until something changes, and fails again (CHECK_VERDICT) while the kept
# summary.json says a check is breached, so a CI job that keeps work_dir cannot turn green.
CHECK_VERDICT = @if grep -q '"passed": false' '$(PIPELINE_REPORTS)/summary.json' 2>/dev/null; then \
	echo "make: a report check is breached (exit 3): $(PIPELINE_REPORTS)/summary.json, from the last report run, has \"passed\": false" >&2; exit 3; fi
.PRECIOUS: $(call MANIFEST,report)
$(call MANIFEST,report): $(BIN)/report $(call SLICE,report) $(call MANIFEST,cohort) $(call MANIFEST,churn-attribution) $(call MANIFEST,ingest) $(call MANIFEST,normalize) $(wildcard $(PIPELINE_REPORT_FILES))
	@echo '$(BIN)/report --config $(CONFIG)'; $(BIN)/report --config $(CONFIG) && exit 0; status=$$?; \
	if [ $$status -eq 3 ]; then echo "make: a report check is breached (exit 3); the reports in $(PIPELINE_REPORTS) are written and kept" >&2; fi; \
	exit $$status

ingest: $(call MANIFEST,ingest) ## Run ingest if stale
normalize: $(call MANIFEST,normalize) ## Run normalize (and what it needs) if stale
cohort: $(call MANIFEST,cohort) ## Run cohort (and what it needs) if stale
churn-attribution: $(call MANIFEST,churn-attribution) ## Run churn-attribution (and what it needs) if stale
report: $(call MANIFEST,report) ## Write the reports (and run what it needs) if stale
	$(CHECK_VERDICT)

test: ## Run the test suite (unit, end-to-end, golden files)
	swift build --build-tests
	swift test --skip-build

format: ## Format the Swift sources as .swift-format says (CI checks it with swift format lint --strict)
	swift format format --in-place --recursive --parallel $(ROOT)Sources $(ROOT)Tests $(ROOT)Package.swift

BENCH_CUSTOMERS ?= 100000
bench: $(BINS) ## Benchmark every stage on generated data (BENCH_CUSTOMERS=100000)
	bash scripts/bench.sh $(BENCH_CUSTOMERS)

bench-scale: $(BINS) ## Benchmark both data shapes at 100k and 1M customers and compare them (scripts/bench/scale.py)
	for shape in saas retail; do for n in 100000 1000000; do \
	  BENCH_SHAPE=$$shape BENCH_LABELS=0 bash scripts/bench.sh $$n || exit 1; done; done
	bash scripts/bench/labels.sh
	python3 scripts/bench/scale.py

clean: ## Remove only the files the pipeline wrote for CONFIG (outputs, manifests, temporaries, work_dir/.config) and the folders it created
	@$(BIN)/ingest --config '$(CONFIG)' --clean
