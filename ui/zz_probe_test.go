package ui

import (
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/internal/feedtest"
)

func TestZZProbe(t *testing.T) {
	if os.Getenv("PROBE") == "" {
		t.Skip()
	}
	n := 10_000
	if os.Getenv("PROBEN") != "" {
		n = 30_000
	}
	for _, f := range feedtest.HostileFamilies {
		b := feed.ConvertHTML(feedtest.Hostile(f, n), "https://x.example/")
		done := make(chan int, 1)
		start := time.Now()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		before := ms.TotalAlloc
		go func() { l, _ := renderBody(b.Markdown, 80, "dark"); done <- len(l) }()
		select {
		case l := <-done:
			runtime.ReadMemStats(&ms)
			t.Logf("%-12s %7d md=%d  %v  lines=%d alloc=%dMB", f, n, len(b.Markdown), time.Since(start), l, (ms.TotalAlloc-before)>>20)
		case <-time.After(30 * time.Second):
			t.Logf("%-12s %7d  >30s", f, n)
		}
	}
}
