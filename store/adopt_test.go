package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/internal/feedtest"
)

// TestRefreshKeepsStoryWhenKeyChangesForm: feed keys items that share a GUID
// (or, without GUIDs, a link) with a suffix that depends on the other items
// of the fetch. When a feed goes from one such item to several or back, the
// story the user read and starred keeps its row and state: no unread copy.
func TestRefreshKeepsStoryWhenKeyChangesForm(t *testing.T) {
	epoch := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	// story returns item name ("a", "b", …) of a feed on base: with the
	// GUID "same-guid" and its own link, or (sharedLink) no GUID and the
	// link /shared; titled "Update" (sameTitle) or by its name.
	type shape struct{ sharedLink, sameTitle bool }
	story := func(base, name string, sh shape) feedtest.Item {
		it := feedtest.Item{
			GUID:        "same-guid",
			Title:       "Story " + strings.ToUpper(name),
			Link:        base + "/story/" + name,
			Description: fmt.Sprintf("<p>Text of story-%s.</p>", name),
			Published:   epoch.Add(-time.Duration(name[0]-'a') * time.Hour),
		}
		if sh.sharedLink {
			it.GUID, it.Link = "", base+"/shared"
		}
		if sh.sameTitle {
			it.Title = "Update"
		}
		return it
	}
	cases := []struct {
		name     string
		shape    shape
		versions []string // the items of each fetch, newest first; "a" is read and starred
	}{
		{"same GUID 1→2", shape{}, []string{"a", "ba"}},
		{"same GUID 2→1", shape{}, []string{"ba", "a"}},
		{"same GUID 3→1", shape{}, []string{"cba", "a"}},
		{"same GUID 1→2→1→3", shape{}, []string{"a", "ba", "a", "cba"}},
		{"same GUID 2→1 keeps the other", shape{}, []string{"ab", "b", "ab"}},
		{"no GUID, one link 1→2", shape{sharedLink: true}, []string{"a", "ba"}},
		{"no GUID, one link 2→1", shape{sharedLink: true}, []string{"ba", "a"}},
		{"no GUID, one link 3→1", shape{sharedLink: true}, []string{"cba", "a"}},
		{"no GUID, one link 1→2→1→3", shape{sharedLink: true}, []string{"a", "ba", "a", "cba"}},
		{"no GUID, one link and title 1→2", shape{sharedLink: true, sameTitle: true}, []string{"a", "ba"}},
		{"no GUID, one link and title 3→1", shape{sharedLink: true, sameTitle: true}, []string{"cba", "a"}},
		// c is new: it must not take the row (and read state) of a, whose title it shares.
		{"no GUID, one link and title 2→another", shape{sharedLink: true, sameTitle: true}, []string{"ab", "c", "ca"}},
		{"same GUID 2→another", shape{}, []string{"ab", "c"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			s := openTest(t)
			srv := feedtest.New(t)
			ids := syncURLs(t, s, srv.URL("/f.xml"))
			client := newClient()
			serve := func(names string) {
				var items []feedtest.Item
				for _, n := range names {
					items = append(items, story(srv.Server.URL, string(n), c.shape))
				}
				setRSS(srv, "/f.xml", items)
			}
			// byStory maps each story name to its article, checking that
			// every story is stored once.
			byStory := func(when string) map[string]ArticleRow {
				t.Helper()
				out := map[string]ArticleRow{}
				for _, r := range allRows(t, s, Filter{}) {
					a, err := s.Article(ctx, r.ID)
					if err != nil {
						t.Fatal(err)
					}
					_, name, ok := strings.Cut(a.Markdown, "story-")
					if !ok {
						t.Fatalf("%s: article %d without a story name: %q", when, r.ID, a.Markdown)
					}
					name = name[:1]
					if prev, dup := out[name]; dup {
						t.Fatalf("%s: story %s stored twice: %d (read %v) and %d (read %v)",
							when, name, prev.ID, prev.Read, r.ID, r.Read)
					}
					out[name] = r
				}
				return out
			}

			serve(c.versions[0])
			refresh(t, s, client)
			a, ok := byStory("first fetch")["a"]
			if !ok {
				t.Fatal("story a not stored")
			}
			if err := s.SetRead(ctx, a.ID, true); err != nil {
				t.Fatal(err)
			}
			if err := s.SetStarred(ctx, a.ID, true); err != nil {
				t.Fatal(err)
			}
			seen := c.versions[0]
			for i, v := range c.versions[1:] {
				when := fmt.Sprintf("fetch %d (%s)", i+2, v)
				serve(v)
				sum := refresh(t, s, client)
				var fresh int
				for _, n := range v {
					if !strings.ContainsRune(seen, n) {
						fresh++
						seen += string(n)
					}
				}
				if sum.New != fresh || sum.Failed != 0 {
					t.Errorf("%s: %+v, want %d new", when, sum, fresh)
				}
				got := byStory(when)
				if len(got) != len(seen) {
					t.Errorf("%s: %d stories stored, want %d (%s)", when, len(got), len(seen), seen)
				}
				if g := got["a"]; g.ID != a.ID || !g.Read || !g.Starred {
					t.Errorf("%s: story a is %+v, want article %d read and starred", when, g, a.ID)
				}
				for name, r := range got {
					if name != "a" && (r.Read || r.Starred) {
						t.Errorf("%s: story %s took a's state: %+v", when, name, r)
					}
				}
				feeds, err := s.Feeds(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if f := feeds[0]; f.ID != ids[0] || f.Total != len(seen) || f.Unread != len(seen)-1 {
					t.Errorf("%s: counts total %d unread %d, want %d and %d", when, f.Total, f.Unread, len(seen), len(seen)-1)
				}
			}
			if got := allRows(t, s, Filter{Query: "story"}); len(got) != len(seen) {
				t.Errorf("search finds %d articles, want %d", len(got), len(seen))
			}
			if n := countRows(t, s, `SELECT count(*) FROM articles WHERE key LIKE 'dropped:%'`); n != 0 {
				t.Errorf("%d rows set aside by adoptions were not deleted", n)
			}
			if err := s.Check(ctx); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestAdoptionDoesNotDisturbLaterInserts: an adoption in one feed is followed,
// in the same transaction, by new articles of another feed: each is
// recognised as inserted (with its body and search entry), none as an update.
// (fakeFetcher answers in request order, so both land in one batch, in order.)
func TestAdoptionDoesNotDisturbLaterInserts(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	ids := syncURLs(t, s, "https://a.example/feed", "https://b.example/feed")
	a, b := fakeItems("a", 2), fakeItems("b", 3)
	a[0].GUID, a[1].GUID = "g", "g"
	a[0].Key = "guid:g"
	f := &fakeFetcher{results: map[string]feedResult{
		"https://a.example/feed": fakeResult("A", a[:1]),
		"https://b.example/feed": fakeResult("B", b[:1]),
	}}
	refresh(t, s, f)
	old := allRows(t, s, Filter{FeedID: ids[0]})
	if len(old) != 1 {
		t.Fatalf("feed a: %d articles, want 1", len(old))
	}
	// Feed a: a[0] is now keyed by its link and written last, so the row
	// inserted for it (then set aside) had the highest rowid; feed b: two
	// new items.
	a[0].Key = "guid:g#" + a[0].URL
	a[1].Key = "guid:g#" + a[1].URL
	f.results["https://a.example/feed"] = fakeResult("A", []feed.Item{a[1], a[0]})
	f.results["https://b.example/feed"] = fakeResult("B", b)
	if sum := refresh(t, s, f); sum.New != 3 {
		t.Fatalf("second refresh: %+v, want 3 new", sum)
	}
	if got := allRows(t, s, Filter{FeedID: ids[0]}); len(got) != 2 || !slices.ContainsFunc(got, func(r ArticleRow) bool { return r.ID == old[0].ID }) {
		t.Errorf("feed a: %+v, want 2 articles, one of them %d", got, old[0].ID)
	}
	rows := allRows(t, s, Filter{})
	if len(rows) != 5 {
		t.Fatalf("got %d articles, want 5", len(rows))
	}
	for _, r := range rows {
		art, err := s.Article(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(art.Markdown, "Body of ") || len(art.Links) != 1 {
			t.Errorf("article %d %q: body %q, %d links", r.ID, r.Title, art.Markdown, len(art.Links))
		}
	}
	if got := allRows(t, s, Filter{Query: "title"}); len(got) != 5 {
		t.Errorf("search finds %d articles, want 5: %+v", len(got), got)
	}
}

// TestStoryLookupUsesIndex: the lookup an adoption makes is one index seek,
// and the index still serves the lookups of links by URL (it replaced one
// on url_norm alone).
func TestStoryLookupUsesIndex(t *testing.T) {
	s := openTest(t)
	plan := queryPlan(t, s, storyRowsSQL, "https://example.org/a", 1, "g", 100)
	if !strings.Contains(plan, "INDEX articles_story (url_norm=? AND feed_id=? AND guid=?") {
		t.Errorf("plan does not seek articles_story on all three columns:\n%s", plan)
	}
	plan = queryPlan(t, s, "SELECT "+rowColumns+visibleFrom+" WHERE a.url_norm = ? AND"+visible, "https://example.org/a")
	if !strings.Contains(plan, "INDEX articles_story (url_norm=?)") {
		t.Errorf("a lookup by URL does not seek articles_story:\n%s", plan)
	}
}

// TestKeyFamily covers the forms of a key that are one story.
func TestKeyFamily(t *testing.T) {
	cases := []struct {
		key, family string
		member      []string
		other       []string
	}{
		{"guid:g", "guid:g", []string{"guid:g#https://x/a", "guid:g#hash:12"}, []string{"guid:gg", "guid:h", "url:g"}},
		{"guid:g#https://x/a", "guid:g", []string{"guid:g"}, []string{"guid:g2#https://x/a"}},
		{"url:https://x/a#hash:1", "url:https://x/a", []string{"url:https://x/a"}, []string{"url:https://x/ab"}},
	}
	for _, c := range cases {
		if !inFamily(c.key, c.family) {
			t.Errorf("%q not in its family %q", c.key, c.family)
		}
		for _, k := range c.member {
			if !inFamily(k, c.family) {
				t.Errorf("%q: got not in %q, want in", k, c.family)
			}
		}
		for _, k := range c.other {
			if inFamily(k, c.family) {
				t.Errorf("%q: got in %q, want not", k, c.family)
			}
		}
	}
	if !slices.Equal([]bool{hashed("guid:g#hash:1", "guid:g"), hashed("guid:g#https://x", "guid:g"), hashed("guid:g", "guid:g")},
		[]bool{true, false, false}) {
		t.Error("hashed tells the wrong forms apart")
	}
}

// countRows runs a count query on the writer connection.
func countRows(t *testing.T, s *Store, query string, args ...any) int {
	t.Helper()
	var n int
	if err := s.w.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}
