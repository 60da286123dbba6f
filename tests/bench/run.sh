#!/bin/sh
# Benchmark of issue #7, with Hugo side by side: prints a table of medians.
#
#   tests/bench/run.sh [QUESTIONS...]        (default: 10000 100000)
#
# For each size: a generated corpus (tests/bench/gen_corpus.py) and the
# equivalent Hugo site, then per round, congkhai and Hugo alternating:
#   full      build into an empty folder
#   cp -r     copy of congkhai's own output (the floor a build could reach)
#   noop      rebuild over the previous output, nothing changed
#   one       rebuild after one question changed (a new sentence appended),
#             BENCH_ONE_RUNS times, each after a change of its own
#   publish   congkhai publish into a fresh repository, then after one
#             question changed, BENCH_ONE_RUNS times (and the loose objects
#             in the site repository)
# Columns: median seconds (min-max over the rounds), median peak RSS
# (/usr/bin/time %M), files written (paths whose inode or ctime changed, or
# new), the ratio to `cp -r` (full) or to Hugo's same step, the loose
# objects in the site repository, and the kilobytes a publish adds to its
# objects (du -sk .git/objects).
#
# Outputs are not deleted between steps but moved aside, and removed when
# the benchmark ends: on a file system that avoids reusing the inodes of
# files deleted minutes ago (ext4 without a journal, as on the benchmark's
# machine), creating files just after deleting a large tree costs several
# times more, which measured the last deletion rather than the build.
#
# Environment: CONGKHAI (the binary, default publisher/congkhai), HUGO
# (default hugo), BENCH_ROUNDS (default 3 up to 10,000 questions, 1 above),
# BENCH_ONE_RUNS (runs of each one-change step per round, default 3: a
# province's single round would otherwise give these second-long steps one
# sample, and this machine's state moves them by a few tenths),
# BENCH_HUGO_MAX (largest size Hugo runs at, default 100000; 0: no Hugo),
# BENCH_HUGO_TIMEOUT (seconds per Hugo run, default 900; a run that times out
# is reported and Hugo skipped for that size), TMPDIR (where the corpora
# and outputs go: about 25 GB for 10,000 and 100,000 questions). Everything
# lives in one temporary folder, removed at the end. Not part of
# `make test`: run `make bench`.
set -eu
cd "$(dirname "$0")/../.."
top=$(pwd)
bin=${CONGKHAI:-publisher/congkhai}
case $bin in /*) ;; *) bin=$top/$bin ;; esac
hugo=${HUGO:-hugo}
hugo_max=${BENCH_HUGO_MAX:-100000}
hugo_timeout=${BENCH_HUGO_TIMEOUT:-900}
one_runs=${BENCH_ONE_RUNS:-3}
today=2026-01-15
[ -x "$bin" ] || { echo "bench: no $bin; run make first" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench: needs /usr/bin/time (package time)" >&2; exit 2; }
if [ "$hugo_max" -gt 0 ] && ! command -v "$hugo" >/dev/null 2>&1; then
	echo "bench: no hugo (apt-get install hugo, or BENCH_HUGO_MAX=0)" >&2
	exit 2
fi
[ $# -gt 0 ] || set -- 10000 100000

work=$(mktemp -d "${TMPDIR:-/tmp}/congkhai-bench.XXXXXX")
# The output folders' manifests (congkhai.1, build) stay in the benchmark's folder.
export XDG_CACHE_HOME="$work/cache"
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
m=$work/m

# measure NAME CMD...: runs CMD under /usr/bin/time and appends
# "seconds peak_kB" to $m/NAME; a failing command stops the benchmark.
# Each timed step starts with what the steps before it wrote on disk
# (sync), so that it does not pay for their write-back.
measure() {
	name=$1
	shift
	sync
	if ! /usr/bin/time -f '%e %M' -o "$work/time" "$@" >"$work/out.log" 2>&1; then
		echo "bench: $name failed: $*" >&2
		tail -5 "$work/out.log" >&2
		exit 3
	fi
	tail -1 "$work/time" >>"$m/$name"
}

# Hugo under a time limit; returns 1 (and marks the size) when it ran out.
measure_hugo() {
	name=$1
	shift
	sync
	if ! /usr/bin/time -f '%e %M' -o "$work/time" timeout "$hugo_timeout" \
		"$hugo" --quiet --noBuildLock --cacheDir "$work/hugo-cache" \
		-s "$work/h" "$@" >"$work/out.log" 2>&1; then
		if grep -q 'exited with non-zero status 124' "$work/time"; then
			echo "timeout >${hugo_timeout}s" >"$m/$name.note"
			hugo_on=0
			return 1
		fi
		echo "bench: $name failed" >&2
		tail -5 "$work/out.log" >&2
		exit 3
	fi
	tail -1 "$work/time" >>"$m/$name"
}

# The files of a tree with their inode and change time, one a line.
snap() {
	find "$1" -path "$1/.git" -prune -o -type f -printf '%P %i %C@\n' | sort
}

# written NAME DIR: after a run, counts the files of DIR that are new or
# were rewritten since $work/before, appending the count to $m/NAME.files.
written() {
	snap "$2" >"$work/after"
	comm -13 "$work/before" "$work/after" | wc -l >>"$m/$1.files"
}

# median FILE COLUMN: the median (lower middle) of a column of numbers.
median() {
	sort -n -k"$2","$2" "$1" | awk -v c="$2" '{ v[NR] = $c }
		END { if (NR) print v[int((NR + 1) / 2)]; else print "-" }'
}
range() {
	sort -n -k1,1 "$1" | awk 'NR == 1 { lo = $1 } { hi = $1 }
		END { if (NR > 1) printf "%s-%s", lo, hi; else printf "-" }'
}

# edit ROUND: the same question changed in both sites.
edit() {
	for f in "$work/c/dialogues/doi-thoai-00000/questions/0000.md" \
		"$work/h/content/cau-hoi/doi-thoai-00000/0000.md"; do
		printf '\nBổ sung lần %s: người dân đề nghị làm rõ thời hạn.\n' "$1" >>"$f"
	done
}

# discard DIR...: moves each DIR that exists out of the way, into the
# benchmark's trash (removed at the end), instead of deleting it now.
discard() {
	for d in "$@"; do
		[ -e "$d" ] || continue
		trash=$((trash + 1))
		mv "$d" "$work/trash/$trash"
	done
}
trash=0
mkdir -p "$work/trash"

loose() {
	git -C "$1" count-objects -v | awk '$1 == "count:" { print $2 }'
}

# The kilobytes the repository's objects take on disk.
git_kb() {
	du -sk "$1/.git/objects" | cut -f1
}

row() { # row SIZE STEP NAME [RATIO_TO]
	f=$m/$3
	if [ -s "$f.note" ]; then
		printf '%-8s %-22s %s\n' "$1" "$2" "$(cat "$f.note")"
		return
	fi
	[ -s "$f" ] || return 0
	secs=$(median "$f" 1)
	rss=$(($(median "$f" 2) / 1024))
	files=-
	[ -s "$f.files" ] && files=$(median "$f.files" 1)
	loose=-
	[ -s "$f.loose" ] && loose=$(median "$f.loose" 1)
	gitkb=-
	[ -s "$f.git" ] && gitkb=$(median "$f.git" 1)
	ratio=-
	if [ $# -ge 4 ] && [ -s "$m/$4" ] && [ ! -s "$m/$4.note" ]; then
		ratio=$(awk -v a="$secs" -v b="$(median "$m/$4" 1)" \
			'BEGIN { printf (b > 0 ? "%.2fx" : "-"), a / b }')
	fi
	printf '%-8s %-22s %9s %13s %9s %8s %9s %8s %8s\n' "$1" "$2" "$secs" \
		"$(range "$f")" "$rss" "$files" "$ratio" "$loose" "$gitkb"
}

printf '# congkhai %s on %s, %s cores, %s\n' "$("$bin" --version 2>/dev/null | head -1)" \
	"$(uname -m)" "$(nproc)" "$(date -u +%Y-%m-%d)"
[ "$hugo_max" -gt 0 ] && printf '# %s\n' "$("$hugo" version | head -1)"
printf '%-8s %-22s %9s %13s %9s %8s %9s %8s %8s\n' questions step median_s range_s \
	rss_MB files ratio loose git_KB
for n in "$@"; do
	discard "$work/c" "$work/h" "$work/hugo-cache"
	rm -rf "$m"
	mkdir -p "$m"
	python3 tests/bench/gen_corpus.py --hugo "$work/h" "$work/c" "$n" >/dev/null
	rounds=${BENCH_ROUNDS:-$([ "$n" -le 10000 ] && echo 3 || echo 1)}
	hugo_on=$([ "$n" -le "$hugo_max" ] && echo 1 || echo 0)
	ck="$bin build -C $work/c --today $today -o $work/out"
	r=1
	while [ "$r" -le "$rounds" ]; do
		discard "$work/out" "$work/hpub"
		measure ck_full $ck
		[ "$hugo_on" = 1 ] && measure_hugo hugo_full -d "$work/hpub" || :
		discard "$work/cp"
		measure cp cp -r "$work/out" "$work/cp"
		discard "$work/cp"

		snap "$work/out" >"$work/before"
		measure ck_noop $ck
		written ck_noop "$work/out"
		if [ "$hugo_on" = 1 ]; then
			snap "$work/hpub" >"$work/before"
			measure_hugo hugo_noop -d "$work/hpub" &&
				written hugo_noop "$work/hpub" || :
		fi

		k=1
		while [ "$k" -le "$one_runs" ]; do
			edit "$r.$k"
			snap "$work/out" >"$work/before"
			measure ck_one $ck
			written ck_one "$work/out"
			if [ "$hugo_on" = 1 ]; then
				snap "$work/hpub" >"$work/before"
				measure_hugo hugo_one -d "$work/hpub" &&
					written hugo_one "$work/hpub" || :
			fi
			k=$((k + 1))
		done

		discard "$work/site"
		pub="$bin publish -C $work/c --today $today --repo $work/site"
		: >"$work/before"
		measure pub_fresh $pub
		[ -d "$work/site" ] && written pub_fresh "$work/site"
		loose "$work/site" >>"$m/pub_fresh.loose"
		git_kb "$work/site" >>"$m/pub_fresh.git"
		k=1
		while [ "$k" -le "$one_runs" ]; do
			edit "p$r.$k"
			snap "$work/site" >"$work/before"
			kb=$(git_kb "$work/site")
			measure pub_one $pub
			echo $(($(git_kb "$work/site") - kb)) >>"$m/pub_one.git"
			written pub_one "$work/site"
			loose "$work/site" >>"$m/pub_one.loose"
			k=$((k + 1))
		done
		r=$((r + 1))
	done
	row "$n" "congkhai build (empty)" ck_full cp
	row "$n" "cp -r of its output" cp
	row "$n" "hugo build (empty)" hugo_full
	row "$n" "congkhai rebuild noop" ck_noop hugo_noop
	row "$n" "hugo rebuild noop" hugo_noop
	row "$n" "congkhai rebuild one" ck_one hugo_one
	row "$n" "hugo rebuild one" hugo_one
	row "$n" "congkhai publish fresh" pub_fresh
	row "$n" "congkhai publish one" pub_one
	printf '%-8s %-22s %s rounds (one-change steps %s per round); output %s files, %s MB; ratio of build to Hugo: %s\n' \
		"$n" "#" "$rounds" "$one_runs" "$(find "$work/out" -type f | wc -l)" \
		"$(du -sm "$work/out" | cut -f1)" \
		"$(awk -v a="$(median "$m/ck_full" 1)" \
			-v b="$([ -s "$m/hugo_full" ] && median "$m/hugo_full" 1 || echo 0)" \
			'BEGIN { printf (b > 0 ? "%.2fx" : "-"), a / b }')"
	discard "$work/out" "$work/hpub" "$work/site"
done
