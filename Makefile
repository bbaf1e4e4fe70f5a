# optrepl: `make run` sets everything up and starts the REPL; `make test` runs every test.
# Both install what is missing first (Debian packages through apt-get).

SWIFT ?= swift
APT_PACKAGES_RUN  := libedit-dev libopenblas0-pthread libzmq3-dev libssl3 librsvg2-2 libcairo2
APT_PACKAGES_TEST := libedit-dev libopenblas0-pthread tmux librsvg2-bin poppler-utils lua5.4 libzmq3-dev libssl3 chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# A static Swift standard library saves about 0.7 ms of dynamic loading at every start, and
# with it the executable can be linked position-dependent (-no-pie), which saves the loader
# 39,000 relative relocations and their page faults: another 0.7 ms. (Linked against the
# shared standard library, a position-dependent binary makes the loader print warnings.)
RELEASE := $(SWIFT) build -c release --product optrepl --static-swift-stdlib -Xswiftc -Xclang-linker -Xswiftc -no-pie

.PHONY: run test build release deps-run deps-test bench docs clean fuzz fuzz-campaign sanitize

run: deps-run release
	./.build/release/optrepl

test: deps-test
	$(SWIFT) build
	$(RELEASE)
	# The interpreter recurses on the native stack; a debug build's frames are large, so the
	# in-process tests get the stack the command line gives itself (LargeStack.swift).
	ulimit -s 1048576 && OPTREPL_RELEASE_BIN=$(CURDIR)/.build/release/optrepl $(SWIFT) test --disable-swift-testing

build:
	$(SWIFT) build

release:
	$(RELEASE)

# Installs the Debian packages that are not there yet (apt-get update only when needed).
define apt_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

deps-run:
	$(call apt_install,$(APT_PACKAGES_RUN))

deps-test:
	$(call apt_install,$(APT_PACKAGES_TEST))
	@python3 -c "import numpy" 2>/dev/null || pip install -q numpy
	@# The Jupyter kernel's tests (Tests/jupyter): jupyter_client, nbclient, nbconvert, and the
	@# Pygments lexer for .opt that nbconvert highlights cells with.
	@python3 -c "import jupyter_client, nbclient, nbconvert" 2>/dev/null || pip install -q jupyter_client nbclient nbconvert
	@python3 -c "from pygments.lexers import get_lexer_by_name; get_lexer_by_name('optrepl')" 2>/dev/null || \
		{ pip install -q ./editors/pygments && rm -rf editors/pygments/build editors/pygments/*.egg-info; }

# The benchmarks' peers: NumPy, lua5.4, gcc, and PyTorch (CPU) for the optimizer-tree workload.
bench: deps-test release
	@python3 -c "import torch" 2>/dev/null || pip install -q "torch==2.13.0+cpu" || pip install -q torch || true
	python3 bench/run.py

# Regenerates docs/reference.md from the built-in table, the tutorial's outputs and plots, and
# docs/tutorial.ipynb (the tutorial as a notebook, executed by the kernel).
docs: release
	./.build/release/optrepl --reference > docs/reference.md
	python3 docs/tutorial.py $(CURDIR)/.build/release/optrepl
	python3 docs/tutorial_notebook.py $(CURDIR)/.build/release/optrepl

# A larger fuzz campaign than the suite's (Tests/fuzz/campaign.py; the report names each
# distinct failure with a minimised program). FUZZ_SEED and FUZZ_COUNT choose the programs.
FUZZ_SEED ?= 1
FUZZ_COUNT ?= 20000
fuzz-campaign: release
	python3 Tests/fuzz/campaign.py --seed $(FUZZ_SEED) --count $(FUZZ_COUNT) --binary $(CURDIR)/.build/release/optrepl --report $(CURDIR)/fuzz/campaign-report.md

# libFuzzer on the lexer, parser and evaluator in one process (fuzz/Package.swift, its own
# package beside the main one); crashes are written to fuzz/artifacts/. FUZZ_SECONDS bounds it.
# Leak checks are off: the question is traps (a leak at exit is not a crash of the language).
FUZZ_SECONDS ?= 300
fuzz:
	cd fuzz && $(SWIFT) build -c debug -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
	mkdir -p fuzz/artifacts fuzz/work-corpus
	cd fuzz && ASAN_OPTIONS=detect_leaks=0 ./.build/debug/optrepl-fuzz -dict=optrepl.dict -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=4096 -max_len=4096 -artifact_prefix=artifacts/ work-corpus corpus

# Sanitizers (docs/reliability.md): the whole suite, and every program of the fuzz corpus, on a
# build with AddressSanitizer (UndefinedBehaviorSanitizer too on the C kernels; Swift checks
# its own arithmetic and bounds); then the paths with a second thread (page prefaulting, the
# --max-seconds watchdog, Ctrl-C, exercise checks) under ThreadSanitizer.
SAN_ASAN := --scratch-path .build-asan --sanitize=address -Xcc -fsanitize=undefined -Xcc -fno-sanitize-recover=undefined
# The binary the end-to-end tests run is an optimised ASan build: the course experiment and the
# fuzz campaign take minutes in a debug build under ASan. The in-process tests run in debug.
sanitize: deps-test
	$(SWIFT) build -c release --product optrepl $(SAN_ASAN)
	ASAN_OPTIONS=detect_leaks=0 OPTREPL_BIN=$(CURDIR)/.build-asan/release/optrepl OPTREPL_RELEASE_BIN=$(CURDIR)/.build-asan/release/optrepl \
		$(SWIFT) test $(SAN_ASAN) --disable-swift-testing
	ASAN_OPTIONS=detect_leaks=0 python3 Tests/sanitize/run_programs.py $(CURDIR)/.build-asan/release/optrepl fuzz/corpus
	$(SWIFT) build --scratch-path .build-tsan --sanitize=thread
	python3 Tests/sanitize/threads.py $(CURDIR)/.build-tsan/debug/optrepl

clean:
	rm -rf .build
