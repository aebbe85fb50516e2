package store_test

import (
	"context"
	"database/sql"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/brief-reader/brief/store"
)

// BenchmarkArticlesLastPage reads the last page of the All list of 100,000
// articles: by keyset from the end (Window, what the list does for G) and,
// for comparison, with OFFSET.
func BenchmarkArticlesLastPage(b *testing.B) {
	s := bigStore(b)
	ctx := context.Background()
	n, err := s.CountArticles(ctx, store.Filter{})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("keyset", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			rows, err := s.Window(ctx, store.Filter{}, n-100, 100, n)
			if err != nil || len(rows) != 100 {
				b.Fatalf("Window: %d, %v", len(rows), err)
			}
		}
	})
	b.Run("offset", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			rows, err := s.Articles(ctx, store.Filter{}, n-100, 100)
			if err != nil || len(rows) != 100 {
				b.Fatalf("Articles: %d, %v", len(rows), err)
			}
		}
	})
}

// BenchmarkMarkAllRead marks every article of a copy of the 100,000-article
// cache read: 60,000 unread, marked unread again (untimed) before each op.
func BenchmarkMarkAllRead(b *testing.B) {
	path := bigStore(b).Path()
	cp := filepath.Join(b.TempDir(), "markread.db")
	if err := copyFile(path, cp); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	s, err := store.Open(ctx, cp)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		if _, err := s.MarkRead(ctx, store.Filter{}); err != nil {
			b.Fatal(err)
		}
		db, err := sql.Open("sqlite", cp)
		if err != nil {
			b.Fatal(err)
		}
		_, err = db.ExecContext(ctx, `PRAGMA busy_timeout = 5000; UPDATE articles SET read = 0 WHERE id IN (SELECT id FROM articles WHERE feed_id IS NOT NULL ORDER BY id LIMIT 60000)`)
		if cerr := db.Close(); err != nil || cerr != nil {
			b.Fatal(err, cerr)
		}
		b.StartTimer()
		n, err := s.MarkRead(ctx, store.Filter{})
		if err != nil || n < 50_000 {
			b.Fatalf("MarkRead: %d, %v", n, err)
		}
	}
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		return err
	}
	return out.Close()
}

// BenchmarkSearchFirstPage reads the first page of searches on 100,000
// articles the way the list does (Window), common words to rare ones.
func BenchmarkSearchFirstPage(b *testing.B) {
	s := bigStore(b)
	ctx := context.Background()
	for _, q := range []string{"climate", "climate storm", "123 45", "seed reporter"} {
		b.Run(q, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				if _, err := s.Window(ctx, store.Filter{Query: q}, 0, 100, -1); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
