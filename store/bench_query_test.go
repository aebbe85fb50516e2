package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/brief-reader/brief/internal/query"
	"github.com/brief-reader/brief/store"
)

// benchQueries are queries of every kind: common and absent words, phrases,
// fields, flags, dates, negations and ORs. The seed vocabulary is about 150
// words, so a body word is in most articles and a title word in a few
// percent; "zeppelin" is in none (the worst case for a walk of the list).
var benchQueries = []string{
	"ukraine",
	"zeppelin",
	`"peace talks"`,
	"title:ukraine",
	"title:ukraine title:kyiv",
	"tag:world is:unread",
	`feed:"seed feed 7"`,
	"author:reporter",
	"is:starred",
	"has:readalso is:unread",
	"after:2025-12-25",
	"before:2025-12-10 is:unread",
	"age>14d",
	"-ukraine is:unread",
	"-title:war tag:tech",
	"title:football OR title:match OR title:season",
	"(tag:sport OR tag:culture) -title:war is:unread",
	"ukraine (title:war OR title:peace) after:2025-12-01 -is:read",
}

// BenchmarkQueryFirstPage times the first page (100 rows) of each query
// of the language on a cache of 100,000 articles (compile included).
func BenchmarkQueryFirstPage(b *testing.B) {
	s := bigStore(b)
	ctx := context.Background()
	for _, text := range benchQueries {
		b.Run(text, func(b *testing.B) {
			for range b.N {
				n, err := query.Parse(text, time.UTC)
				if err != nil {
					b.Fatal(err)
				}
				q, err := s.Compile(ctx, n)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := s.Articles(ctx, store.Filter{Match: q}, 0, 100); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkViewCounts20 times the unread counts of 20 saved views (the
// queries above, the first 20 of them cycled) on 100,000 articles: what the
// chooser reads after every refresh.
func BenchmarkViewCounts20(b *testing.B) {
	s := bigStore(b)
	ctx := context.Background()
	var qs []*store.Query
	for i := range 20 {
		n, err := query.Parse(benchQueries[i%len(benchQueries)], time.UTC)
		if err != nil {
			b.Fatal(err)
		}
		q, err := s.Compile(ctx, n)
		if err != nil {
			b.Fatal(err)
		}
		qs = append(qs, q)
	}
	b.ResetTimer()
	for range b.N {
		if _, err := s.UnreadCounts(ctx, qs); err != nil {
			b.Fatal(err)
		}
	}
}
