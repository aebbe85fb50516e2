package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/internal/query"
)

// BenchmarkRefreshColdKillRules is BenchmarkRefreshCold200x50 with and
// without five kill rules (three global, two for one feed each) applied to
// what the refresh stored, as brief does after every refresh: the rules' cost
// is the difference.
func BenchmarkRefreshColdKillRules(b *testing.B) {
	urls := benchFeeds(b, 20, 10, 50)
	client := feed.NewClient(feed.Options{Concurrency: 8, PerHost: 2})
	ctx := context.Background()
	dir := b.TempDir()
	texts := []string{"title:sponsored", `"paid partnership" OR title:advertisement`, "-is:unread age>365d", "title:update", "author:bot"}
	runs := 0
	for _, withRules := range []bool{false, true} {
		b.Run(fmt.Sprintf("rules=%v", withRules), func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				runs++
				s, err := Open(ctx, filepath.Join(dir, fmt.Sprintf("cold%d.db", runs)))
				if err != nil {
					b.Fatal(err)
				}
				ids := syncURLs(b, s, urls...)
				var rules []IgnoreRule
				for j, text := range texts {
					n, err := query.Parse(text, nil)
					if err != nil {
						b.Fatal(err)
					}
					q, err := s.Compile(ctx, n)
					if err != nil {
						b.Fatal(err)
					}
					r := IgnoreRule{Query: q}
					if j >= 3 {
						r.FeedID = ids[j]
					}
					rules = append(rules, r)
				}
				if withRules {
					if _, err := s.ApplyIgnore(ctx, rules, 0); err != nil { // the rules are known before the first refresh
						b.Fatal(err)
					}
				}
				b.StartTimer()
				sum, err := s.Refresh(ctx, client, nil, nil)
				if err == nil && withRules {
					_, err = s.ApplyIgnore(ctx, rules, 0)
				}
				b.StopTimer()
				if err != nil || sum.New != 200*50 {
					b.Fatalf("Refresh: %v, %d new", err, sum.New)
				}
				if err := s.Close(); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
		})
	}
}
