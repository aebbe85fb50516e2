package feed

import (
	"os"
	"testing"
	"time"

	"github.com/brief-reader/brief/internal/feedtest"
)

func TestZZProbe(t *testing.T) {
	if os.Getenv("PROBE") == "" {
		t.Skip()
	}
	for _, f := range feedtest.HostileFamilies {
		for _, n := range []int{10_000, 100_000} {
			in := feedtest.Hostile(f, n)
			done := make(chan Body, 1)
			start := time.Now()
			go func() { done <- ConvertHTML(in, "https://x.example/") }()
			select {
			case b := <-done:
				t.Logf("%-12s %7d  %v  md=%d links=%d", f, n, time.Since(start), len(b.Markdown), len(b.Links))
			case <-time.After(20 * time.Second):
				t.Logf("%-12s %7d  >20s", f, n)
			}
		}
	}
}
