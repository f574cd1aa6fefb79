# The README's two commands live here: `make demo` and `make test`. Both set up what they need.
BUILD      ?= build
BUILD_ASAN ?= build-asan
BUILD_FUZZ ?= build-fuzz
FUZZ_SECONDS ?= 600
FUZZ_SMOKE_SECONDS ?= 60
JOBS       ?= $(shell nproc)

# ccache (Debian's) when present: its cache lives outside the clone (CCACHE_DIR, default
# /var/cache/faxover-ccache) and its keys ignore where the clone is (CCACHE_BASEDIR, NOHASHDIR), so a
# fresh clone in another folder, as CI makes, reuses what an earlier build compiled.
CCACHE := $(shell command -v ccache 2>/dev/null)
export CCACHE_DIR ?= /var/cache/faxover-ccache
export CCACHE_BASEDIR ?= $(CURDIR)
export CCACHE_NOHASHDIR ?= 1
export CCACHE_MAXSIZE ?= 5G
CMAKE_FLAGS := $(if $(CCACHE),-DCMAKE_CXX_COMPILER_LAUNCHER=$(CCACHE))

.PHONY: all setup configure build build-asan build-fuzz demo test test-unit test-faxguest fuzz-faxguest test-lab scenarios-rewrite bench soak clean

all: build

setup:
	./setup.sh

configure: setup
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)

build: configure
	cmake --build $(BUILD) -j $(JOBS)

# Only what runs under the sanitizers: the unit and scenario tests (lab tests drive real daemons and
# run unsanitized).
build-asan: setup
	cmake -S . -B $(BUILD_ASAN) -DCMAKE_BUILD_TYPE=Debug -DFAXOVER_SANITIZE=ON $(CMAKE_FLAGS)
	cmake --build $(BUILD_ASAN) -j $(JOBS) --target unit_tests faxguest_unit_tests scenario_runner fault_fuzzer

# The protocol parser's libFuzzer harness and nothing else, with Debian's clang (ASan+UBSan+fuzzer):
# a tree of its own, as the rest of the project builds with g++. Its ctest entry (label fuzz) runs
# the fuzzer for FUZZ_SMOKE_SECONDS.
build-fuzz: setup
	cmake -S . -B $(BUILD_FUZZ) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
	  -DFAXOVER_FUZZ_SECONDS=$(FUZZ_SMOKE_SECONDS) $(CMAKE_FLAGS)
	cmake --build $(BUILD_FUZZ) -j $(JOBS) --target fuzz_faxguest_protocol

# Two real libvirt hosts, a Linux guest, a live migration with a progress bar. Builds only the demo
# and what it runs (the daemon, the lab's helpers), not the test suites.
demo: configure
	cmake --build $(BUILD) -j $(JOBS) --target faxover-lab-demo
	$(BUILD)/tests/lab/faxover-lab-demo

# Every test: unit, scenario and lab tests in the normal build, unit and scenario tests again under
# ASan+UBSan, then the protocol fuzzer's smoke (FUZZ_SMOKE_SECONDS; the long run is fuzz-faxguest).
test: build build-asan build-fuzz
	ctest --test-dir $(BUILD_ASAN) -L 'unit|scenario' --output-on-failure -j $(JOBS)
	ctest --test-dir $(BUILD) --output-on-failure
	ctest --test-dir $(BUILD_FUZZ) -L fuzz --output-on-failure

test-unit: build
	ctest --test-dir $(BUILD) -L 'unit|scenario' --output-on-failure -j $(JOBS)

# Replays tests/scenarios and rewrites every log.expect: review the result with `git diff`.
scenarios-rewrite: build
	$(BUILD)/tests/scenarios/scenario_runner --rewrite $(patsubst %/README,%,$(wildcard tests/scenarios/*/README))

# The guest agent against a real HylaFAX on this machine (root, Debian's hylafax-server).
test-faxguest: build
	ctest --test-dir $(BUILD) -L faxguest --output-on-failure

# The protocol parser under libFuzzer (Debian's clang) for FUZZ_SECONDS (default 10 minutes); `make
# test` runs only a FUZZ_SMOKE_SECONDS smoke of it.
fuzz-faxguest: build-fuzz
	$(BUILD_FUZZ)/tests/faxguest/fuzz_faxguest_protocol -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
	  -artifact_prefix=$(BUILD_FUZZ)/tests/faxguest/ $(BUILD_FUZZ)/tests/faxguest/fuzz-corpus tests/faxguest/fuzz/seeds

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
	$(BUILD)/tests/bench/bench_policy
	$(BUILD)/tests/bench/bench_guest_agents
	$(BUILD)/tests/bench/bench_lab_failover
	$(BUILD)/tests/faxguest/bench_faxguest_agent

# Long soaks (not part of `make test`, which runs a short smoke of each): the licence kill -9 test
# with 20 runs on a lab of its own, and both fault fuzzers over more sequences and seeds. Figures in
# docs/performance.md and docs/testing.md.
LAB := FAXLAB_RELAY=$(BUILD)/tests/lab/faxover-lab-relay FAXLAB_REAPER=$(BUILD)/tests/lab/faxover-lab-reaper \
       FAXLAB_HOOK=$(BUILD)/hypervisor/hook/faxover-libvirt-hook FAXLAB_AGENT=$(BUILD)/faxguest/faxguest-agent tests/lab/faxover-lab
SOAK_LICENCE_RUNS ?= 20
SOAK_FUZZ_SEQUENCES ?= 3000
soak: build
	$(LAB) down && $(LAB) up 3 >/dev/null
	FAXOVER_LAB_LICENCE_RUNS=$(SOAK_LICENCE_RUNS) $(BUILD)/tests/lab/lab_tests "[licence]"; status=$$?; $(LAB) down; exit $$status
	for seed in 1 2 3; do \
	  $(BUILD)/tests/scenarios/fault_fuzzer --sequences $(SOAK_FUZZ_SEQUENCES) --seed $$seed --promotion || exit 1; \
	  $(BUILD)/tests/scenarios/fault_fuzzer --sequences $(SOAK_FUZZ_SEQUENCES) --seed $$seed --promotion --boards || exit 1; \
	done

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) $(BUILD_FUZZ)
