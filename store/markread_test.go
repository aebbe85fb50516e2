package store

import (
	"context"
	"testing"
)

// TestMarkReadBatches marks lists read in batches smaller than the lists and
// checks the returned count and that every feed's counters equal a recount;
// single-row changes still move the counters (the trigger).
func TestMarkReadBatches(t *testing.T) {
	old := markBatch
	markBatch = 7
	t.Cleanup(func() { markBatch = old })
	ctx := context.Background()
	s, ids := pagedStore(t)
	check := func(when string) {
		t.Helper()
		feeds, err := s.Feeds(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range feeds {
			unread, err := s.CountArticles(ctx, Filter{FeedID: f.ID, Unread: true})
			if err != nil {
				t.Fatal(err)
			}
			if f.Unread != unread {
				t.Errorf("%s: feed %d says %d unread, recount %d", when, f.ID, f.Unread, unread)
			}
		}
	}
	all := allRows(t, s, Filter{FeedID: ids[0]})
	if err := s.SetRead(ctx, all[3].ID, true); err != nil {
		t.Fatal(err)
	}
	if n, err := s.MarkRead(ctx, Filter{FeedID: ids[0]}); err != nil || n != 29 {
		t.Fatalf("MarkRead feed a: %d, %v; want 29", n, err)
	}
	check("after feed a")
	if err := s.SetRead(ctx, all[5].ID, false); err != nil {
		t.Fatal(err)
	}
	check("after one unread")
	if n, err := s.MarkRead(ctx, Filter{}); err != nil || n != 21 {
		t.Fatalf("MarkRead all: %d, %v; want 21", n, err)
	}
	check("after all")
	if c, err := s.Counts(ctx); err != nil || c.Unread != 0 {
		t.Fatalf("Counts: %+v, %v; want 0 unread", c, err)
	}
}
