package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/brief-reader/brief/feed"
)

// TestWindowMatchesOffsetPaging reads every window of several lists from
// every kind of place (top, end, an anchor above, an anchor below) and
// compares it with OFFSET paging. Feeds a and b share their dates, and feed
// c dates all its items alike, so the keyset must break ties by feed and id;
// the search also finds a linked page (no feed).
func TestWindowMatchesOffsetPaging(t *testing.T) {
	ctx := context.Background()
	s, ids := pagedStore(t)
	if err := s.SyncFeeds(ctx, []FeedSpec{
		{URL: "https://a.example/feed", Tags: []string{"x"}},
		{URL: "https://b.example/feed", Tags: []string{"x", "y"}},
		{URL: "https://c.example/feed"},
	}); err != nil {
		t.Fatal(err)
	}
	same := fakeItems("gamma", 12)
	for i := range same {
		same[i].Published = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(-5 * time.Minute)
	}
	refresh(t, s, &fakeFetcher{results: map[string]feedResult{
		"https://a.example/feed": {NotModified: true},
		"https://b.example/feed": {NotModified: true},
		"https://c.example/feed": fakeResult("C", same),
	}})
	if _, err := s.SavePage(ctx, feed.Page{URL: "https://page.example/title", Title: "alpha title page",
		Body: feed.Body{Markdown: "alpha", Text: "alpha"}}, "", 0); err != nil {
		t.Fatal(err)
	}
	if err := s.SetRead(ctx, allRows(t, s, Filter{})[7].ID, true); err != nil {
		t.Fatal(err)
	}
	for _, f := range []Filter{{}, {Unread: true}, {FeedID: ids[0]}, {Tag: "y"}, {Query: "title"}, {Query: "alpha"},
		{Sort: SortOldest}, {Unread: true, Sort: SortOldest}, {Sort: SortFeed}, {Tag: "x", Sort: SortTitle}, {Query: "alpha", Sort: SortTitle}, {Query: "alpha", Sort: SortOldest}} {
		want := allRows(t, s, f)
		n := len(want)
		for _, limit := range []int{1, 5, 13} {
			for start := 0; start < n; start++ {
				end := min(start+limit, n)
				places := map[string][]Anchor{"top": nil, "end": nil}
				if start > 0 {
					places["above"] = []Anchor{{Index: start / 2, Row: want[start/2]}}
					places["just above"] = []Anchor{{Index: start - 1, Row: want[start-1]}}
				}
				if end < n {
					places["below"] = []Anchor{{Index: (end + n) / 2, Row: want[(end+n)/2]}}
					places["just below"] = []Anchor{{Index: end, Row: want[end]}}
				}
				for name, anchors := range places {
					total := -1
					if name == "end" {
						total = n
					}
					got, err := s.Window(ctx, f, start, limit, total, anchors...)
					if err != nil {
						t.Fatal(err)
					}
					if g, w := idList(got), idList(want[start:end]); g != w {
						t.Fatalf("%+v start %d limit %d from %s: got %s, want %s", f, start, limit, name, g, w)
					}
				}
			}
		}
	}
}

func idList(rows []ArticleRow) string {
	out := make([]int64, len(rows))
	for i, r := range rows {
		out[i] = r.ID
	}
	return fmt.Sprint(out)
}
