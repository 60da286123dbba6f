#!/bin/sh
# Runs the whole suite twice: with the plain build and with the ASan+UBSan
# build. Every part prints "N passed, N failed"; the sum closes the run.
cd "$(dirname "$0")/.." || exit 3
top=$(pwd)
passed=0
failed=0
log=tests/.build/run.log
mkdir -p tests/.build
: >"$log"

count() { # name, then the command; adds its closing counts to the totals
	name=$1
	shift
	out=$("$@" 2>&1)
	rc=$?
	printf '%s\n' "$out" >>"$log"
	line=$(printf '%s\n' "$out" | grep -E '[0-9]+ passed, [0-9]+ failed' | tail -n 1)
	p=$(printf '%s' "$line" | sed -nE 's/.*\b([0-9]+) passed.*/\1/p')
	f=$(printf '%s' "$line" | sed -nE 's/.* ([0-9]+) failed.*/\1/p')
	[ -n "$p" ] || p=0
	[ -n "$f" ] || f=0
	if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1 # crashed or failed without saying so
	fi
	if [ "$f" -ne 0 ]; then
		printf '%s\n' "$out" | tail -n 40
	fi
	echo "$name: $p passed, $f failed"
	passed=$((passed + p))
	failed=$((failed + f))
}

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=99
export LSAN_OPTIONS=suppressions=$top/tests/lsan.supp:print_suppressions=0
export CONGKHAI_SHARED="$top/../shared"
export TZ=Asia/Ho_Chi_Minh

for mode in plain san; do
	bin=tests/.build/$mode
	if [ $mode = plain ]; then
		export CONGKHAI="$top/publisher/congkhai"
	else
		export CONGKHAI="$top/$bin/congkhai"
	fi
	for t in "$bin"/t_*; do
		[ -x "$t" ] || continue
		count "$mode $(basename "$t")" "$t"
	done
	for r in "$bin"/replay_*; do
		[ -x "$r" ] || continue
		name=$(basename "$r" | sed 's/^replay_//')
		count "$mode $name corpus" "$r" "tests/fuzz/corpus/$name"
	done
	count "$mode end-to-end" python3 tests/e2e/run.py
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
