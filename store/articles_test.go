package store

import (
	"context"
	"errors"
	"testing"
)

// pagedStore has feeds a (30 articles, tag x) and b (20 articles, tags x, y).
func pagedStore(t *testing.T) (*Store, []int64) {
	t.Helper()
	s := openTest(t)
	if err := s.SyncFeeds(context.Background(), []FeedSpec{
		{URL: "https://a.example/feed", Tags: []string{"x"}},
		{URL: "https://b.example/feed", Tags: []string{"x", "y"}},
	}); err != nil {
		t.Fatal(err)
	}
	feeds, err := s.Feeds(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ids := []int64{feeds[0].ID, feeds[1].ID}
	refresh(t, s, &fakeFetcher{results: map[string]feedResult{
		"https://a.example/feed": fakeResult("A", fakeItems("alpha", 30)),
		"https://b.example/feed": fakeResult("B", fakeItems("beta", 20)),
	}})
	return s, ids
}

func TestArticlesPagingAndFilters(t *testing.T) {
	ctx := context.Background()
	s, ids := pagedStore(t)
	all := allRows(t, s, Filter{})
	if len(all) != 50 {
		t.Fatalf("got %d articles, want 50", len(all))
	}
	for i := 1; i < len(all); i++ {
		p, c := all[i-1], all[i]
		if p.Published.Before(c.Published) || p.Published.Equal(c.Published) && (p.FeedID < c.FeedID || p.FeedID == c.FeedID && p.ID < c.ID) {
			t.Fatalf("not newest first at %d: %+v then %+v", i, p, c)
		}
	}
	// Pages put together give the whole list, without gaps or repeats.
	var paged []ArticleRow
	for off := 0; ; off += 7 {
		page, err := s.Articles(ctx, Filter{}, off, 7)
		if err != nil {
			t.Fatal(err)
		}
		paged = append(paged, page...)
		if len(page) < 7 {
			break
		}
	}
	if len(paged) != len(all) {
		t.Fatalf("paged: %d rows, want %d", len(paged), len(all))
	}
	for i := range paged {
		if paged[i].ID != all[i].ID {
			t.Fatalf("page row %d: id %d, want %d", i, paged[i].ID, all[i].ID)
		}
	}

	for _, r := range all[:5] {
		if err := s.SetRead(ctx, r.ID, true); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SetStarred(ctx, all[2].ID, true); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStarred(ctx, all[9].ID, true); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		f    Filter
		want int
	}{
		{"all", Filter{}, 50},
		{"feed a", Filter{FeedID: ids[0]}, 30},
		{"feed b", Filter{FeedID: ids[1]}, 20},
		{"tag x", Filter{Tag: "x"}, 50},
		{"tag y", Filter{Tag: "y"}, 20},
		{"tag none", Filter{Tag: "nope"}, 0},
		{"unread", Filter{Unread: true}, 45},
		{"starred", Filter{Starred: true}, 2},
		{"starred unread", Filter{Starred: true, Unread: true}, 1},
		{"search", Filter{Query: "alpha"}, 30},
		{"search prefix", Filter{Query: "alp"}, 30},
		{"search short prefix is a word", Filter{Query: "al"}, 0},
		{"search two words", Filter{Query: "beta 7"}, 1},
		{"search in feed", Filter{FeedID: ids[0], Query: "beta"}, 0},
		{"search body", Filter{Query: "BODY of beta"}, 20},
		{"search punctuation only", Filter{Query: `"*:()`}, 0},
		{"search FTS syntax is text", Filter{Query: `alpha OR beta NEAR(x) -y "unbalanced`}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rows, err := s.Articles(ctx, c.f, 0, 1000)
			if err != nil {
				t.Fatalf("Articles: %v", err)
			}
			n, err := s.CountArticles(ctx, c.f)
			if err != nil {
				t.Fatalf("CountArticles: %v", err)
			}
			if len(rows) != c.want || n != c.want {
				t.Errorf("got %d rows, count %d, want %d", len(rows), n, c.want)
			}
		})
	}
	checkCounts(t, s)

	n, err := s.MarkRead(ctx, Filter{FeedID: ids[1]})
	if err != nil || n != 20-countIn(all[:5], ids[1]) {
		t.Errorf("MarkRead feed b: %d, %v", n, err)
	}
	checkCounts(t, s)
	if n, err := s.MarkRead(ctx, Filter{}); err != nil || n != 30-countIn(all[:5], ids[0]) {
		t.Errorf("MarkRead all: %d, %v", n, err)
	}
	if c, err := s.Counts(ctx); err != nil || c.Unread != 0 || c.All != 50 {
		t.Errorf("counts after MarkRead: %+v, %v", c, err)
	}
	checkCounts(t, s)
	if err := s.SetRead(ctx, all[0].ID, false); err != nil {
		t.Fatal(err)
	}
	checkCounts(t, s)
}

// countIn counts the rows of feed id.
func countIn(rows []ArticleRow, id int64) int64 {
	var n int64
	for _, r := range rows {
		if r.FeedID == id {
			n++
		}
	}
	return n
}

func TestArticleAndFlags(t *testing.T) {
	ctx := context.Background()
	s, _ := pagedStore(t)
	row := allRows(t, s, Filter{Query: "alpha 3"})[0]
	a, err := s.Article(ctx, row.ID)
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "alpha title 3" || a.Author != "Author" || a.Markdown != "Body of alpha 3 with a link [1]." ||
		len(a.Links) != 1 || a.Links[0].URL != "https://example.org/alpha/4" || a.FeedTitle != "A" || a.LinkedFrom != 0 {
		t.Errorf("Article: %+v", a)
	}
	for _, set := range []func(context.Context, int64, bool) error{s.SetRead, s.SetStarred} {
		if err := set(ctx, 999999, true); !errors.Is(err, ErrNotFound) {
			t.Errorf("flag of a missing article: %v, want ErrNotFound", err)
		}
		// Setting the state it already has is fine.
		if err := set(ctx, row.ID, false); err != nil {
			t.Errorf("flag unchanged: %v", err)
		}
	}
	if _, err := s.Article(ctx, 999999); !errors.Is(err, ErrNotFound) {
		t.Errorf("Article of a missing id: %v, want ErrNotFound", err)
	}
	if rows, err := s.Articles(ctx, Filter{}, 0, 0); err != nil || len(rows) != 0 {
		t.Errorf("limit 0: %d rows, %v", len(rows), err)
	}
}

func FuzzSearch(f *testing.F) {
	s := openTest(f)
	syncURLs(f, s, "https://a.example/feed")
	refresh(f, s, &fakeFetcher{results: map[string]feedResult{"https://a.example/feed": fakeResult("A", fakeItems("alpha", 3))}})
	for _, seed := range []string{"", "alpha", `"`, `a"b`, "*", "NEAR(a b)", "a OR b", "-x", "title:alpha", "^a", "Київ", "café", "a\x00b", "((", "{title}: x"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, q string) {
		if _, err := s.Articles(context.Background(), Filter{Query: q}, 0, 10); err != nil {
			t.Errorf("query %q: %v", q, err)
		}
		if _, _, err := s.ResolveTitle(context.Background(), q, 5); err != nil {
			t.Errorf("title %q: %v", q, err)
		}
	})
}
