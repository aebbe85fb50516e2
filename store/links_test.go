package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/brief-reader/brief/feed"
)

// newsStore caches two feeds of news articles that link to each other.
func newsStore(t *testing.T) *Store {
	t.Helper()
	s := openTest(t)
	syncURLs(t, s, "https://news.example/rss", "https://other.example/rss")
	when := time.Date(2026, 2, 1, 8, 0, 0, 0, time.UTC)
	item := func(key, url, title, text string, links ...feed.Link) feed.Item {
		when = when.Add(time.Hour)
		return feed.Item{Key: key, URL: url, Title: title, Published: when,
			Body: feed.Body{Markdown: text, Text: text, Links: links}}
	}
	refresh(t, s, &fakeFetcher{results: map[string]feedResult{
		"https://news.example/rss": fakeResult("News", []feed.Item{
			item("1", "https://news.example/2026/02/grain-deal", "Ukraine and Turkey sign grain deal", "The deal was signed."),
			item("2", "https://news.example/2026/02/storm", "Storm hits the coast", "Winds of 120 km/h.",
				feed.Link{N: 1, Text: "grain deal", URL: "http://www.news.example/2026/02/grain-deal/?utm_source=twitter#top"},
				feed.Link{N: 2, Text: "Читайте також: Уряд ухвалив бюджет на 2027 рік", ReadAlso: true},
				feed.Link{N: 3, Text: "elsewhere", URL: "https://elsewhere.example/page", ReadAlso: true}),
			item("3", "https://news.example/2026/02/budget", "Уряд ухвалив бюджет на 2027 рік", "Бюджет ухвалено."),
			item("4", "https://news.example/2026/02/storm-2", "Storm hits the coast again", "More wind."),
			item("5", "https://news.example/2026/02/related", "Related parties agree", "Text."),
		}),
		"https://other.example/rss": fakeResult("Other", []feed.Item{
			item("a", "https://other.example/grain", "Grain exports resume", "Ships leave Odesa.",
				feed.Link{N: 1, Text: "deal", URL: "https://news.example/2026/02/grain-deal"}),
		}),
	}})
	return s
}

func TestArticleByURL(t *testing.T) {
	ctx := context.Background()
	s := newsStore(t)
	for _, u := range []string{
		"https://news.example/2026/02/grain-deal",
		"http://WWW.news.example/2026/02/grain-deal/",
		"https://news.example/2026/02/grain-deal?utm_campaign=x&utm_medium=rss#comments",
	} {
		r, err := s.ArticleByURL(ctx, u)
		if err != nil || r.Title != "Ukraine and Turkey sign grain deal" || r.FeedTitle != "News" {
			t.Errorf("ArticleByURL(%q): %+v, %v", u, r, err)
		}
	}
	for _, u := range []string{"https://news.example/2026/02/nothing", "", "javascript:alert(1)"} {
		if _, err := s.ArticleByURL(ctx, u); !errors.Is(err, ErrNotFound) {
			t.Errorf("ArticleByURL(%q): %v, want ErrNotFound", u, err)
		}
	}
	// A page saved under the same URL does not hide the feed article.
	if _, err := s.SavePage(ctx, feed.Page{URL: "https://news.example/2026/02/grain-deal", Title: "Page copy"}, "", 0); err != nil {
		t.Fatal(err)
	}
	if r, err := s.ArticleByURL(ctx, "https://news.example/2026/02/grain-deal"); err != nil || r.FeedID == 0 {
		t.Errorf("prefer the feed article: %+v, %v", r, err)
	}
}

func TestResolveTitle(t *testing.T) {
	ctx := context.Background()
	s := newsStore(t)
	cases := []struct {
		title     string
		wantFirst string
		clear     bool
		n         int
	}{
		{"Ukraine and Turkey sign grain deal", "Ukraine and Turkey sign grain deal", true, 1},
		{"  «ukraine AND turkey sign grain deal»  ", "Ukraine and Turkey sign grain deal", true, 1},
		{"Ukraine and Turkey sign grain deal – Reuters", "Ukraine and Turkey sign grain deal", true, 1},
		{"Уряд ухвалив бюджет", "", false, 0}, // shares words, not the headline
		{"Читайте також: Уряд ухвалив бюджет на 2027 рік", "Уряд ухвалив бюджет на 2027 рік", true, 1},
		{"Read also - Storm hits the coast", "Storm hits the coast", true, 1},
		{"Ukraine, Turkey sign deal on grain", "", false, 0},
		{"Storm hits the coast", "Storm hits the coast", true, 1},
		{"Storm coast", "", false, 0},
		{"Nothing like this", "", false, 0},
		{"Related parties agree", "Related parties agree", true, 1}, // a title that starts like a marker
		{"!!!", "", false, 0},
	}
	for _, c := range cases {
		t.Run(c.title, func(t *testing.T) {
			m, clear, err := s.ResolveTitle(ctx, c.title, 5)
			if err != nil {
				t.Fatal(err)
			}
			if clear != c.clear || len(m) != c.n || c.wantFirst != "" && m[0].Title != c.wantFirst {
				t.Errorf("got clear=%v, %d matches %+v; want clear=%v, %d, first %q", clear, len(m), m, c.clear, c.n, c.wantFirst)
			}
		})
	}
}

func TestLinkTargets(t *testing.T) {
	ctx := context.Background()
	s := newsStore(t)
	storm := allRows(t, s, Filter{Query: "winds"})[0]
	a, err := s.Article(ctx, storm.ID)
	if err != nil {
		t.Fatal(err)
	}
	targets, err := s.LinkTargets(ctx, a.Links)
	if err != nil {
		t.Fatal(err)
	}
	if len(targets) != 2 || targets[1].Title != "Ukraine and Turkey sign grain deal" || targets[2].Title != "Уряд ухвалив бюджет на 2027 рік" {
		t.Errorf("LinkTargets: %+v", targets)
	}
	if _, ok := targets[3]; ok {
		t.Errorf("uncached link has a target: %+v", targets[3])
	}
	if got, err := s.LinkTargets(ctx, nil); err != nil || len(got) != 0 {
		t.Errorf("no links: %+v, %v", got, err)
	}
}

func TestSavePageAndBacklinks(t *testing.T) {
	ctx := context.Background()
	s := newsStore(t)
	storm := allRows(t, s, Filter{Query: "winds"})[0]
	before, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	page := feed.Page{
		URL: "https://elsewhere.example/page", Title: "A page from elsewhere", Author: "Someone", SiteName: "Elsewhere",
		Published: time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC),
		Body: feed.Body{Markdown: "Reader mode text about lighthouses [1].", Text: "Reader mode text about lighthouses.",
			Links: []feed.Link{{N: 1, Text: "the storm", URL: "https://news.example/2026/02/storm"}}},
	}
	row, err := s.SavePage(ctx, page, "", storm.ID)
	if err != nil {
		t.Fatal(err)
	}
	if row.ID == 0 || row.FeedID != 0 || row.FeedTitle != "Elsewhere" || row.Title != page.Title || !row.Published.Equal(page.Published) {
		t.Errorf("SavePage: %+v", row)
	}
	a, err := s.Article(ctx, row.ID)
	if err != nil || a.LinkedFrom != storm.ID || a.Markdown != page.Body.Markdown || len(a.Links) != 1 || a.Author != "Someone" {
		t.Errorf("saved page: %+v, %v", a, err)
	}
	// In no list or count, but found by URL, by search and by title.
	if after, err := s.Counts(ctx); err != nil || after != before {
		t.Errorf("counts changed: %+v → %+v (%v)", before, after, err)
	}
	for _, r := range allRows(t, s, Filter{}) {
		if r.ID == row.ID {
			t.Error("the page is in the All list")
		}
	}
	if r, err := s.ArticleByURL(ctx, "https://elsewhere.example/page/?utm_source=x"); err != nil || r.ID != row.ID {
		t.Errorf("ArticleByURL: %+v, %v", r, err)
	}
	if got := allRows(t, s, Filter{Query: "lighthouses"}); len(got) != 1 || got[0].ID != row.ID {
		t.Errorf("search: %+v", got)
	}
	if m, clear, err := s.ResolveTitle(ctx, "A page from elsewhere", 5); err != nil || !clear || m[0].ID != row.ID {
		t.Errorf("ResolveTitle: %+v %v %v", m, clear, err)
	}

	// Saving again (another URL form, another referrer) updates it in place.
	if err := s.SetRead(ctx, row.ID, true); err != nil {
		t.Fatal(err)
	}
	page.URL = "https://www.elsewhere.example/page#x"
	page.Title = "A page from elsewhere, revised"
	page.Body.Text = "Now about harbours."
	again, err := s.SavePage(ctx, page, page.URL, storm.ID+1)
	if err != nil {
		t.Fatal(err)
	}
	a, err = s.Article(ctx, again.ID)
	if err != nil || again.ID != row.ID || !again.Read || a.Title != page.Title || a.LinkedFrom != storm.ID {
		t.Errorf("saved again: %+v, %v", a, err)
	}
	if got := allRows(t, s, Filter{Query: "lighthouses"}); len(got) != 0 {
		t.Errorf("old text still found: %+v", got)
	}
	if got := allRows(t, s, Filter{Query: "harbours"}); len(got) != 1 {
		t.Errorf("new text not found: %+v", got)
	}
	if _, err := s.SavePage(ctx, feed.Page{URL: "not a url"}, "https://news.example/x", 0); err == nil {
		t.Error("SavePage without a usable URL: no error")
	}

	// Backlinks: the grain deal is linked from the storm and from Other.
	deal, err := s.ArticleByURL(ctx, "https://news.example/2026/02/grain-deal")
	if err != nil {
		t.Fatal(err)
	}
	back, err := s.Backlinks(ctx, deal.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != 2 || back[0].Title != "Grain exports resume" || back[1].ID != storm.ID {
		t.Errorf("Backlinks: %+v", back)
	}
	// The storm is linked from the saved page.
	if back, err := s.Backlinks(ctx, storm.ID); err != nil || len(back) != 1 || back[0].ID != row.ID {
		t.Errorf("Backlinks of the storm: %+v, %v", back, err)
	}
	if back, err := s.Backlinks(ctx, 999999); err != nil || len(back) != 0 {
		t.Errorf("Backlinks of a missing article: %+v, %v", back, err)
	}
}

// TestRedirectedPageIsFoundByItsRequestedURL: a link whose URL redirected
// when it was fetched finds the saved page (keyed by the final URL) through
// its alias, in ArticleByURL, LinkTargets and Backlinks.
func TestRedirectedPageIsFoundByItsRequestedURL(t *testing.T) {
	ctx := context.Background()
	s := newsStore(t)
	storm := allRows(t, s, Filter{Query: "winds"})[0]
	other := allRows(t, s, Filter{Query: "odesa"})[0]
	requested := "https://elsewhere.example/page" // the storm's link [3]
	page := feed.Page{URL: "https://elsewhere.example/articles/final-page", Title: "The final page",
		Body: feed.Body{Markdown: "Final.", Text: "Final."}}
	row, err := s.SavePage(ctx, page, requested+"?utm_source=rss", storm.ID)
	if err != nil {
		t.Fatal(err)
	}

	for _, u := range []string{requested, "http://www.elsewhere.example/page/#x", page.URL} {
		if r, err := s.ArticleByURL(ctx, u); err != nil || r.ID != row.ID {
			t.Errorf("ArticleByURL(%q): got %+v, %v; want the page %d", u, r, err, row.ID)
		}
	}
	a, err := s.Article(ctx, storm.ID)
	if err != nil {
		t.Fatal(err)
	}
	targets, err := s.LinkTargets(ctx, a.Links)
	if err != nil {
		t.Fatal(err)
	}
	if got := targets[3]; got.ID != row.ID {
		t.Errorf("LinkTargets[3]: got %+v, want the page %d", got, row.ID)
	}
	if got := targets[1]; got.Title != "Ukraine and Turkey sign grain deal" {
		t.Errorf("LinkTargets[1] (direct) lost: %+v", got)
	}

	// Another article links to the requested URL too: both are backlinks.
	syncURLs(t, s, "https://news.example/rss", "https://other.example/rss", "https://third.example/rss")
	refresh(t, s, &fakeFetcher{results: map[string]feedResult{
		"https://news.example/rss":  {NotModified: true},
		"https://other.example/rss": {NotModified: true},
		"https://third.example/rss": fakeResult("Third", []feed.Item{{Key: "x", URL: "https://third.example/x", Title: "Third links",
			Published: time.Date(2026, 2, 2, 0, 0, 0, 0, time.UTC),
			Body:      feed.Body{Markdown: "See [1].", Text: "See.", Links: []feed.Link{{N: 1, Text: "see", URL: "https://www.elsewhere.example/page"}}}}}),
	}})
	back, err := s.Backlinks(ctx, row.ID)
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, b := range back {
		titles = append(titles, b.Title)
	}
	if len(back) != 2 || titles[0] != "Third links" || back[1].ID != storm.ID {
		t.Errorf("Backlinks of the redirected page: %q, want Third links and the storm", titles)
	}

	// Saving again from another requested URL moves nothing already known.
	if _, err := s.SavePage(ctx, page, "https://elsewhere.example/short/1", other.ID); err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{requested, "https://elsewhere.example/short/1"} {
		if r, err := s.ArticleByURL(ctx, u); err != nil || r.ID != row.ID {
			t.Errorf("after a second save, ArticleByURL(%q): %+v, %v", u, r, err)
		}
	}
	if _, err := s.ArticleByURL(ctx, "https://elsewhere.example/never"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown URL: %v, want ErrNotFound", err)
	}
}

// TestBacklinksOfLinkedFromAndTitleOnlyLinks: a page counts the article it
// was reached from; an article counts the title-only links resolving to it.
func TestBacklinksOfLinkedFromAndTitleOnlyLinks(t *testing.T) {
	ctx := context.Background()
	s := newsStore(t)
	storm := allRows(t, s, Filter{Query: "winds"})[0]
	budget, err := s.ArticleByURL(ctx, "https://news.example/2026/02/budget")
	if err != nil {
		t.Fatal(err)
	}
	// The storm's [2] is "Читайте також: Уряд ухвалив бюджет на 2027 рік", title only.
	back, err := s.Backlinks(ctx, budget.ID)
	if err != nil || len(back) != 1 || back[0].ID != storm.ID {
		t.Errorf("Backlinks of the budget: %+v, %v; want the storm", back, err)
	}
	// Neither similar nor the same title: no backlink by title.
	storm2, err := s.ArticleByURL(ctx, "https://news.example/2026/02/storm-2")
	if err != nil {
		t.Fatal(err)
	}
	if back, err := s.Backlinks(ctx, storm2.ID); err != nil || len(back) != 0 {
		t.Errorf("Backlinks of storm-2: %+v, %v; want none", back, err)
	}
	// A page no link points at (its links were rewritten since) still
	// counts the article it was reached from.
	row, err := s.SavePage(ctx, feed.Page{URL: "https://unlinked.example/p", Title: "Unlinked page"}, "", storm.ID)
	if err != nil {
		t.Fatal(err)
	}
	if back, err := s.Backlinks(ctx, row.ID); err != nil || len(back) != 1 || back[0].ID != storm.ID {
		t.Errorf("Backlinks of the page: %+v, %v; want the storm (linked_from)", back, err)
	}
}

// TestMigrationAddsPageAliases opens a database made by the first schema
// and checks that the new step applies and keeps the data.
func TestMigrationAddsPageAliases(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	old := openAtVersion(t, path, 1)
	// Plain SQL of schema 1: SyncFeeds and Feeds know columns of later schemas.
	_, err := old.w.ExecContext(ctx, `INSERT INTO feeds (url, position) VALUES ('https://example.org/feed.xml', 0)`)
	if cerr := old.Close(); err != nil || cerr != nil {
		t.Fatal(err, cerr)
	}
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open after the new migration: %v", err)
	}
	defer s.Close()
	var v int
	if err := s.r.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil || v != len(migrations) {
		t.Errorf("user_version %d (%v), want %d", v, err, len(migrations))
	}
	if feeds, err := s.Feeds(ctx); err != nil || len(feeds) != 1 {
		t.Errorf("feeds after migrating: %+v, %v", feeds, err)
	}
	if _, err := s.SavePage(ctx, feed.Page{URL: "https://example.org/final", Title: "T"}, "https://example.org/start", 0); err != nil {
		t.Fatalf("SavePage with an alias: %v", err)
	}
	if r, err := s.ArticleByURL(ctx, "https://example.org/start"); err != nil || r.Title != "T" {
		t.Errorf("alias after migrating: %+v, %v", r, err)
	}
}
