#!/bin/sh
# Benchmark: times `congkhai build` (and `check`) on generated corpora and
# prints the figures. Usage: tests/bench/run.sh [QUESTIONS...]
# (default 1000 10000 100000). Not part of `make test`: run `make bench`.
set -e
cd "$(dirname "$0")/../.."
bin=${CONGKHAI:-publisher/congkhai}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ $# -gt 0 ] || set -- 1000 10000 100000
printf '%-10s %-8s %10s %10s %12s %10s\n' questions command seconds q/second max_rss_MB files
for n in "$@"; do
	python3 tests/bench/gen_corpus.py "$work/c$n" "$n" >/dev/null
	for cmd in check build; do
		args="$cmd -C $work/c$n --today 2026-01-15"
		[ $cmd = build ] && args="$args -o $work/out$n"
		/usr/bin/time -f '%e %M' -o "$work/time" "$bin" $args 2>/dev/null
		read -r secs kb <"$work/time"
		files=-
		[ $cmd = build ] && files=$(find "$work/out$n" -type f | wc -l)
		rate=$(awk -v n="$n" -v s="$secs" 'BEGIN { printf "%d", (s > 0 ? n / s : 0) }')
		printf '%-10s %-8s %10s %10s %12s %10s\n' "$n" "$cmd" "$secs" "$rate" \
			"$((kb / 1024))" "$files"
	done
done
