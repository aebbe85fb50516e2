package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/brief-reader/brief/store"
)

// TestTabInTheReader: with links, tab and shift+tab select them; without,
// they switch panes (feeds → list → reader → feeds), and the help says
// which.
func TestTabInTheReader(t *testing.T) {
	fx := newFixture(t)
	m := press(t, fx.model(t, 160, 48), "enter") // "A new chip…": no links
	if m.focus != paneReader || len(m.reader.links()) != 0 {
		t.Fatalf("not in a reader without links: %s", describe(m))
	}
	if !m.keys.NextPane.Enabled() || m.keys.NextLink.Enabled() {
		t.Errorf("no links: next pane %t, next link %t; want true, false", m.keys.NextPane.Enabled(), m.keys.NextLink.Enabled())
	}
	mustContain(t, press(t, m, "?").View(), "next pane")
	if got := press(t, m, "tab"); got.focus != paneFeeds {
		t.Errorf("tab from the reader: %s, want the feeds", describe(got))
	}
	if got := press(t, m, "shift+tab"); got.focus != paneList {
		t.Errorf("shift+tab from the reader: %s, want the list", describe(got))
	}

	m = press(t, m, "esc", "j", "enter") // Kremlin: links
	if m.keys.NextPane.Enabled() || !m.keys.NextLink.Enabled() {
		t.Errorf("links: next pane %t, next link %t; want false, true", m.keys.NextPane.Enabled(), m.keys.NextLink.Enabled())
	}
	if v := plain(press(t, m, "?").View()); strings.Contains(v, "next pane") {
		t.Errorf("help in a reader with links offers next pane:\n%s", v)
	}
	if got := press(t, m, "tab"); got.focus != paneReader || got.reader.selected != 1 {
		t.Errorf("tab with links: %s, want link 1 selected", describe(got))
	}
}

// TestMarkReadInTheChooserUsesTheHighlightedEntry: with World News shown
// and the chooser's cursor on Tech Daily, M marks Tech Daily, as r would
// refresh it.
func TestMarkReadInTheChooserUsesTheHighlightedEntry(t *testing.T) {
	fx := newFixture(t)
	m := fx.model(t, 160, 48)
	choose := func(m Model, label string) Model {
		t.Helper()
		m = press(t, m, "h", "g")
		for m.feeds.selected().label != label {
			before := m.feeds.cursor
			if m = press(t, m, "j"); m.feeds.cursor == before {
				t.Fatalf("no entry %q", label)
			}
		}
		return m
	}
	m = press(t, choose(m, "World News"), "enter")
	m = choose(m, "Tech Daily")
	m, cmd := sendOnly(t, m, keyMsg("M"))
	if want := "marking 3 unread articles in Tech Daily read…"; m.status.text != want {
		t.Errorf("status %q, want %q", m.status.text, want)
	}
	m = run(t, m, cmd)
	mustContain(t, m.View(), "marked 3 articles read")
	ctx := context.Background()
	if n, _ := fx.store.CountArticles(ctx, store.Filter{FeedID: fx.feeds["Tech Daily"], Unread: true}); n != 0 {
		t.Errorf("Tech Daily has %d unread", n)
	}
	if n, _ := fx.store.CountArticles(ctx, store.Filter{FeedID: fx.feeds["World News"], Unread: true}); n != 3 {
		t.Errorf("World News has %d unread, want 3 (untouched)", n)
	}
}

// TestMarkAllReadFromTheReader marks the list's articles, as help says.
func TestMarkAllReadFromTheReader(t *testing.T) {
	fx := newFixture(t)
	m := press(t, fx.model(t, 80, 24), "j", "enter")
	if !m.keys.MarkAllRead.Enabled() {
		t.Fatal("M is off in the reader")
	}
	m = press(t, m, "M")
	if m.feeds.counts.Unread != 0 || !strings.Contains(m.status.text, "marked 7 articles read") {
		t.Errorf("M in the reader: unread %d, status %q", m.feeds.counts.Unread, m.status.text)
	}
}

// TestRefreshWithNothingToRefreshSaysWhy: r on a linked page, or offline.
func TestRefreshWithNothingToRefreshSaysWhy(t *testing.T) {
	fx := newFixture(t)
	m := press(t, openKremlin(t, fx, 80, 24), "3") // the reader-mode page
	if m.reader.article.FeedID != 0 {
		t.Fatalf("not on a linked page: %s", describe(m))
	}
	m, cmd := sendOnly(t, m, keyMsg("r"))
	if cmd != nil || m.refresh.running || !strings.Contains(m.status.text, "this page is in no feed: R refreshes every feed") {
		t.Errorf("r on a linked page: status %q, running %t", m.status.text, m.refresh.running)
	}
	off := fx.model(t, 80, 24, func(o *Options) { o.Client = nil })
	for _, k := range []string{"r", "R"} {
		if got := press(t, off, k); !strings.Contains(got.status.text, "offline") {
			t.Errorf("%s offline: status %q", k, got.status.text)
		}
	}
}

// TestFeedColumn: the feed column takes what the longest name needs, up to
// 22% of the row; names that would read alike when cut at the end are cut
// in the middle.
func TestFeedColumn(t *testing.T) {
	rows := func(names ...string) []store.ArticleRow {
		var out []store.ArticleRow
		for i, n := range names {
			out = append(out, store.ArticleRow{ID: int64(i + 1), FeedID: int64(i + 1), FeedTitle: n, Title: "An article with a long title that is cut", Published: testNow})
		}
		return out
	}
	generated := []string{"Generated 1", "Generated 2", "Generated 3", "Generated 4", "Generated 5"}
	long := []string{"Generated feed number 1", "Generated feed number 2", "Generated feed number 3"}
	tests := []struct {
		width  int
		names  []string
		want   []string // the feed column of each row
		middle bool
	}{
		{54, generated, generated, false}, // 120 columns: "Generated 1" whole
		{61, generated, generated, false}, // 160 columns
		{54, []string{"World News", "Science & Politics"}, []string{"World News", "Science & …"}, false},
		{54, long, []string{"Gener…ber 1", "Gener…ber 2", "Gener…ber 3"}, true},
		{80, long, []string{"Generate…number 1", "Generate…number 2", "Generate…number 3"}, true},
		{30, generated, nil, false}, // too narrow for a feed column
	}
	st := NewStyles(true, true)
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.width, tt.names), func(t *testing.T) {
			l := listPane{paneBase: paneBase{height: 10}, ready: true, seq: 1}
			l.apply(windowLoadedMsg{seq: 1, rows: rows(tt.names...), total: len(tt.names)})
			l.SetSize(tt.width, 10)
			if l.feedMiddle != tt.middle {
				t.Errorf("middle: got %t, want %t", l.feedMiddle, tt.middle)
			}
			for i, r := range l.rows {
				line := ansi.Strip(l.render(&st, r, false, false, testNow))
				if w := ansi.StringWidth(line); w != tt.width {
					t.Errorf("row %d is %d cells, want %d: %q", i, w, tt.width, line)
				}
				if tt.want == nil {
					if strings.Contains(line, "Generated") {
						t.Errorf("narrow row has a feed column: %q", line)
					}
					continue
				}
				if !strings.Contains(line, " "+tt.want[i]+" ") {
					t.Errorf("row %d: %q lacks the feed %q", i, line, tt.want[i])
				}
			}
		})
	}
}

func TestTruncateMiddle(t *testing.T) {
	tests := []struct {
		s    string
		w    int
		want string
	}{
		{"Generated 1", 11, "Generated 1"},
		{"Generated 1", 8, "Gen…ed 1"},
		{"Генерований 12", 9, "Гене…й 12"},
		{"abcdef", 2, "ab"},
	}
	for _, tt := range tests {
		if got := truncateMiddle(tt.s, tt.w); got != tt.want || ansi.StringWidth(got) > tt.w {
			t.Errorf("truncateMiddle(%q, %d): got %q, want %q", tt.s, tt.w, got, tt.want)
		}
	}
}

// TestChooserCounts: every count is of unread articles but Starred's,
// which is marked with a star.
func TestChooserCounts(t *testing.T) {
	fx := newFixture(t)
	m := press(t, fx.model(t, 160, 48), "s", "j", "s", "j", "m")
	lines := strings.Split(plain(m.feeds.View()), "\n")
	want := map[string]string{"All": "7", "Unread": "7", "Starred": "★ 2"}
	for _, l := range lines {
		f := strings.Fields(l)
		if len(f) < 2 {
			continue
		}
		label := strings.TrimLeft(f[0], "▸")
		if label == "" {
			label = f[1]
		}
		if w, ok := want[label]; ok {
			if !strings.HasSuffix(strings.TrimSpace(l), w) {
				t.Errorf("%s: %q, want the count %q", label, l, w)
			}
			delete(want, label)
		}
	}
	if len(want) > 0 {
		t.Errorf("entries not found: %v\n%s", want, strings.Join(lines, "\n"))
	}
}

// TestErrorsViewNamesAFeedOnce: a feed without a title is named by its URL,
// which is then not repeated.
func TestErrorsViewNamesAFeedOnce(t *testing.T) {
	p := errorsPane{paneBase: paneBase{width: 100, height: 30, styles: ref(NewStyles(true, true)), now: func() time.Time { return testNow }}, loaded: true, errs: []store.FeedError{
		{URL: "https://untitled.example/feed.xml", Error: "feed: not found (HTTP 404)", At: testNow.Add(-time.Hour)},
		{URL: "https://titled.example/rss", Title: "Titled", Error: "feed: not found (HTTP 404)", At: testNow.Add(-time.Hour)},
	}}
	v := plain(p.View())
	if n := strings.Count(v, "untitled.example/feed.xml"); n != 1 {
		t.Errorf("the untitled feed's URL is shown %d times:\n%s", n, v)
	}
	if !strings.Contains(v, "Titled") || strings.Count(v, "titled.example/rss") != 1 {
		t.Errorf("the titled feed lost its name or URL:\n%s", v)
	}
}
