package account

import (
	"bufio"
	"context"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/brief-reader/brief/internal/feedtest"
	"github.com/brief-reader/brief/internal/minifluxtest"
)

var benchReady = map[string]bool{}

// benchServer subscribes a user of its own to 20 news-shaped feeds of 500
// items: 10,000 unread entries.
func benchServer(b *testing.B) *minifluxtest.Server {
	srv := minifluxtest.Require(b)
	if benchReady["bench"] {
		return srv
	}
	fs := feedtest.New(b)
	m := user(b, srv, "bench")
	serveFeeds(b, m, fs, "bench", 20, 500, []string{"News", "Tech", "Science"})
	b.Cleanup(func() {}) // the feeds stay on the server; brief only talks to Miniflux
	benchReady["bench"] = true
	return srv
}

// BenchmarkFirstSync10k is issue 7's speed target: the first sync of 10,000
// entries from a loopback Miniflux (≤ 5 s, peak RSS ≤ 150 MB on the 2-core
// machine), then a sync with nothing changed (≤ 6 requests, 0 rows written).
// Run: go test ./account -run '^$' -bench FirstSync10k -benchtime 1x
func BenchmarkFirstSync10k(b *testing.B) {
	srv := benchServer(b)
	for _, kind := range []string{KindMiniflux, KindGReader} {
		b.Run(kind, func(b *testing.B) {
			c := mfConfig(srv, "bench")
			if kind == KindGReader {
				c = grConfig(srv, "bench")
			}
			var first, again Result
			var cpu, serverCPU, pgCPU float64
			for b.Loop() {
				b.StopTimer()
				st := openStore(b, c)
				b.StartTimer()
				c0, s0, p0 := cpuSeconds(), srv.MinifluxCPU(), srv.PostgresCPU()
				var err error
				if first, err = Sync(context.Background(), st, c); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				cpu, serverCPU, pgCPU = cpuSeconds()-c0, srv.MinifluxCPU()-s0, srv.PostgresCPU()-p0
				if again, err = Sync(context.Background(), st, c); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
			if first.New != 10000 {
				b.Fatalf("first sync: %d new articles, want 10000", first.New)
			}
			b.ReportMetric(float64(first.Requests), "requests")
			b.ReportMetric(float64(again.Requests), "nochange-requests")
			b.ReportMetric(float64(again.Written), "nochange-rows")
			b.ReportMetric(peakRSSMB(), "peak-RSS-MB")
			b.ReportMetric(cpu, "brief-cpu-s")
			b.ReportMetric(serverCPU, "miniflux-cpu-s")
			b.ReportMetric(pgCPU, "postgres-cpu-s")
		})
	}
}

// cpuSeconds is the CPU time this process used so far.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// peakRSSMB is this process's peak resident set (VmHWM), in MB.
func peakRSSMB() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return float64(kb) / 1024
		}
	}
	return 0
}
