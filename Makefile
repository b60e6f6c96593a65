# Entry points: `make demo` (the main job on the shipped sample) and
# `make test` (the test suite). Both install missing Debian packages first
# (needs root, see scripts/install-deps.sh), configure and build.
BUILD ?= build
BUILD_SAN ?= build-sanitize
BUILD_FUZZ ?= build-fuzz
# seconds per reader's fuzzer in test-sanitize (ten readers)
FUZZ_SECONDS ?= 20
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

.PHONY: all deps build test test-sanitize demo bench clean

all: build

deps:
	@./scripts/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The same suite under AddressSanitizer + UndefinedBehaviorSanitizer, then
# every reader's libFuzzer target for FUZZ_SECONDS each (clang only; see
# docs/reliability.md).
test-sanitize: deps
	@# -O1, as the sanitizers' authors advise: about twice as fast as -O0, the same checks
	@cmake -S . -B $(BUILD_SAN) -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS_DEBUG="-g -O1" -DCMAKE_CXX_FLAGS_DEBUG="-g -O1" \
		-DAMORPH_SANITIZE=ON $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD_SAN) -j $(JOBS)
	@# test_readme only runs the README's commands, each tested on its own above: 2 minutes
	@# in Release, far longer under the sanitizers, for nothing they would not see
	@cd $(BUILD_SAN) && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j $(JOBS) -E '^test_readme$$'
	@if command -v clang >/dev/null 2>&1 && command -v clang++ >/dev/null 2>&1; then \
		cmake -S . -B $(BUILD_FUZZ) -DCMAKE_BUILD_TYPE=Debug -DAMORPH_FUZZ=ON -DCMAKE_C_COMPILER=clang \
			-DCMAKE_CXX_COMPILER=clang++ $(CMAKE_FLAGS) >/dev/null && \
		cmake --build $(BUILD_FUZZ) --target amorph_fuzzers -j $(JOBS) && \
		./tests/fuzz/run.sh $(FUZZ_SECONDS) $(BUILD_FUZZ); \
	else echo "test-sanitize: clang not found, fuzzers not run"; fi

demo: build
	@./scripts/demo.sh $(BUILD)/amorph

bench: build
	@./bench/eam/run.sh $(BUILD)/amorph
	@./bench/describe/run.sh $(BUILD)/amorph
	@./bench/modes/run.sh $(BUILD)/amorph

clean:
	rm -rf $(BUILD) $(BUILD_SAN) $(BUILD_FUZZ)
