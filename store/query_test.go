package store

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/internal/query"
)

// queryStore has three feeds of a few hand-written articles each:
//
//	News (tag world):  "Ukraine grain deal" (2 days old, author Olena Smith, a Read-also link),
//	                   "Grain prices fall" (10 days old), "Sponsored: buy now" (1 hour old)
//	Tech (tag tech):   "Go 1.30 released" (3 days old, author Rob), "Sponsored content" (20 days old)
//	Sport (no tag):    "Cup final tonight" (5 hours old, body mentions Ukraine)
//
// "Grain prices fall" and "Cup final tonight" are read; "Go 1.30 released" is starred.
func queryStore(t *testing.T) *Store {
	t.Helper()
	ctx := context.Background()
	s := openTest(t)
	if err := s.SyncFeeds(ctx, []FeedSpec{
		{URL: "https://news.example/feed", Title: "World News", Tags: []string{"world"}},
		{URL: "https://tech.example/feed", Tags: []string{"Tech"}},
		{URL: "https://sport.example/feed"},
	}); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	item := func(key, title, author, text string, age time.Duration, links ...feed.Link) feed.Item {
		return feed.Item{Key: key, URL: "https://example.org/" + key, Title: title, Author: author,
			Published: now.Add(-age), Body: feed.Body{Markdown: text, Text: text, Links: links}}
	}
	day := 24 * time.Hour
	refresh(t, s, &fakeFetcher{results: map[string]feedResult{
		"https://news.example/feed": fakeResult("News", []feed.Item{
			item("n1", "Ukraine grain deal", "Olena Smith", "Ships leave Odesa with grain.", 2*day,
				feed.Link{N: 1, Text: "Earlier", URL: "https://example.org/earlier", ReadAlso: true}),
			item("n2", "Grain prices fall", "", "Wheat and maize are cheaper.", 10*day),
			item("n3", "Sponsored: buy now", "", "An advertisement.", time.Hour),
		}),
		"https://tech.example/feed": fakeResult("Tech Feed", []feed.Item{
			item("t1", "Go 1.30 released", "Rob", "The release adds iterators_and 100% more speed.", 3*day),
			item("t2", "Sponsored content", "", "Partner message.", 20*day),
		}),
		"https://sport.example/feed": fakeResult("Sport", []feed.Item{
			item("s1", "Cup final tonight", "", "Ukraine plays in the final.", 5*time.Hour),
		}),
	}})
	for _, title := range []string{"Grain prices fall", "Cup final tonight"} {
		if _, err := s.w.ExecContext(ctx, "UPDATE articles SET read = 1 WHERE title = ?", title); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.w.ExecContext(ctx, "UPDATE articles SET starred = 1 WHERE title = 'Go 1.30 released'"); err != nil {
		t.Fatal(err)
	}
	return s
}

// matchTitles runs text as a Filter.Match and returns the titles found, sorted.
func matchTitles(t *testing.T, s *Store, text string) ([]string, error) {
	t.Helper()
	n, err := query.Parse(text, time.Local)
	if err != nil {
		return nil, err
	}
	q, err := s.Compile(context.Background(), n)
	if err != nil {
		return nil, err
	}
	rows, err := s.Articles(context.Background(), Filter{Match: q}, 0, 100)
	if err != nil {
		t.Fatalf("Articles(%q): %v", text, err)
	}
	n2, err := s.CountArticles(context.Background(), Filter{Match: q})
	if err != nil || n2 != len(rows) {
		t.Errorf("CountArticles(%q) = %d, %v; want %d", text, n2, err, len(rows))
	}
	var out []string
	for _, r := range rows {
		out = append(out, r.Title)
	}
	slices.Sort(out)
	return out, nil
}

func TestQueryOperators(t *testing.T) {
	s := queryStore(t)
	today := time.Now().Format(time.DateOnly)
	weekAgo := time.Now().Add(-7 * 24 * time.Hour).Format(time.DateOnly)
	tests := []struct {
		q    string
		want string // titles, sorted, joined with |
	}{
		{"ukraine", "Cup final tonight|Ukraine grain deal"},
		{"UKRAINE grain", "Ukraine grain deal"},
		{`"grain deal"`, "Ukraine grain deal"},
		{`"deal grain"`, ""},
		{"title:ukraine", "Ukraine grain deal"},
		{"title:grain", "Grain prices fall|Ukraine grain deal"},
		{"title:sponsored", "Sponsored content|Sponsored: buy now"},
		{`title:"prices fall"`, "Grain prices fall"},
		{"author:smith", "Ukraine grain deal"},
		{"author:ROB", "Go 1.30 released"},
		{"feed:world", "Grain prices fall|Sponsored: buy now|Ukraine grain deal"}, // the dotfile title
		{"feed:tech", "Go 1.30 released|Sponsored content"},                       // the feed's own title
		{"feed:sport.example", "Cup final tonight"},                               // the URL
		{"tag:world", "Grain prices fall|Sponsored: buy now|Ukraine grain deal"},
		{"tag:tech", "Go 1.30 released|Sponsored content"}, // tags compare without case
		{"tag:wor", ""}, // whole tags only
		{"is:unread", "Go 1.30 released|Sponsored content|Sponsored: buy now|Ukraine grain deal"},
		{"is:read", "Cup final tonight|Grain prices fall"},
		{"is:starred", "Go 1.30 released"},
		{"has:readalso", "Ukraine grain deal"},
		{"age<1d", "Cup final tonight|Sponsored: buy now"},
		{"age<4d", "Cup final tonight|Go 1.30 released|Sponsored: buy now|Ukraine grain deal"},
		{"age>1w", "Grain prices fall|Sponsored content"},
		{"age>2w", "Sponsored content"},
		{"after:" + weekAgo, "Cup final tonight|Go 1.30 released|Sponsored: buy now|Ukraine grain deal"},
		{"before:" + weekAgo, "Grain prices fall|Sponsored content"},
		{"after:" + today + " before:" + today, ""},
		{"-title:sponsored tag:world", "Grain prices fall|Ukraine grain deal"},
		{"-ukraine is:unread", "Go 1.30 released|Sponsored content|Sponsored: buy now"},
		{"-is:read -is:starred", "Sponsored content|Sponsored: buy now|Ukraine grain deal"},
		{"grain OR go", "Go 1.30 released|Grain prices fall|Ukraine grain deal"},
		{"title:grain OR title:cup", "Cup final tonight|Grain prices fall|Ukraine grain deal"},
		{"-(title:sponsored OR title:cup)", "Go 1.30 released|Grain prices fall|Ukraine grain deal"},
		{`ukraine (title:grain OR title:"final tonight")`, "Cup final tonight|Ukraine grain deal"},
		{`title:ships OR title:"grain prices"`, "Grain prices fall"},
		{"ukraine OR is:starred", "Cup final tonight|Go 1.30 released|Ukraine grain deal"},
		{"(tag:tech OR feed:sport) is:unread", "Go 1.30 released|Sponsored content"},
		{"-(tag:tech OR tag:world)", "Cup final tonight"},
		{"ukraine (is:read OR is:starred)", "Cup final tonight"},
		{"author:%", ""}, // % is a character, not a wildcard
		{"author:_", ""}, // so is _
		{`author:"a Smith"`, "Ukraine grain deal"},
		{"iterators", "Go 1.30 released"},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			got, err := matchTitles(t, s, tt.q)
			if err != nil {
				t.Fatalf("%q: %v", tt.q, err)
			}
			if g := strings.Join(got, "|"); g != tt.want {
				t.Errorf("%q matched %q, want %q", tt.q, g, tt.want)
			}
		})
	}
}

// TestQueryInjection: SQL- and FTS5-shaped text is only ever a value.
func TestQueryInjection(t *testing.T) {
	s := queryStore(t)
	for _, q := range []string{
		`x'; DROP TABLE articles;`,
		`"x'); DROP TABLE articles; --"`,
		`title:"x' OR '1'='1"`,
		`feed:"' OR 1=1 --"`,
		`tag:"world' OR 'a'='a"`,
		`author:"%' OR author LIKE '%"`,
		`"NEAR(ukraine grain)"`,
		`"ukraine OR sport"`,
		`"title : cup*"`,
		`"; DELETE FROM feeds"`,
	} {
		t.Run(q, func(t *testing.T) {
			got, err := matchTitles(t, s, q)
			if err != nil {
				t.Fatalf("%q: %v", q, err)
			}
			if len(got) != 0 {
				t.Errorf("%q matched %q, want nothing", q, got)
			}
		})
	}
	all, err := s.CountArticles(context.Background(), Filter{})
	if err != nil || all != 6 {
		t.Errorf("after the queries: %d articles, %v; want 6", all, err)
	}
}

func TestQueryAccounts(t *testing.T) {
	s := queryStore(t)
	_, err := matchTitles(t, s, "ukraine account:home")
	var qe *query.Error
	if !errors.As(err, &qe) || qe.Col != 9 || !strings.Contains(qe.Msg, "not configured") {
		t.Fatalf("no accounts: got %v, want a column 9 error saying accounts are not configured", err)
	}
	ctx := context.Background()
	if _, err := s.w.ExecContext(ctx, `INSERT INTO accounts (name, kind) VALUES ('home', 'miniflux');
UPDATE feeds SET account_id = (SELECT id FROM accounts WHERE name = 'home') WHERE url = 'https://tech.example/feed'`); err != nil {
		t.Fatal(err)
	}
	got, err := matchTitles(t, s, "account:HOME")
	if g := strings.Join(got, "|"); err != nil || g != "Go 1.30 released|Sponsored content" {
		t.Errorf("account:HOME matched %q, %v; want the tech feed's articles", g, err)
	}
	got, err = matchTitles(t, s, "-account:home tag:tech")
	if err != nil || len(got) != 0 {
		t.Errorf("-account:home tag:tech matched %q, %v; want nothing", got, err)
	}
	_, err = matchTitles(t, s, "is:unread account:work")
	if !errors.As(err, &qe) || qe.Col != 11 || !strings.Contains(qe.Msg, `no account named "work"`) {
		t.Errorf("unknown account: got %v, want a column 11 error naming it", err)
	}
}

// TestQueryAgeMovesWithTime: a compiled age term is measured when the list
// runs, not when it was compiled.
func TestQueryAgeMovesWithTime(t *testing.T) {
	s := queryStore(t)
	n, err := query.Parse("age<1d", nil)
	if err != nil {
		t.Fatal(err)
	}
	q, err := s.Compile(context.Background(), n)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if a, b := q.bind(now)[0], q.bind(now.Add(time.Hour))[0]; a.(int64)+3600 != b.(int64) {
		t.Errorf("bind an hour later: %v then %v, want 3600 s apart", a, b)
	}
}

func TestUnreadCounts(t *testing.T) {
	s := queryStore(t)
	ctx := context.Background()
	qs := compileAll(t, s, "tag:world", "ukraine", "is:starred", "-title:sponsored")
	got, err := s.UnreadCounts(ctx, qs)
	if want := []int{2, 1, 1, 2}; err != nil || !slices.Equal(got, want) {
		t.Fatalf("UnreadCounts = %v, %v; want %v", got, err, want)
	}
	if err := s.SetRead(ctx, firstID(t, s, "Ukraine grain deal"), true); err != nil {
		t.Fatal(err)
	}
	got, err = s.UnreadCounts(ctx, qs)
	if want := []int{1, 0, 1, 1}; err != nil || !slices.Equal(got, want) {
		t.Fatalf("after a read: UnreadCounts = %v, %v; want %v", got, err, want)
	}
}

func firstID(t *testing.T, s *Store, title string) int64 {
	t.Helper()
	var id int64
	if err := s.r.QueryRowContext(context.Background(), "SELECT id FROM articles WHERE title = ?", title).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestUnreadCountsFollowChanges: the saved views' counts (all counted in
// one statement) agree with each view's own count, and with the expected
// figures, after each kind of change: ingest, mark read and unread, a kill
// rule, mark-all of a feed and of everything, and retention.
func TestUnreadCountsFollowChanges(t *testing.T) {
	s := queryStore(t)
	ctx := context.Background()
	texts := []string{"tag:world", "ukraine", "is:starred", "-title:sponsored"}
	qs := compileAll(t, s, texts...)
	check := func(step string, want ...int) {
		t.Helper()
		got, err := s.UnreadCounts(ctx, qs)
		if err != nil || !slices.Equal(got, want) {
			t.Fatalf("%s: UnreadCounts = %v, %v; want %v", step, got, err, want)
		}
		for i, q := range qs {
			n, err := s.CountArticles(ctx, Filter{Unread: true, Match: q})
			if err != nil || n != got[i] {
				t.Errorf("%s: %q counted alone: %d, %v; together: %d", step, texts[i], n, err, got[i])
			}
		}
	}
	check("start", 2, 1, 1, 2)

	news := fakeResult("News", []feed.Item{{Key: "n4", URL: "https://example.org/n4", Title: "Ukraine ceasefire talks",
		Published: time.Now().Add(-time.Minute), Body: feed.Body{Markdown: "Talks in Geneva.", Text: "Talks in Geneva."}}})
	refresh(t, s, &fakeFetcher{results: map[string]feedResult{"https://news.example/feed": news}})
	check("after ingest", 3, 2, 1, 3)

	if err := s.SetRead(ctx, firstID(t, s, "Ukraine ceasefire talks"), true); err != nil {
		t.Fatal(err)
	}
	check("after a read", 2, 1, 1, 2)
	if err := s.SetRead(ctx, firstID(t, s, "Cup final tonight"), false); err != nil {
		t.Fatal(err)
	}
	check("after an unread", 2, 2, 1, 3)

	grain := compileAll(t, s, "title:grain")[0]
	if _, err := s.ApplyIgnore(ctx, []IgnoreRule{{Query: grain}}, 0); err != nil {
		t.Fatal(err)
	}
	check("after a kill rule", 1, 1, 1, 2)

	newsID := firstFeedID(t, s, "Ukraine grain deal")
	if _, err := s.MarkRead(ctx, Filter{FeedID: newsID}); err != nil {
		t.Fatal(err)
	}
	check("after marking a feed read", 0, 1, 1, 2)
	if _, err := s.MarkRead(ctx, Filter{}); err != nil {
		t.Fatal(err)
	}
	check("after marking all read", 0, 0, 0, 0)
	if err := s.SetRead(ctx, firstID(t, s, "Go 1.30 released"), false); err != nil {
		t.Fatal(err)
	}
	check("after an unread", 0, 0, 1, 1)

	if n, err := s.Prune(ctx, time.Now().Add(-7*24*time.Hour)); err != nil || n == 0 {
		t.Fatalf("Prune = %d, %v; want the old read articles deleted", n, err)
	}
	check("after retention", 0, 0, 1, 1)
}

func firstFeedID(t *testing.T, s *Store, title string) int64 {
	t.Helper()
	var id int64
	if err := s.r.QueryRowContext(context.Background(), "SELECT feed_id FROM articles WHERE title = ?", title).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// compileAll parses and compiles each query of texts.
func compileAll(t *testing.T, s *Store, texts ...string) []*Query {
	t.Helper()
	qs := make([]*Query, len(texts))
	for i, text := range texts {
		n, err := query.Parse(text, nil)
		if err != nil {
			t.Fatal(err)
		}
		if qs[i], err = s.Compile(context.Background(), n); err != nil {
			t.Fatal(err)
		}
	}
	return qs
}

// TestUnreadCountsManyViews: more views than one statement counts
// (viewsPerCount) are counted in several, each count in its place.
func TestUnreadCountsManyViews(t *testing.T) {
	s := queryStore(t)
	ctx := context.Background()
	base := []string{"tag:world", "ukraine", "is:starred", "-title:sponsored", "title:grain OR title:cup", "age<1d"}
	var texts []string
	for i := range viewsPerCount + 5 {
		texts = append(texts, base[i%len(base)])
	}
	qs := compileAll(t, s, texts...)
	got, err := s.UnreadCounts(ctx, qs)
	if err != nil || len(got) != len(qs) {
		t.Fatalf("UnreadCounts = %v, %v; want %d counts", got, err, len(qs))
	}
	for i, q := range qs {
		n, err := s.CountArticles(ctx, Filter{Unread: true, Match: q})
		if err != nil || n != got[i] {
			t.Errorf("view %d (%q): together %d, alone %d, %v", i, texts[i], got[i], n, err)
		}
	}
	want := []int{2, 1, 1, 2, 1, 1} // of base
	for i := range got {
		if got[i] != want[i%len(base)] {
			t.Errorf("view %d (%q) = %d, want %d", i, texts[i], got[i], want[i%len(base)])
		}
	}
}
