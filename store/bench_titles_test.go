package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/brief-reader/brief/feed"
)

// The serial-titles cache: feeds of daily stories whose titles differ only
// by a number ("Storm coverage on the coast of feed 3, day 417"), each with
// one title-only "Read also" line naming the day before. Titles that much
// alike made the old Backlinks resolve thousands of links per call.
const (
	serialFeeds = 20
	serialDays  = 5000 // 100,000 articles
)

// serialTitle is the title of day d of feed f.
func serialTitle(f, d int) string {
	return fmt.Sprintf("Storm coverage on the coast of feed %d, day %d", f, d)
}

// serialStore builds the serial-titles cache in a temporary directory and
// returns it open.
func serialStore(b *testing.B) *Store {
	b.Helper()
	ctx := context.Background()
	var serialErr error
	serialPath := filepath.Join(b.TempDir(), "serial.db")
	func() {
		s, err := Open(ctx, serialPath)
		if err != nil {
			serialErr = err
			return
		}
		defer func() {
			if err := s.Close(); err != nil && serialErr == nil {
				serialErr = err
			}
		}()
		urls := make([]string, serialFeeds)
		results := map[string]feedResult{}
		epoch := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		for f := range urls {
			urls[f] = fmt.Sprintf("https://serial%d.example/rss", f)
			items := make([]feed.Item, serialDays)
			for d := range items {
				text := fmt.Sprintf("Winds and rain on day %d. Read also: %s", d+1, serialTitle(f, d))
				items[d] = feed.Item{Key: fmt.Sprint(d + 1), URL: fmt.Sprintf("https://serial%d.example/day/%d", f, d+1),
					Title: serialTitle(f, d+1), Published: epoch.Add(time.Duration(d) * time.Hour),
					Body: feed.Body{Markdown: text + " [1]", Text: text, Links: []feed.Link{{N: 1, Text: serialTitle(f, d), ReadAlso: true}}}}
			}
			results[urls[f]] = fakeResult(fmt.Sprint("Serial ", f), items)
		}
		specs := make([]FeedSpec, len(urls))
		for i, u := range urls {
			specs[i] = FeedSpec{URL: u}
		}
		if serialErr = s.SyncFeeds(ctx, specs); serialErr != nil {
			return
		}
		start := time.Now()
		_, serialErr = s.Refresh(ctx, &fakeFetcher{results: results}, nil, nil)
		b.Logf("serial-titles cache: %d articles written in %v", serialFeeds*serialDays, time.Since(start))
	}()
	if serialErr != nil {
		b.Fatal(serialErr)
	}
	s, err := Open(ctx, serialPath)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		if err := s.Close(); err != nil {
			b.Error(err)
		}
	})
	return s
}

// BenchmarkSerialTitles measures, on the serial-titles cache of 100,000
// articles, b (Backlinks: one indexed query, whatever the titles) and what
// opening an article asks about its links (Targets).
func BenchmarkSerialTitles(b *testing.B) {
	s := serialStore(b)
	ctx := context.Background()
	var ids []int64
	for f := range serialFeeds {
		r, err := s.ArticleByURL(ctx, fmt.Sprintf("https://serial%d.example/day/%d", f, 1+f*(serialDays/serialFeeds)))
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	b.Run("Backlinks", func(b *testing.B) {
		b.ReportAllocs()
		for i := range b.N {
			back, err := s.Backlinks(ctx, ids[i%len(ids)])
			if err != nil || len(back) != 1 {
				b.Fatalf("Backlinks: %d, %v; want the next day", len(back), err)
			}
		}
	})
	b.Run("Targets", func(b *testing.B) {
		b.ReportAllocs()
		for i := range b.N {
			t, err := s.Targets(ctx, ids[i%len(ids)]+1, nil)
			if err != nil || len(t) != 1 {
				b.Fatalf("Targets: %+v, %v", t, err)
			}
		}
	})
}
