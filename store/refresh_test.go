package store

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/internal/feedtest"
)

// setRSS serves items as an RSS feed at path.
func setRSS(srv *feedtest.Server, path string, items []feedtest.Item) {
	srv.Set(path, feedtest.RSS("Feed at "+path, srv.Server.URL+"/", items), "")
}

// allRows returns every listed article, newest first.
func allRows(t *testing.T, s *Store, f Filter) []ArticleRow {
	t.Helper()
	rows, err := s.Articles(context.Background(), f, 0, 100000)
	if err != nil {
		t.Fatalf("Articles: %v", err)
	}
	return rows
}

func TestRefreshThroughFeedClient(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	srv := feedtest.New(t)
	items := feedtest.Generate(srv.Server.URL, 1, 5)
	setRSS(srv, "/a.xml", items)
	setRSS(srv, "/b.xml", feedtest.Generate(srv.Server.URL, 2, 3))
	syncURLs(t, s, srv.URL("/a.xml"), srv.URL("/b.xml"))
	client := newClient()

	// New.
	sum := refresh(t, s, client)
	if sum.Feeds != 2 || sum.New != 8 || sum.Failed != 0 {
		t.Fatalf("first refresh: got %+v, want 2 feeds, 8 new, 0 failed", sum)
	}
	feeds, err := s.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if feeds[0].Title != "Feed at /a.xml" || feeds[0].SiteURL != srv.Server.URL+"/" || feeds[0].Total != 5 || feeds[0].Unread != 5 ||
		feeds[0].ETag == "" || feeds[0].LastModified == "" || feeds[0].LastFetched.IsZero() {
		t.Errorf("feed after refresh: %+v", feeds[0])
	}
	rows := allRows(t, s, Filter{FeedID: feeds[0].ID})
	if len(rows) != 5 || rows[0].Title != "Feed 1 article 0" {
		t.Fatalf("articles: got %d, first %+v", len(rows), rows)
	}
	a, err := s.Article(ctx, rows[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(a.Markdown, "**bold**") || len(a.Links) != 1 || a.Links[0].URL != srv.Server.URL+"/articles/1/1" {
		t.Errorf("article body: %q, links %+v", a.Markdown, a.Links)
	}
	if err := s.SetRead(ctx, rows[0].ID, true); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStarred(ctx, rows[1].ID, true); err != nil {
		t.Fatal(err)
	}

	// Unchanged: every request conditional, answered 304, no article row written.
	writes := writeCounter(t, s)
	before := srv.Total()
	sum = refresh(t, s, client)
	after := srv.Total()
	if sum.New != 0 || sum.Failed != 0 {
		t.Errorf("unchanged refresh: %+v", sum)
	}
	if got := after.Conditional - before.Conditional; got != 2 {
		t.Errorf("conditional requests: got %d, want 2", got)
	}
	if got := after.NotModified - before.NotModified; got != 2 {
		t.Errorf("304 answers: got %d, want 2", got)
	}
	if n := writes(); n != 0 {
		t.Errorf("unchanged refresh wrote %d article/link rows, want 0", n)
	}

	// Changed: one item's title and body; the others untouched; state kept.
	items[0].Title = "Feed 1 article 0, updated"
	items[0].Description = "<p>New text with <a href=\"" + srv.Server.URL + "/other\">another link</a>.</p>"
	setRSS(srv, "/a.xml", items)
	sum = refresh(t, s, client)
	if sum.New != 0 || sum.Failed != 0 {
		t.Errorf("changed refresh: %+v", sum)
	}
	// 1 article update, 1 link deleted, 1 link inserted.
	if n := writes(); n != 3 {
		t.Errorf("changed refresh wrote %d rows, want 3", n)
	}
	a, err = s.Article(ctx, rows[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "Feed 1 article 0, updated" || !strings.Contains(a.Markdown, "New text") ||
		len(a.Links) != 1 || a.Links[0].URL != srv.Server.URL+"/other" || !a.Read {
		t.Errorf("updated article: %+v", a)
	}
	b, err := s.Article(ctx, rows[1].ID)
	if err != nil || !b.Starred {
		t.Errorf("starred article after refresh: %+v, %v", b, err)
	}
	if got := allRows(t, s, Filter{Query: "updated"}); len(got) != 1 || got[0].ID != rows[0].ID {
		t.Errorf("search finds the new title: got %+v", got)
	}
	if got := allRows(t, s, Filter{Query: "bold"}); len(got) != 7 {
		t.Errorf("search for the old body word: got %d, want 7 (the changed body no longer has it)", len(got))
	}
	feeds, err = s.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if feeds[0].Total != 5 || feeds[0].Unread != 4 {
		t.Errorf("counts after refreshes: total %d unread %d, want 5 and 4", feeds[0].Total, feeds[0].Unread)
	}
}

func TestRefreshIdentity(t *testing.T) {
	epoch := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	base := func(srvURL string) []feedtest.Item {
		items := make([]feedtest.Item, 4)
		for i := range items {
			items[i] = feedtest.Item{
				GUID:        fmt.Sprintf("guid-%d", i),
				Title:       fmt.Sprintf("Story %d", i),
				Link:        fmt.Sprintf("%s/story/%d", srvURL, i),
				Description: fmt.Sprintf("<p>Text of story %d.</p>", i),
				Published:   epoch.Add(-time.Duration(i) * time.Hour),
			}
		}
		return items
	}
	cases := []struct {
		name   string
		first  func([]feedtest.Item) []feedtest.Item
		second func([]feedtest.Item) []feedtest.Item
	}{
		{"pubDate changed", nil, func(its []feedtest.Item) []feedtest.Item {
			for i := range its {
				its[i].Published = its[i].Published.Add(30 * time.Minute)
			}
			return its
		}},
		{"reordered", nil, func(its []feedtest.Item) []feedtest.Item {
			for i, j := 0, len(its)-1; i < j; i, j = i+1, j-1 {
				its[i], its[j] = its[j], its[i]
			}
			return its
		}},
		{"tracking parameters with stable GUID", nil, func(its []feedtest.Item) []feedtest.Item {
			for i := range its {
				its[i].Link += "?utm_source=rss&utm_medium=feed"
			}
			return its
		}},
		{"same GUID on every item", func(its []feedtest.Item) []feedtest.Item {
			for i := range its {
				its[i].GUID = "same"
			}
			return its
		}, func(its []feedtest.Item) []feedtest.Item {
			for i := range its {
				its[i].GUID = "same"
				its[i].Link += "#comments"
			}
			return its
		}},
		{"neither GUID nor date", func(its []feedtest.Item) []feedtest.Item {
			for i := range its {
				its[i].GUID, its[i].Published = "", time.Time{}
			}
			return its
		}, nil},
		{"neither GUID, date nor link", func(its []feedtest.Item) []feedtest.Item {
			for i := range its {
				its[i].GUID, its[i].Published, its[i].Link = "", time.Time{}, ""
			}
			return its
		}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			s := openTest(t)
			srv := feedtest.New(t)
			first := base(srv.Server.URL)
			if c.first != nil {
				first = c.first(first)
			}
			setRSS(srv, "/f.xml", first)
			syncURLs(t, s, srv.URL("/f.xml"))
			client := newClient()
			if sum := refresh(t, s, client); sum.New != 4 {
				t.Fatalf("first refresh: %+v, want 4 new", sum)
			}
			rows := allRows(t, s, Filter{})
			dates := map[int64]time.Time{}
			for _, r := range rows {
				dates[r.ID] = r.Published
				if err := s.SetRead(ctx, r.ID, true); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.SetStarred(ctx, rows[2].ID, true); err != nil {
				t.Fatal(err)
			}

			for round := 0; round < 3; round++ {
				second := base(srv.Server.URL)
				if c.first != nil {
					second = c.first(second)
				}
				if c.second != nil {
					second = c.second(second)
				}
				// A new body each round makes every refresh a 200 with a new parse.
				second = append(second, feedtest.Item{Title: fmt.Sprintf("Filler %d", round),
					Link: fmt.Sprintf("%s/filler/%d", srv.Server.URL, round), GUID: fmt.Sprintf("filler-%d", round)})
				setRSS(srv, "/f.xml", second)
				if sum := refresh(t, s, client); sum.New != 1 || sum.Failed != 0 {
					t.Fatalf("round %d: %+v, want exactly the filler new", round, sum)
				}
			}
			got := allRows(t, s, Filter{})
			if len(got) != 4+3 {
				t.Fatalf("got %d articles, want 7 (no duplicates)", len(got))
			}
			for _, r := range got {
				if _, old := dates[r.ID]; !old {
					continue
				}
				if !r.Read {
					t.Errorf("article %d %q turned unread", r.ID, r.Title)
				}
				if r.Starred != (r.ID == rows[2].ID) {
					t.Errorf("article %d starred = %v", r.ID, r.Starred)
				}
				if c.second == nil && !r.Published.Equal(dates[r.ID]) {
					t.Errorf("article %d re-dated: %v, was %v", r.ID, r.Published, dates[r.ID])
				}
			}
			if unread := allRows(t, s, Filter{Unread: true}); len(unread) != 3 {
				t.Errorf("unread: got %d, want the 3 fillers", len(unread))
			}
		})
	}
}

func TestRefreshFailuresAndRetryAfter(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	srv := feedtest.New(t)
	setRSS(srv, "/ok.xml", feedtest.Generate(srv.Server.URL, 1, 3))
	setRSS(srv, "/busy.xml", feedtest.Generate(srv.Server.URL, 2, 3))
	syncURLs(t, s, srv.URL("/ok.xml"), srv.URL("/busy.xml"), srv.URL("/gone.xml"))
	client := newClient()
	if sum := refresh(t, s, client); sum.New != 6 || sum.Failed != 1 {
		t.Fatalf("first refresh: %+v", sum)
	}

	srv.Handle("/busy.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		http.Error(w, "slow down", http.StatusTooManyRequests)
	})
	var progress []Progress
	sum, err := s.Refresh(ctx, client, nil, func(p Progress) { progress = append(progress, p) })
	if err != nil {
		t.Fatal(err)
	}
	if sum.Feeds != 3 || sum.Failed != 2 || sum.Skipped != 0 || len(sum.Errors) != 2 {
		t.Fatalf("second refresh: %+v", sum)
	}
	if len(progress) != 4 || progress[0].Done != 0 || progress[0].Current != "" || progress[3].Done != 3 || progress[3].Failed != 2 {
		t.Errorf("progress: %+v", progress)
	}
	for _, e := range sum.Errors {
		if e.URL == srv.URL("/busy.xml") && e.RetryAfter.Before(time.Now().Add(50*time.Minute)) {
			t.Errorf("retry after not kept: %+v", e)
		}
	}
	if got := allRows(t, s, Filter{}); len(got) != 6 {
		t.Errorf("after failures: %d articles, want the 6 old ones kept", len(got))
	}

	// The busy feed is not asked again before its time; its error stays visible.
	before := srv.Stats("/busy.xml").Requests
	sum, err = s.Refresh(ctx, client, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := srv.Stats("/busy.xml").Requests; got != before {
		t.Errorf("busy feed fetched again before Retry-After")
	}
	if sum.Skipped != 1 || sum.Failed != 1 || len(sum.SkippedFeeds) != 1 || !strings.Contains(sum.SkippedFeeds[0].Error, "not trying again before") {
		t.Errorf("third refresh: %+v", sum)
	}
	errs, err := s.Errors(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(errs) != 2 || errs[0].URL != srv.URL("/busy.xml") || !strings.Contains(errs[0].Error, "not trying again before") || errs[0].RetryAfter.IsZero() ||
		errs[1].URL != srv.URL("/gone.xml") || errs[1].At.IsZero() {
		t.Errorf("Errors: %+v", errs)
	}

	// Back to normal: the error clears.
	srv.Handle("/gone.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = w.Write(feedtest.RSS("Back", srv.Server.URL, feedtest.Generate(srv.Server.URL, 3, 2)))
	})
	if sum := refresh(t, s, client); sum.New != 2 || sum.Failed != 0 || sum.Skipped != 1 {
		t.Errorf("fourth refresh: %+v", sum)
	}
	if errs, err := s.Errors(ctx); err != nil || len(errs) != 1 {
		t.Errorf("Errors after recovery: %+v, %v", errs, err)
	}
}

func TestRefreshSelectedFeedsAndCancel(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	ids := syncURLs(t, s, "https://a.example/feed", "https://b.example/feed")
	f := &fakeFetcher{results: map[string]feedResult{
		"https://a.example/feed": fakeResult("A", fakeItems("a", 3)),
		"https://b.example/feed": fakeResult("B", fakeItems("b", 2)),
	}}
	sum, err := s.Refresh(ctx, f, ids[1:], nil)
	if err != nil || sum.Feeds != 1 || sum.New != 2 {
		t.Fatalf("refresh of one feed: %+v, %v", sum, err)
	}
	if len(f.reqs) != 1 || f.reqs[0].URL != "https://b.example/feed" {
		t.Errorf("requests: %+v", f.reqs)
	}
	// Validators of the last fetch go with the next request.
	if _, err := s.Refresh(ctx, f, ids[1:], nil); err != nil {
		t.Fatal(err)
	}
	if got := f.reqs[1]; got.ETag != `"v1"` {
		t.Errorf("second request: %+v, want the stored ETag", got)
	}

	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	canceled := &fakeFetcher{results: map[string]feedResult{
		"https://a.example/feed": {Err: fmt.Errorf("feed: fetch: %w", context.Canceled)},
		"https://b.example/feed": fakeResult("B", fakeItems("b", 4)),
	}, onFetch: cancel}
	sum, err = s.Refresh(cctx, canceled, nil, nil)
	if err == nil {
		t.Error("canceled refresh: no error")
	}
	if sum.Failed != 0 || sum.New != 2 {
		t.Errorf("canceled refresh: %+v, want the fetched feed stored and no failure recorded", sum)
	}
	if errs, err := s.Errors(ctx); err != nil || len(errs) != 0 {
		t.Errorf("Errors after cancel: %+v, %v", errs, err)
	}
}

func TestRefreshDates(t *testing.T) {
	s := openTest(t)
	syncURLs(t, s, "https://a.example/feed")
	items := fakeItems("a", 3)
	items[0].Published = time.Now().Add(10 * 365 * 24 * time.Hour) // far future: first seen instead
	items[1].Published, items[1].Updated = time.Time{}, time.Date(2025, 5, 5, 0, 0, 0, 0, time.UTC)
	items[2].Published = time.Time{} // none: first seen
	start := time.Now().Truncate(time.Second)
	refresh(t, s, &fakeFetcher{results: map[string]feedResult{"https://a.example/feed": fakeResult("A", items)}})
	byTitle := map[string]ArticleRow{}
	for _, r := range allRows(t, s, Filter{}) {
		byTitle[r.Title] = r
	}
	for _, title := range []string{"a title 0", "a title 2"} {
		if d := byTitle[title].Published; d.Before(start) || d.After(time.Now()) {
			t.Errorf("%s: date %v, want the first-seen time", title, d)
		}
	}
	if d := byTitle["a title 1"].Published; !d.Equal(items[1].Updated) {
		t.Errorf("updated-only item: date %v, want %v", d, items[1].Updated)
	}
}

// Compile-time check: *feed.Client is a Fetcher.
var _ Fetcher = (*feed.Client)(nil)

func TestRefreshUnchanged200WritesNothing(t *testing.T) {
	s := openTest(t)
	syncURLs(t, s, "https://a.example/feed")
	// The fake fetcher ignores validators: every refresh is a full 200.
	f := &fakeFetcher{results: map[string]feedResult{"https://a.example/feed": fakeResult("A", fakeItems("a", 20))}}
	refresh(t, s, f)
	writes := writeCounter(t, s)
	if sum := refresh(t, s, f); sum.New != 0 {
		t.Errorf("second refresh: %+v", sum)
	}
	if n := writes(); n != 0 {
		t.Errorf("unchanged 200 wrote %d article/link rows, want 0", n)
	}
}

func TestRefreshManyFeedsInBatches(t *testing.T) {
	s := openTest(t)
	f := &fakeFetcher{results: map[string]feedResult{}}
	var urls []string
	for i := range 3*batchSize + 7 {
		u := fmt.Sprintf("https://f%d.example/feed", i)
		urls = append(urls, u)
		f.results[u] = fakeResult("F", fakeItems(fmt.Sprintf("f%d", i), 3))
	}
	f.results[urls[len(urls)-1]] = feed.Result{Err: fmt.Errorf("feed: broken")}
	syncURLs(t, s, urls...)
	var last Progress
	calls := 0
	sum, err := s.Refresh(context.Background(), f, nil, func(p Progress) {
		calls++
		if p.Done < last.Done || p.New < last.New || p.Total != len(urls) {
			t.Errorf("progress went back: %+v after %+v", p, last)
		}
		last = p
	})
	if err != nil {
		t.Fatal(err)
	}
	want := Progress{Total: len(urls), Done: len(urls), Failed: 1, New: 3 * (len(urls) - 1), Current: last.Current}
	if calls != len(urls)+1 || last != want {
		t.Errorf("progress: %d calls, last %+v; want %d calls, %+v", calls, last, len(urls)+1, want)
	}
	if sum.New != want.New || sum.Failed != 1 || len(sum.Errors) != 1 || sum.Errors[0].Error != "feed: broken" {
		t.Errorf("summary: %+v", sum)
	}
	checkCounts(t, s)
}
