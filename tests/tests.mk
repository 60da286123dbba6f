# Tests: unit programs (tests/unit/t_*.c, one per module), end-to-end tests
# (tests/e2e/test_*.py, run against the real program), golden builds and the
# fuzz corpora replayed; the whole suite once plain and once under ASan+UBSan.

# test_hook.py reads the CI workflow example with Python's yaml.
TEST_PKGS += python3-yaml

T_SRC = $(sort $(wildcard tests/unit/t_*.c))
T_BIN = $(T_SRC:tests/unit/%.c=tests/.build/plain/%)
T_SAN_BIN = $(T_SRC:tests/unit/%.c=tests/.build/san/%)
FUZZ_SRC = $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_REPLAY = $(FUZZ_SRC:tests/fuzz/%.c=tests/.build/plain/replay_%)
FUZZ_SAN_REPLAY = $(FUZZ_SRC:tests/fuzz/%.c=tests/.build/san/replay_%)

tests/.build/plain/t_%: tests/unit/t_%.c tests/unit/harness.h tests/unit/shell.h $(CK_LIB_OBJ)
	@mkdir -p $(@D)
	$(CC) $(CK_WARN) $(CFLAGS) $(CK_PKG_CFLAGS) $(CK_INC) -o $@ $< $(CK_LIB_OBJ) $(CK_PKG_LIBS) -lm

tests/.build/san/t_%: tests/unit/t_%.c tests/unit/harness.h tests/unit/shell.h $(CK_SAN_LIB_OBJ)
	@mkdir -p $(@D)
	$(CC) $(CK_WARN) -O1 -g $(SAN_FLAGS) $(CK_PKG_CFLAGS) $(CK_INC) -o $@ $< $(CK_SAN_LIB_OBJ) $(CK_PKG_LIBS) -lm

tests/.build/plain/replay_%: tests/fuzz/%.c tests/fuzz/replay.c $(CK_LIB_OBJ)
	@mkdir -p $(@D)
	$(CC) $(CK_WARN) $(CFLAGS) $(CK_PKG_CFLAGS) $(CK_INC) -o $@ $< tests/fuzz/replay.c $(CK_LIB_OBJ) $(CK_PKG_LIBS) -lm

tests/.build/san/replay_%: tests/fuzz/%.c tests/fuzz/replay.c $(CK_SAN_LIB_OBJ)
	@mkdir -p $(@D)
	$(CC) $(CK_WARN) -O1 -g $(SAN_FLAGS) $(CK_PKG_CFLAGS) $(CK_INC) -o $@ $< tests/fuzz/replay.c $(CK_SAN_LIB_OBJ) $(CK_PKG_LIBS) -lm

tests/.build/san/congkhai: $(CK_SAN_OBJ)
	@mkdir -p $(@D)
	$(CC) -g $(SAN_FLAGS) -o $@ $(CK_SAN_OBJ) $(CK_PKG_LIBS) -lm

test-build: publisher/congkhai $(T_BIN) $(FUZZ_REPLAY)
test-build-san: tests/.build/san/congkhai $(T_SAN_BIN) $(FUZZ_SAN_REPLAY)

test: test-deps
	$(MAKE) test-build test-build-san
	sh tests/run.sh

# libFuzzer builds of the fuzz targets (clang); run e.g.
#   tests/.build/fuzz/fuzz_frontmatter tests/fuzz/corpus/fuzz_frontmatter
FUZZ_BIN = $(FUZZ_SRC:tests/fuzz/%.c=tests/.build/fuzz/%)
tests/.build/fuzz/%: tests/fuzz/%.c $(CK_LIB_SRC)
	@mkdir -p $(@D)
	clang $(CK_WARN) -O1 -g -fsanitize=fuzzer,address,undefined -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION $(CK_PKG_CFLAGS) $(CK_INC) -o $@ $< $(CK_LIB_SRC) $(CK_PKG_LIBS) -lm

fuzz: deps
	@sh publisher/deps.sh clang libclang-rt-14-dev
	$(MAKE) $(FUZZ_BIN)

.PHONY: test test-build test-build-san fuzz

# Benchmarks of issue #7 on generated corpora, Hugo side by side (not tests):
# BENCH_SIZES="10000 100000", BENCH_ROUNDS, BENCH_HUGO_MAX (tests/bench/run.sh).
bench: publisher/congkhai
	@sh publisher/deps.sh time hugo
	sh tests/bench/run.sh $(BENCH_SIZES)

.PHONY: bench
