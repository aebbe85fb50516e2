package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/brief-reader/brief/feed"
)

func TestSameAndNearHeadline(t *testing.T) {
	cases := []struct {
		link, title string
		same, near  bool
	}{
		{"Storm hits the coast", "storm hits the coast", true, false},
		{"“Storm hits the coast”", "Storm hits the coast!", true, false},
		{"60% of Europeans believe NATO should come to Ukraine’s defence if Russia invades, – poll",
			"60% of Europeans believe NATO should come to Ukraine's defence if Russia invades", true, false},
		{"Russia stages pretext for attack", "Russia stages pretext for attack | Kyiv Post", true, false},
		{"Russia stages pretext for attack - The Guardian", "Russia stages pretext for attack – BBC News", false, false},
		{"Live updates – Monday", "Live updates – Tuesday", false, false},
		{"Storm coverage – day 5", "Storm coverage", false, false},
		{"Storm coverage of the Black Sea coast, day 5", "Storm coverage of the Black Sea coast, day 6", false, false},
		{"Parliament passes the state budget in second reading", "Parliament passes the state budget in a second reading", false, true},
		{"Parliament passes the state budget in second reading", "Parliament adopts the state budget in second reading", false, true},
		{"Parliament passes the state budget in second reading", "Parliament passes the state budget", false, false},
		{"Parliament passes the 2022 state budget", "Parliament passes the 2023 state budget", false, false},
		{"Parliament passes the state budget in…", "Parliament passes the state budget in second reading", false, true},
		{"NATO should come to Ukraine's defence", "Europeans believe NATO should defend Ukraine, poll says", false, false},
		{"Uryad", "", false, false},
	}
	for _, c := range cases {
		l, h := parseHeadline(c.link), parseHeadline(c.title)
		if got := sameHeadline(l, h); got != c.same {
			t.Errorf("sameHeadline(%q, %q) = %v, want %v", c.link, c.title, got, c.same)
		}
		if got := len(h.words) > 0 && len(l.words) > 0 && nearHeadline(l, h); got != c.near {
			t.Errorf("nearHeadline(%q, %q) = %v, want %v", c.link, c.title, got, c.near)
		}
	}
}

// Titles of the example article (../shared/examples/news-article.txt) and
// of its two title-only "Read also" lines.
const (
	exampleTitle  = "Kremlin won’t withdraw troops from certain areas in Russia, – Biden receives Putin’s response to security proposals"
	examplePoll   = "60% of Europeans believe NATO should come to Ukraine’s defence if Russia invades, – poll"
	examplePretxt = "Russia stages pretext for attack after reports of multiple shelling incidents, – NATO"
)

// exampleItem is the example article as a feed gives it: the body holds the
// "Read also" lines, and they are title-only links.
func exampleItem() feed.Item {
	html := `<p>The United States received Russia’s response to Washington’s security proposals.</p>
<p>Read also: ` + examplePoll + `</p>
<p>Three out of fifteen former Soviet republics have become members of NATO.</p>
<p>Read also: ` + examplePretxt + `</p>
<p>NATO Secretary-General Jens Stoltenberg has said the alliance is concerned.</p>`
	return feed.Item{Key: "kremlin", URL: "https://news.example/kremlin", Title: exampleTitle,
		Published: time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC), Body: feed.ConvertHTML(html, "https://news.example/kremlin")}
}

func newsItem(key, title string, hours int) feed.Item {
	return feed.Item{Key: key, URL: "https://news.example/" + key, Title: title,
		Published: time.Date(2026, 2, 1, 9+hours, 0, 0, 0, time.UTC),
		Body:      feed.Body{Markdown: "Text of " + key + ".", Text: "Text of " + key + "."}}
}

// TestTitleOnlyReadAlso is the signature case: the example article alone,
// then a refresh that brings its targets (one from its own site, one from
// another) and a look-alike that shares words.
func TestTitleOnlyReadAlso(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	syncURLs(t, s, "https://news.example/rss", "https://other.example/rss")
	src := exampleItem()
	if n := len(src.Body.Links); n != 2 || src.Body.Links[0].URL != "" || !src.Body.Links[0].ReadAlso {
		t.Fatalf("the example's links: %+v", src.Body.Links)
	}
	lookalike := newsItem("lookalike", "Europeans believe NATO should defend Ukraine if Russia attacks, poll finds", 1)
	f := &fakeFetcher{results: map[string]feedResult{
		"https://news.example/rss":  fakeResult("News", []feed.Item{src, lookalike}),
		"https://other.example/rss": fakeResult("Other", nil),
	}}
	refresh(t, s, f)
	kremlin, err := s.ArticleByURL(ctx, src.URL)
	if err != nil {
		t.Fatal(err)
	}
	targets, err := s.Targets(ctx, kremlin.ID, nil)
	if err != nil || len(targets) != 0 {
		t.Fatalf("before the targets exist: %+v, %v; want none (not the article itself, not the look-alike)", targets, err)
	}

	// The next refresh brings both targets: the poll from the same site
	// (without its "– poll" suffix), the pretext story only from another.
	poll := newsItem("poll", "60% of Europeans believe NATO should come to Ukraine's defence if Russia invades", 2)
	pretext := newsItem("pretext", "Russia stages pretext for attack after reports of multiple shelling incidents – NATO", 3)
	pretext.URL = "https://other.example/pretext"
	f.results["https://news.example/rss"] = fakeResult("News", []feed.Item{src, lookalike, poll})
	f.results["https://other.example/rss"] = fakeResult("Other", []feed.Item{pretext})
	refresh(t, s, f)
	targets, err = s.Targets(ctx, kremlin.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := targets[1]; got.Title != poll.Title || !got.ByTitle || got.CrossSite {
		t.Errorf("[1]: %+v, want the poll, same site", got)
	}
	if got := targets[2]; got.Title != pretext.Title || !got.CrossSite {
		t.Errorf("[2]: %+v, want the pretext story, marked cross-site", got)
	}
	pollRow, err := s.ArticleByURL(ctx, "https://news.example/poll")
	if err != nil {
		t.Fatal(err)
	}
	if back, err := s.Backlinks(ctx, pollRow.ID); err != nil || len(back) != 1 || back[0].ID != kremlin.ID {
		t.Errorf("Backlinks of the poll: %+v, %v; want the example article", back, err)
	}
	look, err := s.ArticleByURL(ctx, "https://news.example/lookalike")
	if err != nil {
		t.Fatal(err)
	}
	if back, err := s.Backlinks(ctx, look.ID); err != nil || len(back) != 0 {
		t.Errorf("Backlinks of the look-alike: %+v, %v; want none", back, err)
	}

	// The pretext story then appears on the article's own site: it wins
	// over the cross-site match.
	own := newsItem("pretext-own", examplePretxt, 4)
	f.results["https://news.example/rss"] = fakeResult("News", []feed.Item{src, lookalike, poll, own})
	refresh(t, s, f)
	targets, err = s.Targets(ctx, kremlin.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := targets[2]; got.Title != examplePretxt || got.CrossSite || got.URL != own.URL {
		t.Errorf("[2] after the own site's copy: %+v", got)
	}
}

// TestTitleMatchProvenance: another feed cannot plant a look-alike title;
// only the same headline matches across sites, and it is marked.
func TestTitleMatchProvenance(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	syncURLs(t, s, "https://news.example/rss", "https://evil.example/rss")
	src := newsItem("src", "Source article", 0)
	src.Body = feed.Body{Markdown: "x [1]", Text: "x", Links: []feed.Link{
		{N: 1, Text: "Parliament passes the state budget in second reading", ReadAlso: true}}}
	near := newsItem("near", "Parliament passes the state budget in a second reading", 1)
	evil := newsItem("evil", "Parliament passes the state budget in second reading", 2)
	evil.URL = "https://news.example/evil" // a feed may claim any address
	f := &fakeFetcher{results: map[string]feedResult{
		"https://news.example/rss": fakeResult("News", []feed.Item{src, near}),
		"https://evil.example/rss": fakeResult("Evil", []feed.Item{evil}),
	}}
	refresh(t, s, f)
	id := func(u string) int64 {
		r, err := s.ArticleByURL(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		return r.ID
	}
	targets, err := s.Targets(ctx, id(src.URL), nil)
	if err != nil || targets[1].ID != id(near.URL) || targets[1].CrossSite {
		t.Errorf("target: %+v, %v; want the same feed's near-duplicate", targets[1], err)
	}
	// Without it, the exact title of the other feed matches, marked.
	f.results["https://news.example/rss"] = fakeResult("News", []feed.Item{src})
	if _, err := s.w.ExecContext(ctx, `DELETE FROM articles WHERE id = ?`, id(near.URL)); err != nil {
		t.Fatal(err)
	}
	if err := s.resolveAll(ctx); err != nil {
		t.Fatal(err)
	}
	targets, err = s.Targets(ctx, id(src.URL), nil)
	if err != nil || targets[1].ID == 0 || !targets[1].CrossSite {
		t.Errorf("target: %+v, %v; want the other feed's exact title, marked cross-site", targets[1], err)
	}
}

// resolveAll resolves every title-only link again (test helper).
func (s *Store) resolveAll(ctx context.Context) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE links SET title_hash = 0 WHERE url = ''`); err != nil {
		return fmt.Errorf("%w %w", err, tx.Rollback())
	}
	if err := backfillTitleLinks(ctx, tx); err != nil {
		return fmt.Errorf("%w %w", err, tx.Rollback())
	}
	return tx.Commit()
}

// TestSerialTitles: titles that differ by a number never match each other.
func TestSerialTitles(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	syncURLs(t, s, "https://news.example/rss")
	var items []feed.Item
	for i := 1; i <= 30; i++ {
		it := newsItem(fmt.Sprintf("d%d", i), fmt.Sprintf("Storm coverage of the Black Sea coast, day %d", i), i)
		it.Body.Links = []feed.Link{{N: 1, Text: fmt.Sprintf("Storm coverage of the Black Sea coast, day %d", i+100), ReadAlso: true}}
		items = append(items, it)
	}
	refresh(t, s, &fakeFetcher{results: map[string]feedResult{"https://news.example/rss": fakeResult("News", items)}})
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM links WHERE target_id IS NOT NULL`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d serial titles matched another day (%v)", n, err)
	}
}

// TestMigrationResolvesOldTitleLinks: title-only links stored before the
// schema had targets are resolved by the migration.
func TestMigrationResolvesOldTitleLinks(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	old := openAtVersion(t, path, 4)
	// What brief wrote before it resolved titles: a source with a
	// title-only link, its target, both indexed.
	_, err := old.w.ExecContext(ctx, `
INSERT INTO feeds (id, url) VALUES (1, 'https://news.example/rss');
INSERT INTO articles (id, feed_id, sort_date, first_seen, key, title, url, url_norm) VALUES
 (1, 1, 1, 1, 'src', 'Source article', 'https://news.example/src', 'news.example/src'),
 (2, 1, 2, 2, 'storm', 'Storm hits the coast', 'https://news.example/storm', 'news.example/storm');
INSERT INTO bodies (id, markdown, text) VALUES (1, 'x [1]', 'x'), (2, 'y', 'y');
INSERT INTO links (article_id, n, text, url, url_norm, read_also) VALUES (1, 1, 'Storm hits the coast', '', '', 1);
INSERT INTO articles_fts (rowid, title, text) VALUES (1, 'Source article', 'x'), (2, 'Storm hits the coast', 'y');`)
	if cerr := old.Close(); err != nil || cerr != nil {
		t.Fatal(err, cerr)
	}
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if targets, err := s.Targets(ctx, 1, nil); err != nil || targets[1].ID != 2 {
		t.Errorf("after migrating: %+v, %v", targets, err)
	}
}
