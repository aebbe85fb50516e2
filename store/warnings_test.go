package store

import (
	"bytes"
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/internal/feedtest"
)

// TestRefreshKeepsFeedWarnings: the problems of a fetched document that did
// not fail the feed (here: a truncated document) are reported in the
// Summary, stored with the feed, listed by Errors after the failures, kept
// on 304 and on a failure, and cleared by a clean fetch.
func TestRefreshKeepsFeedWarnings(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	srv := feedtest.New(t)
	full := feedtest.RSS("Damaged", srv.URL("/"), feedtest.Generate(srv.Server.URL, 1, 5))
	cut := full[:bytes.Index(full, []byte("Feed 1 article 3"))] // inside the fourth item
	srv.Set("/damaged.xml", cut, "application/rss+xml")
	setRSS(srv, "/ok.xml", feedtest.Generate(srv.Server.URL, 2, 2))
	ids := syncURLs(t, s, srv.URL("/gone.xml"), srv.URL("/ok.xml"), srv.URL("/damaged.xml"))
	client := newClient()

	sum := refresh(t, s, client)
	if sum.Failed != 1 || len(sum.Warnings) != 1 {
		t.Fatalf("first refresh: %+v, want 1 failure and 1 warning", sum)
	}
	w := sum.Warnings[0]
	if w.FeedID != ids[2] || w.URL != srv.URL("/damaged.xml") || w.Title != "Damaged" || w.Error != "" || w.At.IsZero() ||
		!strings.Contains(w.Warning, "damaged") || !strings.Contains(w.Warning, "showing the 3 items") || strings.HasPrefix(w.Warning, "feed: ") {
		t.Errorf("summary warning: %+v", w)
	}
	warning := w.Warning
	wantFeeds := func(when string, want string) {
		t.Helper()
		feeds, err := s.Feeds(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if feeds[2].Warning != want || feeds[0].Warning != "" || feeds[1].Warning != "" {
			t.Errorf("%s: feed warnings %q, %q, %q; want only the third, %q", when, feeds[0].Warning, feeds[1].Warning, feeds[2].Warning, want)
		}
	}
	wantFeeds("first refresh", warning)
	errs, err := s.Errors(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(errs) != 2 || errs[0].FeedID != ids[0] || errs[0].Error == "" || errs[0].Warning != "" ||
		errs[1].FeedID != ids[2] || errs[1].Error != "" || errs[1].Warning != warning || errs[1].At.IsZero() {
		t.Errorf("Errors: %+v, want the failure then the warning", errs)
	}

	// Not modified: the warning stays, and is not reported again.
	sum = refresh(t, s, client)
	if st := srv.Stats("/damaged.xml"); st.NotModified != 1 || len(sum.Warnings) != 0 {
		t.Errorf("304 refresh: %+v, %d not modified; want no warning reported", sum, st.NotModified)
	}
	wantFeeds("after a 304", warning)

	// A failure keeps it too: the cached articles still come from that document.
	srv.Handle("/damaged.xml", feedtest.Status(http.StatusInternalServerError))
	refresh(t, s, client)
	wantFeeds("after a failure", warning)
	if errs, err := s.Errors(ctx); err != nil || len(errs) != 2 || errs[1].FeedID != ids[2] || errs[1].Error == "" || errs[1].Warning != warning {
		t.Errorf("Errors with a failure and a warning: %+v, %v", errs, err)
	}

	// A clean document clears it.
	srv.Handle("/damaged.xml", nil) // serve the document again
	srv.Set("/damaged.xml", full, "application/rss+xml")
	if sum := refresh(t, s, client); len(sum.Warnings) != 0 || sum.New != 2 {
		t.Errorf("clean refresh: %+v", sum)
	}
	wantFeeds("after a clean fetch", "")
	if errs, err := s.Errors(ctx); err != nil || len(errs) != 1 || errs[0].FeedID != ids[0] {
		t.Errorf("Errors after the clean fetch: %+v, %v; want the failing feed only", errs, err)
	}
}

// TestRefreshWarnsOfDuplicatesAndSkippedItems goes through the fake fetcher
// to check what is kept of the warnings feed gives.
func TestRefreshWarnsOfDuplicatesAndSkippedItems(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	syncURLs(t, s, "https://a.example/feed")
	res := fakeResult("A", fakeItems("a", 2))
	res.Feed.Warnings = []string{"feed: item 2 skipped: it has no title, link or text", "feed: 1 duplicate items dropped\x1b[2J"}
	f := &fakeFetcher{results: map[string]feedResult{"https://a.example/feed": res}}
	sum := refresh(t, s, f)
	want := "item 2 skipped: it has no title, link or text; 1 duplicate items dropped"
	if len(sum.Warnings) != 1 || sum.Warnings[0].Warning != want {
		t.Fatalf("warnings: %+v, want %q", sum.Warnings, want)
	}
	if feeds, err := s.Feeds(ctx); err != nil || feeds[0].Warning != want {
		t.Errorf("stored warning: %+v, %v", feeds, err)
	}
}

func TestJoinWarnings(t *testing.T) {
	long := strings.Repeat("é", maxWarning) // 2 bytes each
	many := make([]string, 40)
	for i := range many {
		many[i] = "feed: item 12345 skipped: it has no title, link or text"
	}
	cases := []struct {
		name string
		in   []string
		want func(string) bool
	}{
		{"none", nil, func(s string) bool { return s == "" }},
		{"one", []string{"feed: 3 duplicate items dropped"}, func(s string) bool { return s == "3 duplicate items dropped" }},
		{"empty ones dropped", []string{"", "feed: x", "\x1b"}, func(s string) bool { return s == "x" }},
		{"many are counted", many, func(s string) bool {
			return len(s) <= maxWarning && strings.HasPrefix(s, "item 12345 skipped") && strings.HasSuffix(s, " more") &&
				strings.Contains(s, "; and ")
		}},
		{"one too long is cut", []string{long, "feed: y"}, func(s string) bool {
			return len(s) <= maxWarning && utf8.ValidString(s) && strings.HasSuffix(s, "…; y")
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := joinWarnings(c.in); !c.want(got) {
				t.Errorf("got %q (%d bytes)", got, len(got))
			}
		})
	}
}

// TestMigrationToWarningsAndStories opens a database of schema 2 holding an
// article as the previous brief wrote it, and checks that the new steps
// apply, keep the data, and that the stored story keeps its state when its
// key changes form.
func TestMigrationToWarningsAndStories(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	srv := feedtest.New(t)
	item := func(name string) feedtest.Item {
		return feedtest.Item{GUID: "same", Title: "Story " + name, Link: srv.URL("/" + name),
			Description: "<p>Text " + name + "</p>", Published: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	}
	old := openAtVersion(t, path, 2)
	// Plain SQL of schema 2 (today's SyncFeeds knows columns added later).
	if _, err := old.w.ExecContext(ctx, `INSERT INTO feeds (url, position) VALUES (?, 0)`, srv.URL("/f.xml")); err != nil {
		t.Fatal(err)
	}
	_, err := old.w.ExecContext(ctx, `
INSERT INTO articles (id, feed_id, starred, sort_date, first_seen, key, title, url, url_norm, guid)
VALUES (7, 1, 1, 1767225600, 1767225600, 'guid:same', 'Story a', ?1, ?2, 'same');
INSERT INTO bodies (id, markdown, text) VALUES (7, 'Text a', 'Text a');
UPDATE feeds SET total_count = 1, unread_count = 1`, srv.URL("/a"), feed.NormalizeURL(srv.URL("/a")))
	if cerr := old.Close(); err != nil || cerr != nil {
		t.Fatalf("schema 2: %v, %v", err, cerr)
	}

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open after the new migrations: %v", err)
	}
	defer s.Close()
	if feeds, err := s.Feeds(ctx); err != nil || len(feeds) != 1 || feeds[0].Warning != "" {
		t.Errorf("feeds after migrating: %+v, %v", feeds, err)
	}
	setRSS(srv, "/f.xml", []feedtest.Item{item("b"), item("a")})
	if sum := refresh(t, s, newClient()); sum.New != 1 {
		t.Errorf("refresh after migrating: %+v, want 1 new", sum)
	}
	if got := allRows(t, s, Filter{Starred: true}); len(got) != 1 || got[0].ID != 7 || got[0].Title != "Story a" {
		t.Errorf("starred after migrating and refreshing: %+v, want article 7", got)
	}
	if all := allRows(t, s, Filter{}); len(all) != 2 {
		t.Errorf("got %d articles, want 2", len(all))
	}
	if err := s.Check(ctx); err != nil {
		t.Error(err)
	}
}

// openAtVersion opens path with only the first n migrations, as an older
// brief would. Only Open reads the migrations: they are restored at once.
func openAtVersion(t *testing.T, path string, n int) *Store {
	t.Helper()
	all := migrations
	migrations = all[:n]
	s, err := Open(context.Background(), path)
	migrations = all
	if err != nil {
		t.Fatalf("Open at schema %d: %v", n, err)
	}
	return s
}
