package store

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/internal/query"
)

func rule(t *testing.T, s *Store, feedID int64, text string) IgnoreRule {
	t.Helper()
	n, err := query.Parse(text, nil)
	if err != nil {
		t.Fatal(err)
	}
	q, err := s.Compile(context.Background(), n)
	if err != nil {
		t.Fatal(err)
	}
	return IgnoreRule{FeedID: feedID, Query: q}
}

func titles(t *testing.T, s *Store, f Filter) string {
	t.Helper()
	rows, err := s.Articles(context.Background(), f, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rows {
		out = append(out, r.Title)
	}
	slices.Sort(out)
	return strings.Join(out, "|")
}

func TestKillRules(t *testing.T) {
	ctx := context.Background()
	s := queryStore(t)
	feeds, err := s.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	news, tech := feeds[0].ID, feeds[1].ID
	countsBefore, _ := s.Counts(ctx)

	// A global rule and one for the tech feed only.
	rules := []IgnoreRule{rule(t, s, 0, "title:sponsored"), rule(t, s, tech, "title:go")}
	hidden, err := s.ApplyIgnore(ctx, rules, 0)
	if err != nil || hidden != 3 {
		t.Fatalf("ApplyIgnore = %d, %v; want 3 hidden", hidden, err)
	}
	if got, want := titles(t, s, Filter{}), "Cup final tonight|Grain prices fall|Ukraine grain deal"; got != want {
		t.Errorf("All lists %q, want %q", got, want)
	}
	if got, want := titles(t, s, Filter{Ignored: true}), "Go 1.30 released|Sponsored content|Sponsored: buy now"; got != want {
		t.Errorf("Ignored lists %q, want %q", got, want)
	}
	c, _ := s.Counts(ctx)
	if c.All != 3 || c.Unread != 1 || c.Starred != 0 {
		t.Errorf("counts %+v, want 3 articles, 1 unread, 0 starred (was %+v)", c, countsBefore)
	}
	fs, _ := s.Feeds(ctx)
	if fs[1].Total != 0 || fs[1].Unread != 0 || fs[0].Total != 2 || fs[0].Unread != 1 {
		t.Errorf("feed counts news %d/%d tech %d/%d, want 1/2 and 0/0", fs[0].Unread, fs[0].Total, fs[1].Unread, fs[1].Total)
	}
	if n, err := s.CountArticles(ctx, Filter{Unread: true, FeedID: news}); err != nil || n != 1 {
		t.Errorf("news unread list: %d, %v; want 1", n, err)
	}

	// Marking a hidden article keeps the counts that leave it out.
	if err := s.SetRead(ctx, firstID(t, s, "Sponsored: buy now"), true); err != nil {
		t.Fatal(err)
	}
	if fs, _ := s.Feeds(ctx); fs[0].Unread != 1 {
		t.Errorf("after reading a hidden article: news unread %d, want 1", fs[0].Unread)
	}

	// Never deleted: the row is there; a rule removed shows it again.
	hidden, err = s.ApplyIgnore(ctx, rules[:1], 0)
	if err != nil || hidden != 2 {
		t.Fatalf("one rule fewer: %d hidden, %v; want 2", hidden, err)
	}
	if got := titles(t, s, Filter{FeedID: tech}); got != "Go 1.30 released" {
		t.Errorf("tech lists %q after its rule went", got)
	}
	if fs, _ := s.Feeds(ctx); fs[1].Total != 1 || fs[1].Unread != 1 {
		t.Errorf("tech counts %d/%d, want 1/1", fs[1].Unread, fs[1].Total)
	}

	// A refresh: new articles meet the rules, the counts stay right.
	before, err := s.MaxArticleID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	refresh(t, s, &fakeFetcher{results: map[string]feedResult{
		"https://news.example/feed": fakeResult("News", []feed.Item{
			{Key: "n4", URL: "https://example.org/n4", Title: "Sponsored: more ads", Published: now},
			{Key: "n5", URL: "https://example.org/n5", Title: "Talks in Istanbul", Published: now},
		}),
		"https://tech.example/feed":  fakeResult("Tech Feed", nil),
		"https://sport.example/feed": fakeResult("Sport", nil),
	}})
	if hidden, err = s.ApplyIgnore(ctx, rules[:1], before); err != nil || hidden != 3 {
		t.Fatalf("after a refresh: %d hidden, %v; want 3", hidden, err)
	}
	fs, _ = s.Feeds(ctx)
	if fs[0].Unread != 2 || fs[0].Total != 3 {
		t.Errorf("news counts %d/%d after the refresh, want 2/3", fs[0].Unread, fs[0].Total)
	}
	var rows int
	if err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM articles").Scan(&rows); err != nil || rows != 8 {
		t.Errorf("%d articles cached, %v; want all 8 (none deleted)", rows, err)
	}
}
