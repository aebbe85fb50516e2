package store_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"github.com/brief-reader/brief/internal/seed"
	"github.com/brief-reader/brief/store"
)

var (
	bigOnce sync.Once
	bigPath string
	bigErr  error
)

// bigStore opens a database of 200 feeds × 500 articles (100,000), built
// once per test binary run (it takes a while) and reopened for each benchmark.
func bigStore(b *testing.B) *store.Store {
	b.Helper()
	ctx := context.Background()
	bigOnce.Do(func() {
		dir, err := tempDir()
		if err != nil {
			bigErr = err
			return
		}
		bigPath = filepath.Join(dir, "big.db")
		var st seed.Stats
		st, bigErr = seed.FillFile(ctx, bigPath, seed.Options{Feeds: 200, Articles: 100_000})
		b.Logf("seeded %+v", st)
	})
	if bigErr != nil {
		b.Fatal(bigErr)
	}
	s, err := store.Open(ctx, bigPath)
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

// BenchmarkArticlesFirstPage is what the reader does at start-up on a
// cache of 100,000 articles: the feed list with unread/total counts, the
// three fixed counts, and the first page of the All list.
func BenchmarkArticlesFirstPage(b *testing.B) {
	s := bigStore(b)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		feeds, err := s.Feeds(ctx)
		if err != nil || len(feeds) != 200 {
			b.Fatalf("Feeds: %d, %v", len(feeds), err)
		}
		if _, err := s.Counts(ctx); err != nil {
			b.Fatal(err)
		}
		rows, err := s.Articles(ctx, store.Filter{}, 0, 100)
		if err != nil || len(rows) != 100 {
			b.Fatalf("Articles: %d, %v", len(rows), err)
		}
	}
}

// BenchmarkArticlesPages times one page of each list on 100,000 articles.
func BenchmarkArticlesPages(b *testing.B) {
	s := bigStore(b)
	ctx := context.Background()
	feeds, err := s.Feeds(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		f      store.Filter
		offset int
	}{
		{"all", store.Filter{}, 0},
		{"all-offset-50000", store.Filter{}, 50_000},
		{"unread", store.Filter{Unread: true}, 0},
		{"starred", store.Filter{Starred: true}, 0},
		{"feed", store.Filter{FeedID: feeds[8].ID}, 0},
		{"feed-unread", store.Filter{FeedID: feeds[8].ID, Unread: true}, 0},
		{"tag", store.Filter{Tag: "science"}, 0},
		{"search", store.Filter{Query: "climate storm"}, 0},
		{"search-rare", store.Filter{Query: "123 45"}, 0},
		{"search-none", store.Filter{Query: "seed reporter"}, 0},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				if _, err := s.Articles(ctx, c.f, c.offset, 100); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("feeds", func(b *testing.B) {
		for range b.N {
			if _, err := s.Feeds(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("counts", func(b *testing.B) {
		for range b.N {
			if _, err := s.Counts(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkArticle loads one article with its body and links.
func BenchmarkArticle(b *testing.B) {
	s := bigStore(b)
	ctx := context.Background()
	rows, err := s.Articles(ctx, store.Filter{}, 30_000, 1)
	if err != nil || len(rows) != 1 {
		b.Fatalf("Articles: %v", err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		a, err := s.Article(ctx, rows[0].ID)
		if err != nil || a.Markdown == "" || len(a.Links) == 0 {
			b.Fatalf("Article: %v", err)
		}
	}
}

// BenchmarkOpen opens (and closes) the 100,000-article database: the part of
// the reader's start-up that belongs to the store.
func BenchmarkOpen(b *testing.B) {
	s := bigStore(b)
	path := s.Path()
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		s, err := store.Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}
}
