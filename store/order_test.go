package store

import (
	"context"
	"slices"
	"strings"
	"testing"
)

func TestSorts(t *testing.T) {
	ctx := context.Background()
	s, _ := pagedStore(t)
	newest := allRows(t, s, Filter{})
	oldest := allRows(t, s, Filter{Sort: SortOldest})
	slices.Reverse(oldest)
	if !slices.EqualFunc(newest, oldest, func(a, b ArticleRow) bool { return a.ID == b.ID }) {
		t.Error("oldest is not newest reversed")
	}
	byFeed := allRows(t, s, Filter{Sort: SortFeed})
	if !slices.IsSortedFunc(byFeed, func(a, b ArticleRow) int {
		return strings.Compare(strings.ToLower(a.FeedTitle), strings.ToLower(b.FeedTitle))
	}) {
		t.Error("feed: not grouped by feed title")
	}
	byTitle := allRows(t, s, Filter{Sort: SortTitle})
	if !slices.IsSortedFunc(byTitle, func(a, b ArticleRow) int { return strings.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title)) }) {
		t.Error("title: not by title")
	}
	// Pages in any order join up to the whole list, each row once.
	for _, o := range Sorts {
		var paged []ArticleRow
		for off := 0; ; off += 7 {
			page, err := s.Articles(ctx, Filter{Sort: o}, off, 7)
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			paged = append(paged, page...)
		}
		if whole := allRows(t, s, Filter{Sort: o}); !slices.EqualFunc(paged, whole, func(a, b ArticleRow) bool { return a.ID == b.ID }) {
			t.Errorf("%s: pages differ from the whole list", o)
		}
	}
	for _, in := range []string{"", "newest", "oldest", "feed", "title"} {
		if _, err := ParseSort(in); err != nil {
			t.Errorf("ParseSort(%q): %v", in, err)
		}
	}
	if _, err := ParseSort("random"); err == nil {
		t.Error("ParseSort accepted random")
	}
}

func TestUndoMarkAll(t *testing.T) {
	ctx := context.Background()
	s, ids := pagedStore(t)
	rows := allRows(t, s, Filter{FeedID: ids[0]})
	if err := s.SetRead(ctx, rows[0].ID, true); err != nil {
		t.Fatal(err)
	}
	unread, err := s.UnreadIDs(ctx, Filter{FeedID: ids[0]})
	if err != nil || len(unread) != len(rows)-1 || slices.Contains(unread, rows[0].ID) {
		t.Fatalf("UnreadIDs: %d ids (%v), want %d", len(unread), err, len(rows)-1)
	}
	if _, err := s.MarkRead(ctx, Filter{FeedID: ids[0]}); err != nil {
		t.Fatal(err)
	}
	n, err := s.SetReadIDs(ctx, unread, false)
	if err != nil || n != int64(len(unread)) {
		t.Fatalf("SetReadIDs: %d (%v), want %d", n, err, len(unread))
	}
	after := allRows(t, s, Filter{FeedID: ids[0], Unread: true})
	if len(after) != len(rows)-1 {
		t.Errorf("after undo: %d unread, want %d (the one read before stays read)", len(after), len(rows)-1)
	}
	feeds, err := s.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if feeds[0].Unread != len(rows)-1 {
		t.Errorf("feed count %d, want %d", feeds[0].Unread, len(rows)-1)
	}
}
