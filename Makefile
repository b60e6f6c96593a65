# Entry points: `make demo` (the main job on the shipped sample) and
# `make test` (the test suite). Both install missing Debian packages first
# (needs root, see scripts/install-deps.sh), configure and build.
BUILD ?= build
BUILD_SAN ?= build-sanitize
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

# The same suite under AddressSanitizer + UndefinedBehaviorSanitizer.
test-sanitize: deps
	@cmake -S . -B $(BUILD_SAN) -DCMAKE_BUILD_TYPE=Debug -DAMORPH_SANITIZE=ON $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD_SAN) -j $(JOBS)
	@cd $(BUILD_SAN) && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j $(JOBS)

demo: build
	@./scripts/demo.sh $(BUILD)/amorph

bench: build
	@./bench/eam/run.sh $(BUILD)/amorph
	@./bench/describe/run.sh $(BUILD)/amorph
	@./bench/modes/run.sh $(BUILD)/amorph

clean:
	rm -rf $(BUILD) $(BUILD_SAN)
