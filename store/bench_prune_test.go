package store_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/brief-reader/brief/internal/seed"
	"github.com/brief-reader/brief/store"
)

// BenchmarkPrune20k deletes the read, unstarred articles (about 10,000) of a
// cache of 200 news-shaped feeds × 100 articles, half of the feeds read: what
// keep = "…" does after a refresh when a lot has aged out at once. It
// reports the articles deleted per run and the time per 500-article batch
// (one write transaction: how long the write lock is held at a time).
func BenchmarkPrune20k(b *testing.B) {
	ctx := context.Background()
	var deleted int64
	var elapsed time.Duration
	for i := range b.N {
		b.StopTimer()
		path := filepath.Join(b.TempDir(), "prune.db")
		if _, err := seed.FillFile(ctx, path, seed.Options{Feeds: 200, Articles: 20_000}); err != nil {
			b.Fatal(err)
		}
		s, err := store.Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		n, err := s.Prune(ctx, time.Now().Add(24*time.Hour))
		elapsed += time.Since(start)
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		if i == 0 && n == 0 {
			b.Fatal("nothing deleted")
		}
		deleted += n
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(deleted)/float64(b.N), "deleted/op")
	if deleted > 0 {
		b.ReportMetric(float64(elapsed.Milliseconds())/(float64(deleted)/500), "ms/batch")
	}
}
