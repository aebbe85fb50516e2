package store

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/brief-reader/brief/feed"
)

// TestStoryOnceAcrossFeeds: one story in three feeds (its link written three
// ways) is listed once in the lists of every feed, once per feed in each
// feed's list, names the other feeds, is read everywhere once read in one,
// and stays read when one feed rewrites its GUIDs (and moves to https).
func TestStoryOnceAcrossFeeds(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	links := []string{
		"http://news.example.org/world/story",
		"https://www.news.example.org/world/story/?utm_source=rss",
		"https://news.example.org/world/story#top",
	}
	items := func(f int, guid string, link string) []feed.Item {
		its := fakeItems(fmt.Sprintf("feed%d", f), 2) // two stories of its own
		its[0].Key, its[0].GUID, its[0].URL = "guid:"+guid, guid, link
		its[0].Title = "The shared story"
		return its
	}
	ff := &fakeFetcher{results: map[string]feedResult{}}
	urls := []string{"https://a.example/f", "https://b.example/f", "https://c.example/f"}
	for i, u := range urls {
		ff.results[u] = fakeResult(fmt.Sprintf("Feed %c", 'A'+i), items(i, fmt.Sprintf("g%d", i), links[i]))
	}
	ids := syncURLs(t, s, urls...)
	refresh(t, s, ff)

	all, err := s.Articles(ctx, Filter{}, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var shared []ArticleRow
	for _, r := range all {
		if r.Title == "The shared story" {
			shared = append(shared, r)
		}
	}
	if len(all) != 4 || len(shared) != 1 {
		t.Fatalf("all articles: %d rows, %d of the shared story; want 4 and 1: %+v", len(all), len(shared), all)
	}
	for _, id := range ids {
		rows, err := s.Articles(ctx, Filter{FeedID: id}, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 {
			t.Errorf("feed %d: %d rows, want 2 (its copy and its own story)", id, len(rows))
		}
	}
	also, err := s.AlsoIn(ctx, shared[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Feed A", "Feed B"}; !slices.Equal(also, want) {
		t.Errorf("AlsoIn(%d) = %q, want %q", shared[0].ID, also, want)
	}

	// Read in one feed: read in all three, and the unread counts follow.
	feedB, err := s.Articles(ctx, Filter{FeedID: ids[1]}, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetRead(ctx, feedB[0].ID, true); err != nil {
		t.Fatal(err)
	}
	checkShared := func(when string, wantRead bool) {
		t.Helper()
		for _, id := range ids {
			rows, err := s.Articles(ctx, Filter{FeedID: id}, 0, 100)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, r := range rows {
				if r.Title == "The shared story" {
					n++
					if r.Read != wantRead {
						t.Errorf("%s: feed %d's copy read %v, want %v", when, id, r.Read, wantRead)
					}
				}
			}
			if n != 1 {
				t.Errorf("%s: feed %d lists the shared story %d times, want 1", when, id, n)
			}
		}
		feeds, err := s.Feeds(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range feeds {
			if want := 1 + map[bool]int{true: 0, false: 1}[wantRead]; f.Unread != want {
				t.Errorf("%s: feed %s unread %d, want %d", when, f.URL, f.Unread, want)
			}
		}
	}
	checkShared("read in feed B", true)

	// Feed C rewrites its GUIDs: every item comes back under a new key.
	its := items(2, "rewritten-g2", "https://news.example.org/world/story")
	for i := range its {
		its[i].Key += "-v2"
		its[i].GUID += "-v2"
	}
	ff.results[urls[2]] = fakeResult("Feed C", its)
	refresh(t, s, ff)
	unread, err := s.Articles(ctx, Filter{Unread: true}, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range unread {
		if r.Title == "The shared story" {
			t.Errorf("after feed C rewrote its GUIDs the shared story is unread again: %+v", r)
		}
	}

	// Unread in one: unread in all.
	if err := s.SetRead(ctx, shared[0].ID, false); err != nil {
		t.Fatal(err)
	}
	unread, err = s.Articles(ctx, Filter{Unread: true}, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range unread {
		if r.Title == "The shared story" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("marked unread: unread list shows the shared story %d times, want 1", n)
	}
}

// TestStoryOnceWindowMatchesOffset: keyset paging over a list with copies
// hidden returns what OFFSET paging does.
func TestStoryOnceWindowMatchesOffset(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	threeFeeds(t, s, "f", 30, func(its []feed.Item) {
		for i := range its {
			if i%3 == 0 { // every third story is in every feed
				its[i].URL = fmt.Sprintf("https://shared.example/%d", i)
			}
		}
	})
	for _, f := range []Filter{{}, {Unread: true}} {
		want, err := s.Articles(ctx, f, 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if len(want) != 3*30-2*10 {
			t.Fatalf("%+v: %d rows, want %d", f, len(want), 3*30-2*10)
		}
		for start := 0; start < len(want); start += 7 {
			anchor := Anchor{Index: max(start-3, 0), Row: want[max(start-3, 0)]}
			got, err := s.Window(ctx, f, start, 7, len(want), anchor)
			if err != nil {
				t.Fatal(err)
			}
			end := min(start+7, len(want))
			if !slices.Equal(ids(got), ids(want[start:end])) {
				t.Errorf("%+v: Window(%d) = %v, want %v", f, start, ids(got), ids(want[start:end]))
			}
		}
	}
}

func ids(rows []ArticleRow) []int64 {
	out := make([]int64, len(rows))
	for i, r := range rows {
		out[i] = r.ID
	}
	return out
}

// TestGUIDChurnKeepsReadState: a feed that rewrites every GUID between
// refreshes (http to https, then a new scheme) keeps each story's row and
// read state; a new update that repeats an old one's link and title but not
// its date is a new, unread article.
func TestGUIDChurnKeepsReadState(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	const u = "https://churn.example/feed"
	ff := &fakeFetcher{results: map[string]feedResult{}}
	version := func(guid func(i int) string, extra ...feed.Item) []feed.Item {
		its := fakeItems("churn", 3)
		for i := range its {
			its[i].GUID = guid(i)
			its[i].Key = "guid:" + its[i].GUID
		}
		return append(its, extra...)
	}
	ff.results[u] = fakeResult("Churn", version(func(i int) string { return fmt.Sprintf("http://churn.example/?p=%d", i) }))
	feedID := syncURLs(t, s, u)[0]
	refresh(t, s, ff)
	rows, err := s.Articles(ctx, Filter{FeedID: feedID}, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Fatalf("%d rows, want 3", len(rows))
	}
	for _, r := range rows {
		if err := s.SetRead(ctx, r.ID, true); err != nil {
			t.Fatal(err)
		}
	}
	update := fakeItems("churn", 1)[0] // the first story's link and title, a later date
	update.GUID, update.Key = "update-1", "guid:update-1"
	update.Published = update.Published.Add(time.Hour)
	for n, guid := range []func(int) string{
		func(i int) string { return fmt.Sprintf("https://churn.example/?p=%d", i) },
		func(i int) string { return fmt.Sprintf("tag:churn.example,2026:%d", i) },
	} {
		extra := []feed.Item{}
		if n == 1 {
			extra = append(extra, update)
		}
		ff.results[u] = fakeResult("Churn", version(guid, extra...))
		refresh(t, s, ff)
		got, err := s.Articles(ctx, Filter{FeedID: feedID}, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 3+len(extra) {
			t.Fatalf("rewrite %d: %d rows, want %d: %+v", n+1, len(got), 3+len(extra), got)
		}
		for _, r := range got {
			if want := !r.Published.Equal(update.Published); r.Read != want {
				t.Errorf("rewrite %d: %q (%v) read %v, want %v", n+1, r.Title, r.Published, r.Read, want)
			}
		}
		if !slices.Equal(ids(got[len(extra):]), ids(rows)) {
			t.Errorf("rewrite %d: rows %v, want the first refresh's %v", n+1, ids(got), ids(rows))
		}
	}
}

// TestMarkAllReadMarksHiddenCopies: marking the list of every feed read
// (which shows one copy of each story) marks every copy, keeps the unread
// counts, and undoing it brings every copy back.
func TestMarkAllReadMarksHiddenCopies(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	threeFeeds(t, s, "m", 4, func(its []feed.Item) { its[0].URL = "https://shared.example/story" })
	unreadIn := func() []int {
		t.Helper()
		feeds, err := s.Feeds(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var out []int
		for _, f := range feeds {
			var n int
			if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM articles WHERE feed_id = ? AND read = 0`, f.ID).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != f.Unread {
				t.Errorf("feed %s: unread count %d, %d unread rows", f.URL, f.Unread, n)
			}
			out = append(out, n)
		}
		return out
	}
	ids, err := s.UnreadIDs(ctx, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 10 {
		t.Fatalf("%d unread listed, want 10 (3×4, the shared story once)", len(ids))
	}
	if _, err := s.MarkRead(ctx, Filter{}); err != nil {
		t.Fatal(err)
	}
	if got := unreadIn(); !slices.Equal(got, []int{0, 0, 0}) {
		t.Errorf("after marking all read: unread per feed %v, want none", got)
	}
	if _, err := s.SetReadIDs(ctx, ids, false); err != nil {
		t.Fatal(err)
	}
	if got := unreadIn(); !slices.Equal(got, []int{4, 4, 4}) {
		t.Errorf("after undo: unread per feed %v, want 4 each", got)
	}
}

// TestCountsCountStories: the counts of All, Unread and Starred are the
// lengths of those lists, which show a story in several feeds once.
func TestCountsCountStories(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	threeFeeds(t, s, "c", 5, func(its []feed.Item) {
		its[0].URL, its[1].URL = "https://shared.example/one", "https://shared.example/two"
	})
	check := func(when string) {
		t.Helper()
		c, err := s.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			f    Filter
			have int
		}{{Filter{}, c.All}, {Filter{Unread: true}, c.Unread}, {Filter{Starred: true}, c.Starred}} {
			rows, err := s.Articles(ctx, tc.f, 0, 1000)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != tc.have {
				t.Errorf("%s: %+v lists %d, counted %d", when, tc.f, len(rows), tc.have)
			}
		}
	}
	check("fresh")
	all, err := s.Articles(ctx, Filter{FeedID: 2}, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range all[:3] {
		if err := s.SetStarred(ctx, r.ID, true); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SetRead(ctx, all[1].ID, true); err != nil {
		t.Fatal(err)
	}
	check("starred and read")
	if c, err := s.Counts(ctx); err != nil || c.All != 11 {
		t.Errorf("All counted %d (%v), want 11 (3×5, two stories in all three feeds)", c.All, err)
	}
}

// threeFeeds stores three feeds of n fake items each (see fakeItems, prefix
// and the feed's number naming them), after share rewrote their links.
func threeFeeds(t *testing.T, s *Store, prefix string, n int, share func([]feed.Item)) {
	t.Helper()
	ff := &fakeFetcher{results: map[string]feedResult{}}
	var urls []string
	for f := range 3 {
		u := fmt.Sprintf("https://%s%d.example/feed", prefix, f)
		urls = append(urls, u)
		its := fakeItems(fmt.Sprintf("%s%d", prefix, f), n)
		share(its)
		ff.results[u] = fakeResult(fmt.Sprintf("Feed %d", f), its)
	}
	syncURLs(t, s, urls...)
	refresh(t, s, ff)
}
