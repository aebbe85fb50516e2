#!/usr/bin/env bash
# Benchmarks behind brief's speed and memory targets. Nothing here is a pass/fail
# test: it prints numbers to compare with the bars in issue 2.
#
#   scripts/bench.sh            everything (seeds a 100,000-article cache once, ~20 s)
#   BENCHTIME=10x scripts/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench-out
mkdir -p "$out"
benchtime=${BENCHTIME:-5x}

echo "== refresh of 200 feeds x 50 items from loopback (bar: cold <= 1.5 s; unchanged: all conditional, 0 rows)"
go test ./store -run '^$' -bench 'RefreshCold200x50|RefreshUnchanged' -benchtime "$benchtime" -benchmem

echo "== fetch + parse alone, 200 x 50"
go test ./feed -run '^$' -bench 'FetchAll200x50' -benchtime 3x -benchmem

db=$out/100k.db
if [ ! -s "$db" ]; then
	echo "== seeding $db with 100,000 articles"
	rm -f "$db" "$db-wal" "$db-shm" "$out/100k.toml"
	go run ./internal/seed/cmd/seed -db "$db" -feeds 200 -articles 100000 -config "$out/100k.toml"
fi

echo "== start to first list, and opening an article, on 100,000 articles (bars: 200 ms; 30 ms)"
BRIEF_BENCH_DB=$PWD/$db go test ./ui -run '^$' -bench 'Startup100k|OpenArticle|Scroll100k' -benchtime 30x -benchmem
go test ./store -run '^$' -bench 'ArticlesFirstPage|BenchmarkArticle$|BenchmarkOpen' -benchtime 200x -benchmem

echo "== the real binary in tmux on 100,000 articles: time to the first drawn list, peak RSS (bars: 200 ms, 100 MB)"
if ! command -v tmux >/dev/null; then echo "tmux not installed: skipped"; exit 0; fi
go build -o "$out/brief" .
for i in 1 2 3 4 5; do
	s=brief-bench-$$-$i
	start=$(date +%s%N)
	tmux new-session -d -s "$s" -x 120 -y 40 "$out/brief --config $out/100k.toml --db $db"
	until tmux capture-pane -p -t "$s" 2>/dev/null | grep -q 'Seed feed'; do sleep 0.002; done
	end=$(date +%s%N)
	pid=$(tmux list-panes -t "$s" -F '#{pane_pid}')
	sleep 0.5 # let the first render settle, then read the peak
	hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
	tmux send-keys -t "$s" q
	sleep 0.2
	tmux kill-session -t "$s" 2>/dev/null || true
	printf 'run %d: first list drawn after %d ms, peak RSS %d MB\n' "$i" $(((end - start) / 1000000)) $((hwm / 1024))
done
