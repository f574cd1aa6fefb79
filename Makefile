# The README's two commands live here: `make demo` and `make test`. Both set up what they need.
BUILD      ?= build
BUILD_ASAN ?= build-asan
JOBS       ?= $(shell nproc)

.PHONY: all setup build build-asan demo test test-unit test-lab scenarios-rewrite bench clean

all: build

setup:
	./setup.sh

build: setup
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(BUILD) -j $(JOBS)

# Only what runs under the sanitizers: the unit and scenario tests (lab tests drive real daemons and
# run unsanitized).
build-asan: setup
	cmake -S . -B $(BUILD_ASAN) -DCMAKE_BUILD_TYPE=Debug -DFAXOVER_SANITIZE=ON
	cmake --build $(BUILD_ASAN) -j $(JOBS) --target unit_tests scenario_runner fault_fuzzer

# Two real libvirt hosts, a Linux guest, a live migration with a progress bar.
demo: build
	$(BUILD)/tests/lab/faxover-lab-demo

# Every test: unit, scenario and lab tests in the normal build, unit and scenario tests again under
# ASan+UBSan.
test: build build-asan
	ctest --test-dir $(BUILD_ASAN) -L 'unit|scenario' --output-on-failure -j $(JOBS)
	ctest --test-dir $(BUILD) --output-on-failure

test-unit: build
	ctest --test-dir $(BUILD) -L 'unit|scenario' --output-on-failure -j $(JOBS)

# Replays tests/scenarios and rewrites every log.expect: review the result with `git diff`.
scenarios-rewrite: build
	$(BUILD)/tests/scenarios/scenario_runner --rewrite $(patsubst %/README,%,$(wildcard tests/scenarios/*/README))

test-lab: build
	ctest --test-dir $(BUILD) -L lab --output-on-failure

# Figures for docs/performance.md (not part of `make test`: timings are measured, not asserted).
bench: build
	$(BUILD)/tests/bench/bench_lab_migration
	$(BUILD)/tests/bench/bench_lab_detection
	$(BUILD)/tests/bench/bench_lab_pci_inventory
	$(BUILD)/tests/bench/bench_placement
	$(BUILD)/tests/bench/bench_store $(BUILD)
	$(BUILD)/tests/bench/bench_engine
	$(BUILD)/tests/bench/bench_lab_failover

clean:
	rm -rf $(BUILD) $(BUILD_ASAN)
