#!/usr/bin/env bash
# brief beside newsboat, in one run, on the same news-shaped loopback feeds
# (internal/feedtest GenerateNews: 2-4 KB of content:encoded HTML per item,
# spread over 20 loopback hosts). Nothing here is a pass/fail test: it prints a
# table of brief's and newsboat's figures and their ratio (brief / newsboat;
# below 1 is brief ahead). CPU is user+sys from /usr/bin/time.
#
#   scripts/bench.sh                 everything
#   BIG=0 scripts/bench.sh           skip the 1000x50 refresh (newsboat needs about a minute)
#   NB100K=1 scripts/bench.sh        also build a 100,000-article newsboat cache (several minutes)
#   RUNS=5 scripts/bench.sh          runs per start/open measurement (median printed)
#
# newsboat is installed with apt-get when missing. Newsboat runs with
# reload-threads 8, as many as brief's default concurrency.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${BENCH_OUT:-bench-out}
runs=${RUNS:-3}
big=${BIG:-1}
mkdir -p "$out"
out=$(cd "$out" && pwd)

if ! command -v newsboat >/dev/null; then
	echo "== installing newsboat"
	sudo=""
	[ "$(id -u)" = 0 ] || sudo=sudo
	$sudo apt-get update -qq && $sudo apt-get install -y -qq newsboat >/dev/null
fi
for tool in tmux /usr/bin/time; do
	command -v "$tool" >/dev/null || { echo "bench: $tool is needed" >&2; exit 1; }
done

go build -o "$out/brief" .
go build -o "$out/feedserver" ./internal/feedtest/cmd/feedserver
go build -o "$out/seed" ./internal/seed/cmd/seed

rows=()   # "figure|brief|newsboat|unit"
row() { rows+=("$1|$2|$3|$4"); printf '   %-34s brief %-10s newsboat %-10s %s\n' "$1" "$2" "$3" "$4"; }

server_pid=""
stop_server() { if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; server_pid=""; fi; }
sessions=()
cleanup() {
	stop_server
	for s in "${sessions[@]}"; do tmux kill-session -t "$s" 2>/dev/null || true; done
}
trap cleanup EXIT

# serve DIR FEEDS: news-shaped feeds of 50 items on 20 hosts; writes DIR/brief.toml
# (no refresh on start) and DIR/urls (newsboat).
serve() {
	local dir=$1 feeds=$2
	stop_server
	rm -rf "$dir"
	mkdir -p "$dir"
	"$out/feedserver" -generated "$feeds" -items 50 -hosts 20 -no-fixtures \
		-config "$dir/brief-refresh.toml" -urls "$dir/urls" >"$dir/server.out" 2>&1 &
	server_pid=$!
	until [ -s "$dir/server.out" ] && [ -s "$dir/urls" ]; do sleep 0.05; done
	sed 's/^refresh_on_start = true/refresh_on_start = false/' "$dir/brief-refresh.toml" >"$dir/brief.toml"
	printf 'reload-threads 8\n' >"$dir/newsboat.conf"
}

# timed FILE CMD...: runs CMD under /usr/bin/time; prints "wall cpu rssMB".
timed() {
	local f=$1
	shift
	/usr/bin/time -f '%e %U %S %M' -o "$f" "$@" >/dev/null 2>"$f.err" || { cat "$f.err" >&2; return 1; }
	awk '{printf "%.2f %.2f %d\n", $1, $2 + $3, $4 / 1024}' "$f"
}

brief_refresh() { timed "$1/time.brief" "$out/brief" refresh --config "$1/brief.toml" --db "$1/brief.db"; }
newsboat_refresh() { timed "$1/time.nb" newsboat -x reload -u "$1/urls" -c "$1/newsboat.db" -C "$1/newsboat.conf"; }

# refresh_pair DIR LABEL: a cold refresh of both, then the unchanged ones.
refresh_pair() {
	local dir=$1 label=$2 b n
	read -r bw bc br < <(brief_refresh "$dir")
	read -r nw nc nr < <(newsboat_refresh "$dir")
	row "cold refresh $label, wall" "${bw}s" "${nw}s" s
	row "cold refresh $label, CPU" "${bc}s" "${nc}s" s
	row "cold refresh $label, peak RSS" "${br}MB" "${nr}MB" MB
	row "cache size $label" "$(du -m "$dir/brief.db" | cut -f1)MB" "$(du -m "$dir/newsboat.db" | cut -f1)MB" MB
}

# first_draw SESSION PATTERN CMD: ms from starting CMD in tmux to PATTERN on screen.
first_draw() {
	local s=$1 pat=$2 cmd=$3 start end
	sessions+=("$s")
	start=$(date +%s%N)
	tmux new-session -d -s "$s" -x 120 -y 40 "$cmd"
	until tmux capture-pane -p -t "$s" 2>/dev/null | grep -q "$pat"; do sleep 0.005; done
	end=$(date +%s%N)
	echo $(((end - start) / 1000000))
}

# keys_until SESSION PATTERN KEYS...: ms from sending KEYS to PATTERN on screen.
keys_until() {
	local s=$1 pat=$2 start end
	shift 2
	start=$(date +%s%N)
	tmux send-keys -t "$s" "$@"
	until tmux capture-pane -p -t "$s" 2>/dev/null | grep -q "$pat"; do sleep 0.002; done
	end=$(date +%s%N)
	echo $(((end - start) / 1000000))
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# start_and_open DIR: medians over $runs of start-to-first-list and of opening
# the first article, for brief and for newsboat (DIR's caches).
start_and_open() {
	local dir=$1 i s bs=() bo=() ns=() no=()
	for i in $(seq "$runs"); do
		s=perf-bench-$$-b$i
		bs+=("$(first_draw "$s" 'officials weigh' "$out/brief --config $dir/brief.toml --db $dir/brief.db")")
		bo+=("$(keys_until "$s" 'Fixture News' Enter)")
		tmux kill-session -t "$s" 2>/dev/null || true
		s=perf-bench-$$-n$i
		ns+=("$(first_draw "$s" 'Generated 0' "newsboat -u $dir/urls -c $dir/newsboat.db -C $dir/newsboat.conf")")
		keys_until "$s" 'officials weigh' Enter >/dev/null
		no+=("$(keys_until "$s" 'Fixture News' Enter)")
		tmux kill-session -t "$s" 2>/dev/null || true
	done
	START_B=$(printf '%s\n' "${bs[@]}" | median) START_N=$(printf '%s\n' "${ns[@]}" | median)
	OPEN_B=$(printf '%s\n' "${bo[@]}" | median) OPEN_N=$(printf '%s\n' "${no[@]}" | median)
}

echo "== 200 feeds x 50 items (10,000 articles)"
d10=$out/n10k
serve "$d10" 200
refresh_pair "$d10" 200x50
# brief: its second run; newsboat: its third (its second downloads everything again)
read -r bw bc _ < <(brief_refresh "$d10")
newsboat_refresh "$d10" >/dev/null
read -r nw nc _ < <(newsboat_refresh "$d10")
row "unchanged refresh 200, wall" "${bw}s" "${nw}s" s
row "unchanged refresh 200, CPU" "${bc}s" "${nc}s" s
start_and_open "$d10"
row "start to first list, 10k" "${START_B}ms" "${START_N}ms" ms
row "open article, 10k" "${OPEN_B}ms" "${OPEN_N}ms" ms
stop_server

if [ "$big" = 1 ]; then
	echo "== 1000 feeds x 50 items (50,000 articles)"
	d50=$out/n50k
	serve "$d50" 1000
	refresh_pair "$d50" 1000x50
	stop_server
fi

echo "== 100,000 articles"
db=$out/100k.db
if [ ! -s "$db" ]; then
	rm -f "$db" "$db-wal" "$db-shm" "$out/100k.toml"
	"$out/seed" -db "$db" -feeds 200 -articles 100000 -config "$out/100k.toml" >/dev/null
fi
bs=()
for i in $(seq "$runs"); do
	s=perf-bench-$$-c$i
	bs+=("$(first_draw "$s" 'Seed feed' "$out/brief --config $out/100k.toml --db $db")")
	tmux kill-session -t "$s" 2>/dev/null || true
done
nb100k="-"
if [ "${NB100K:-0}" = 1 ]; then
	d100=$out/n100k
	serve "$d100" 2000
	newsboat_refresh "$d100" >/dev/null
	ns=()
	for i in $(seq "$runs"); do
		s=perf-bench-$$-m$i
		ns+=("$(first_draw "$s" 'Generated 0' "newsboat -u $d100/urls -c $d100/newsboat.db -C $d100/newsboat.conf")")
		tmux kill-session -t "$s" 2>/dev/null || true
	done
	nb100k="$(printf '%s\n' "${ns[@]}" | median)ms"
	stop_server
fi
row "start to first list, 100k" "$(printf '%s\n' "${bs[@]}" | median)ms" "$nb100k" ms

echo "== in-process: first and last page of 100,000, open article, mark all read (go test -bench)"
BRIEF_BENCH_DB=$db go test ./store -run '^$' -bench 'ArticlesFirstPage|ArticlesLastPage|MarkAllRead|SearchFirstPage' -benchtime 20x 2>&1 | grep -E '^Benchmark' || true
BRIEF_BENCH_DB=$db go test ./ui -run '^$' -bench 'OpenArticle' -benchtime 30x 2>&1 | grep -E '^Benchmark' || true

echo
echo "| figure | brief | newsboat | brief / newsboat |"
echo "|---|---|---|---|"
for r in "${rows[@]}"; do
	IFS='|' read -r fig b n unit <<<"$r"
	ratio=$(awk -v b="${b%"$unit"}" -v n="${n%"$unit"}" 'BEGIN { if (n + 0 > 0 && b != "-" && n != "-") printf "%.2fx", b / n; else print "-" }')
	echo "| $fig | $b | $n | $ratio |"
done
