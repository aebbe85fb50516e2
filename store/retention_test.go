package store

import (
	"context"
	"testing"
	"time"

	"github.com/brief-reader/brief/feed"
)

// retentionFixture stores one feed of ten articles: 0–4 recent, 5–9 dated
// 200 days before the others. Item i links to item i+1's URL.
func retentionFixture(t *testing.T) (*Store, *fakeFetcher, map[int]int64) {
	t.Helper()
	ctx := context.Background()
	s := openTest(t)
	const url = "https://example.org/feed.xml"
	syncURLs(t, s, url)
	items := fakeItems("n", 10)
	for i := 5; i < 10; i++ {
		items[i].Published = items[i].Published.Add(-200 * 24 * time.Hour)
	}
	items[9].Title = "zeppelin retrospective" // a word only this article has
	f := &fakeFetcher{results: map[string]feedResult{url: fakeResult("Feed", items)}}
	if sum := refresh(t, s, f); sum.New != 10 {
		t.Fatalf("first refresh: got %d new, want 10", sum.New)
	}
	ids := map[int]int64{}
	rows, err := s.Articles(ctx, Filter{}, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		for i, it := range items {
			if it.Title == r.Title {
				ids[i] = r.ID
			}
		}
	}
	if len(ids) != 10 {
		t.Fatalf("found %d of 10 articles", len(ids))
	}
	return s, f, ids
}

func TestPrune(t *testing.T) {
	ctx := context.Background()
	old := pruneBatch
	pruneBatch = 2 // several batches
	defer func() { pruneBatch = old }()

	s, f, ids := retentionFixture(t)
	for _, i := range []int{0, 5, 6, 7, 9} {
		if err := s.SetRead(ctx, ids[i], true); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SetStarred(ctx, ids[7], true); err != nil { // old, read, starred: kept
		t.Fatal(err)
	}
	// Item 8 stays unread: kept. A page first reached from item 9.
	page, err := s.SavePage(ctx, feed.Page{URL: "https://elsewhere.example/story", Title: "A page"}, "", ids[9])
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetRead(ctx, page.ID, true); err != nil {
		t.Fatal(err)
	}
	if b, err := s.Backlinks(ctx, ids[7]); err != nil || len(b) != 1 || b[0].ID != ids[6] {
		t.Fatalf("before: Backlinks(item 7) = %v, %v; want item 6", b, err)
	}

	cutoff := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC) // between the two groups
	n, err := s.Prune(ctx, cutoff)
	if err != nil {
		t.Fatalf("Prune: %v", err)
	}
	if n != 3 {
		t.Errorf("Prune deleted %d, want 3 (items 5, 6, 9)", n)
	}
	for i, want := range map[int]bool{0: true, 4: true, 5: false, 6: false, 7: true, 8: true, 9: false} {
		_, err := s.Article(ctx, ids[i])
		if got := err == nil; got != want {
			t.Errorf("item %d: present %v, want %v (err %v)", i, got, want, err)
		}
	}
	if _, err := s.Article(ctx, page.ID); err != nil {
		t.Errorf("the linked page was deleted: %v", err)
	}
	var linkedFrom *int64
	if err := s.r.QueryRowContext(ctx, `SELECT linked_from FROM articles WHERE id = ?`, page.ID).Scan(&linkedFrom); err != nil || linkedFrom != nil {
		t.Errorf("page linked_from: got %v, %v; want NULL", linkedFrom, err)
	}
	if b, err := s.Backlinks(ctx, ids[7]); err != nil || len(b) != 0 {
		t.Errorf("after: Backlinks(item 7) = %v, %v; want none", b, err)
	}
	if rows, err := s.Articles(ctx, Filter{Query: "zeppelin"}, 0, 10); err != nil || len(rows) != 0 {
		t.Errorf("search for a deleted article's word: got %v, %v; want nothing", rows, err)
	}
	if rows, err := s.Articles(ctx, Filter{Query: "title"}, 0, 100); err != nil || len(rows) != 7 {
		t.Errorf("search over the rest: got %d rows, %v; want 7", len(rows), err)
	}
	checkConsistent(t, s, 8) // 7 articles and the page

	// The feed still lists the deleted items: a refresh must not bring them back.
	res := f.results["https://example.org/feed.xml"]
	res.ETag = `"v2"`
	f.results["https://example.org/feed.xml"] = res
	if sum := refresh(t, s, s.SkipPruned(f)); sum.New != 0 {
		t.Errorf("refresh after Prune: got %d new, want 0", sum.New)
	}
	checkConsistent(t, s, 8)
	c, err := s.Counts(ctx)
	if err != nil || c.All != 7 || c.Unread != 5 {
		t.Errorf("counts: got %+v, %v; want 7 articles, 5 unread (1–4, 8)", c, err)
	}

	// Once the feed drops an item, its tombstone goes.
	res.Feed = &feed.Feed{Title: "Feed", Items: res.Feed.Items[:6]} // items 0–5
	res.ETag = `"v3"`
	f.results["https://example.org/feed.xml"] = res
	refresh(t, s, s.SkipPruned(f))
	var tombs int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM pruned`).Scan(&tombs); err != nil || tombs != 1 {
		t.Errorf("tombstones: got %d, %v; want 1 (item 5, still listed)", tombs, err)
	}
}

func TestPruneKeepsEverythingNewerOrUnread(t *testing.T) {
	ctx := context.Background()
	s, _, ids := retentionFixture(t)
	// Nothing is read: nothing goes, however late the cutoff.
	if n, err := s.Prune(ctx, time.Now().Add(24*time.Hour)); err != nil || n != 0 {
		t.Errorf("Prune with nothing read: got %d, %v; want 0", n, err)
	}
	if err := s.SetRead(ctx, ids[0], true); err != nil {
		t.Fatal(err)
	}
	// Read but newer than the cutoff: kept.
	if n, err := s.Prune(ctx, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil || n != 0 {
		t.Errorf("Prune of read articles newer than the cutoff: got %d, %v; want 0", n, err)
	}
	checkConsistent(t, s, 10)
}

// checkConsistent checks that the database has articles rows, that every
// body, link and full-text entry belongs to one, and that the integrity
// checks pass.
func checkConsistent(t *testing.T, s *Store, articles int) {
	t.Helper()
	ctx := context.Background()
	for q, want := range map[string]int{
		`SELECT count(*) FROM articles`:                                                                                articles,
		`SELECT count(*) FROM bodies WHERE id NOT IN (SELECT id FROM articles)`:                                        0,
		`SELECT count(*) FROM links WHERE article_id NOT IN (SELECT id FROM articles)`:                                 0,
		`SELECT count(*) FROM articles_fts WHERE rowid NOT IN (SELECT id FROM articles)`:                               0,
		`SELECT count(*) FROM articles a WHERE a.feed_id IS NOT NULL AND a.id NOT IN (SELECT rowid FROM articles_fts)`: 0,
		`SELECT count(*) FROM pragma_foreign_key_check`:                                                                0,
		`SELECT count(*) FROM feeds f WHERE total_count <> (SELECT count(*) FROM articles WHERE feed_id = f.id)
 OR unread_count <> (SELECT count(*) FROM articles WHERE feed_id = f.id AND read = 0)`: 0,
	} {
		var got int
		if err := s.r.QueryRowContext(ctx, q).Scan(&got); err != nil {
			t.Errorf("%s: %v", q, err)
			continue
		}
		if got != want {
			t.Errorf("%s: got %d, want %d", q, got, want)
		}
	}
	if _, err := s.w.ExecContext(ctx, `INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')`); err != nil {
		t.Errorf("fts integrity-check: %v", err)
	}
}
