# The README's two commands live here: `make demo` and `make test`. Both set up what they need.
BUILD      ?= build
BUILD_ASAN ?= build-asan
JOBS       ?= $(shell nproc)

.PHONY: all setup build build-asan demo test test-unit test-lab bench clean

all: build

setup:
	./setup.sh

build: setup
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(BUILD) -j $(JOBS)

# Only what runs under the sanitizers: the unit tests (lab tests drive real daemons and run unsanitized).
build-asan: setup
	cmake -S . -B $(BUILD_ASAN) -DCMAKE_BUILD_TYPE=Debug -DFAXOVER_SANITIZE=ON
	cmake --build $(BUILD_ASAN) -j $(JOBS) --target unit_tests

# Two real libvirt hosts, a Linux guest, a live migration with a progress bar.
demo: build
	$(BUILD)/tests/lab/faxover-lab-demo

# Every test: unit and lab tests in the normal build, unit tests again under ASan+UBSan.
test: build build-asan
	ctest --test-dir $(BUILD_ASAN) -L unit --output-on-failure -j $(JOBS)
	ctest --test-dir $(BUILD) --output-on-failure

test-unit: build
	ctest --test-dir $(BUILD) -L unit --output-on-failure -j $(JOBS)

test-lab: build
	ctest --test-dir $(BUILD) -L lab --output-on-failure

# Figures for docs/performance.md (not part of `make test`: timings are measured, not asserted).
bench: build
	$(BUILD)/tests/bench/bench_lab_migration
	$(BUILD)/tests/bench/bench_lab_detection
	$(BUILD)/tests/bench/bench_placement
	$(BUILD)/tests/bench/bench_store $(BUILD)

clean:
	rm -rf $(BUILD) $(BUILD_ASAN)
