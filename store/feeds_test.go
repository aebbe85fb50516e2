package store

import (
	"context"
	"reflect"
	"testing"
)

// checkCounts compares the kept counts with counts made from scratch.
func checkCounts(t *testing.T, s *Store) {
	t.Helper()
	ctx := context.Background()
	feeds, err := s.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range feeds {
		total, err := s.CountArticles(ctx, Filter{FeedID: f.ID})
		if err != nil {
			t.Fatal(err)
		}
		unread, err := s.CountArticles(ctx, Filter{FeedID: f.ID, Unread: true})
		if err != nil {
			t.Fatal(err)
		}
		if f.Total != total || f.Unread != unread {
			t.Errorf("feed %s: kept counts total %d unread %d, counted %d and %d", f.URL, f.Total, f.Unread, total, unread)
		}
	}
	c, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var want Counts
	for _, f := range []struct {
		n      *int
		filter Filter
	}{{&want.All, Filter{}}, {&want.Unread, Filter{Unread: true}}, {&want.Starred, Filter{Starred: true}}} {
		if *f.n, err = s.CountArticles(ctx, f.filter); err != nil {
			t.Fatal(err)
		}
	}
	if c != want {
		t.Errorf("Counts: got %+v, counted %+v", c, want)
	}
}

func TestSyncFeeds(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	specs := []FeedSpec{
		{URL: "https://b.example/feed", Title: "Bee", Tags: []string{"world", " tech "}},
		{URL: "https://a.example/feed"},
		{URL: " https://c.example/feed "},
		{URL: "https://a.example/feed", Title: "duplicate, ignored"},
		{URL: ""},
	}
	if err := s.SyncFeeds(ctx, specs); err != nil {
		t.Fatal(err)
	}
	feeds, err := s.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range feeds {
		got = append(got, f.URL+" "+f.Title)
	}
	want := []string{"https://b.example/feed Bee", "https://a.example/feed https://a.example/feed", "https://c.example/feed https://c.example/feed"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("feeds: got %q, want %q", got, want)
	}
	if !reflect.DeepEqual(feeds[0].Tags, []string{"world", "tech"}) || feeds[1].Tags == nil || len(feeds[1].Tags) != 0 {
		t.Errorf("tags: %q, %q", feeds[0].Tags, feeds[1].Tags)
	}

	f := &fakeFetcher{results: map[string]feedResult{
		"https://a.example/feed": fakeResult("Own A", fakeItems("a", 4)),
		"https://b.example/feed": fakeResult("Own B", fakeItems("b", 3)),
		"https://c.example/feed": fakeResult("Own C", fakeItems("c", 2)),
	}}
	refresh(t, s, f)
	rowsA := allRows(t, s, Filter{FeedID: feeds[1].ID})
	if err := s.SetRead(ctx, rowsA[0].ID, true); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStarred(ctx, rowsA[1].ID, true); err != nil {
		t.Fatal(err)
	}
	checkCounts(t, s)
	if got := allRows(t, s, Filter{Tag: "tech"}); len(got) != 3 {
		t.Errorf("tag tech: %d articles, want 3", len(got))
	}

	// a.example leaves the dotfile: hidden everywhere, data kept.
	if err := s.SyncFeeds(ctx, []FeedSpec{{URL: "https://c.example/feed"}, {URL: "https://b.example/feed", Title: "Bee"}}); err != nil {
		t.Fatal(err)
	}
	feeds2, err := s.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(feeds2) != 2 || feeds2[0].URL != "https://c.example/feed" || feeds2[0].Title != "Own C" || len(feeds2[1].Tags) != 0 {
		t.Errorf("after removal: %+v", feeds2)
	}
	if c, err := s.Counts(ctx); err != nil || c != (Counts{All: 5, Unread: 5, Starred: 0}) {
		t.Errorf("counts after removal: %+v, %v", c, err)
	}
	if got := allRows(t, s, Filter{Starred: true}); len(got) != 0 {
		t.Errorf("starred list shows a removed feed's article: %+v", got)
	}
	if got := allRows(t, s, Filter{Query: "title"}); len(got) != 5 {
		t.Errorf("search shows %d articles, want the 5 of active feeds", len(got))
	}
	if _, err := s.ArticleByURL(ctx, rowsA[0].URL); err != ErrNotFound {
		t.Errorf("ArticleByURL of a removed feed's article: %v, want ErrNotFound", err)
	}
	if sum := refresh(t, s, f); sum.Feeds != 2 {
		t.Errorf("refresh after removal: %+v, want 2 feeds", sum)
	}
	checkCounts(t, s)

	// Back again: articles and state return.
	if err := s.SyncFeeds(ctx, specs); err != nil {
		t.Fatal(err)
	}
	back := allRows(t, s, Filter{FeedID: feeds[1].ID})
	if len(back) != 4 || !back[0].Read || !back[1].Starred {
		t.Errorf("re-added feed: %+v", back)
	}
	checkCounts(t, s)
}
