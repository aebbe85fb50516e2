package ui

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/internal/feedtest"
	"github.com/brief-reader/brief/store"
)

// The fixture list, newest first.
var fixtureTitles = []string{
	"A new chip doubles battery life",
	"Kremlin won’t withdraw troops, – Biden receives Putin’s response",
	"60% of Europeans believe NATO should come to Ukraine’s defence if Russia invades, – poll",
	"Russia stages pretext for attack after reports of multiple shelling incidents, – NATO",
	"Ceasefire talks resume in Geneva",
	"Election results announced in Poland",
	"Election results announced in Germany",
	"Grain exports reach a record",
}

func TestListLoadsFirstWindow(t *testing.T) {
	fx := newFixture(t)
	m := fx.model(t, 80, 24)
	if got := rowTitles(m); !slices.Equal(got, fixtureTitles) {
		t.Fatalf("rows: got %q, want %q", got, fixtureTitles)
	}
	if m.list.total != 8 || m.feeds.counts.Unread != 8 || m.focus != paneList {
		t.Errorf("got total %d unread %d focus %d, want 8 8 list", m.list.total, m.feeds.counts.Unread, m.focus)
	}
	checkSize(t, m.View(), 80, 24)
}

func TestListMovementKeys(t *testing.T) {
	fx := newFixture(t)
	tests := []struct {
		keys []string
		want int
	}{
		{[]string{"j"}, 1},
		{[]string{"down", "down"}, 2},
		{[]string{"j", "j", "k"}, 1},
		{[]string{"j", "up"}, 0},
		{[]string{"k"}, 0},
		{[]string{"G"}, 7},
		{[]string{"end"}, 7},
		{[]string{"G", "g"}, 0},
		{[]string{"G", "home"}, 0},
		{[]string{" "}, 7}, // a page is longer than the list
		{[]string{"pgdown"}, 7},
		{[]string{"G", "pgup"}, 0},
		{[]string{"j", "j", "j", "j", "j", "j", "j", "j", "j"}, 7},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.keys), func(t *testing.T) {
			m := press(t, fx.model(t, 80, 24), tt.keys...)
			if m.list.cursor != tt.want {
				t.Errorf("cursor: got %d, want %d", m.list.cursor, tt.want)
			}
		})
	}
}

func TestListPageSizeFollowsHeight(t *testing.T) {
	m := New(Options{Now: func() time.Time { return testNow }})
	m = send(t, m, tea.WindowSizeMsg{Width: 80, Height: 10})
	m.list.total, m.list.ready = 1000, true
	m.list.rows = make([]store.ArticleRow, windowSize)
	next, cmd := m.Update(keyMsg(" "))
	m = next.(Model)
	if want := m.list.height - 1; m.list.cursor != want {
		t.Errorf("space: cursor %d, want %d", m.list.cursor, want)
	}
	if cmd != nil {
		t.Errorf("space inside the loaded window asked for a load")
	}
}

func TestOpenKeysOpenTheArticle(t *testing.T) {
	fx := newFixture(t)
	for _, k := range []string{"enter", "l", "right"} {
		t.Run(k, func(t *testing.T) {
			m := press(t, fx.model(t, 80, 24), "j", k)
			want := fx.articleID(t, "Kremlin")
			if m.reader.id != want || !m.reader.loaded || m.focus != paneReader || m.reader.doc == nil {
				t.Fatalf("got %s, want the Kremlin article open and rendered", describe(m))
			}
			mustContain(t, m.View(), "Kremlin won’t withdraw troops", "World News · by Kyiv Desk", "Read also")
			if r, _ := m.list.selected(); !r.Read {
				t.Errorf("the opened row is not marked read in the list")
			}
			a, err := fx.store.Article(context.Background(), want)
			if err != nil || !a.Read {
				t.Errorf("the article is not read in the store: %v %+v", err, a.ArticleRow)
			}
			if m.feeds.counts.Unread != 7 {
				t.Errorf("unread count: got %d, want 7", m.feeds.counts.Unread)
			}
		})
	}
}

func TestBackKeysReturnToTheList(t *testing.T) {
	fx := newFixture(t)
	for _, k := range []string{"esc", "h", "left"} {
		t.Run(k, func(t *testing.T) {
			m := press(t, fx.model(t, 80, 24), "enter", k)
			if m.focus != paneList {
				t.Fatalf("focus: got %d, want the list", m.focus)
			}
			mustContain(t, m.View(), "A new chip doubles battery life", "Grain exports")
			m = press(t, m, k) // from the list: the feed chooser
			if m.focus != paneFeeds {
				t.Errorf("second %s: focus %d, want the feeds", k, m.focus)
			}
		})
	}
}

func TestTabSwitchesPanes(t *testing.T) {
	fx := newFixture(t)
	m := fx.model(t, 160, 48)
	steps := []struct {
		key  string
		want pane
	}{
		{"tab", paneFeeds}, // nothing open yet: list → feeds
		{"tab", paneList},
		{"shift+tab", paneFeeds},
		{"shift+tab", paneList}, // nothing open: back to the list
		{"enter", paneReader},
		{"esc", paneList},
		{"tab", paneReader},
		{"esc", paneList},
		{"shift+tab", paneFeeds},
		{"shift+tab", paneReader},
	}
	for i, s := range steps {
		m = press(t, m, s.key)
		if m.focus != s.want {
			t.Fatalf("step %d (%s): focus %d, want %d", i, s.key, m.focus, s.want)
		}
	}
}

func TestToggleReadAndStar(t *testing.T) {
	fx := newFixture(t)
	m := press(t, fx.model(t, 80, 24), "j")
	id := fx.articleID(t, "Kremlin")
	ctx := context.Background()

	m = press(t, m, "m")
	if r, _ := m.list.selected(); !r.Read || m.feeds.counts.Unread != 7 {
		t.Fatalf("m: row read %t, unread %d; want true, 7", r.Read, m.feeds.counts.Unread)
	}
	if a, _ := fx.store.Article(ctx, id); !a.Read {
		t.Errorf("m: not read in the store")
	}
	m = press(t, m, "m")
	if r, _ := m.list.selected(); r.Read || m.feeds.counts.Unread != 8 {
		t.Errorf("m again: row read %t, unread %d; want false, 8", r.Read, m.feeds.counts.Unread)
	}

	m = press(t, m, "s")
	if r, _ := m.list.selected(); !r.Starred || m.feeds.counts.Starred != 1 {
		t.Fatalf("s: starred %t, count %d", r.Starred, m.feeds.counts.Starred)
	}
	if a, _ := fx.store.Article(ctx, id); !a.Starred {
		t.Errorf("s: not starred in the store")
	}
	mustContain(t, m.View(), "★")
	m = press(t, m, "s")
	if r, _ := m.list.selected(); r.Starred || m.feeds.counts.Starred != 0 {
		t.Errorf("s again: starred %t, count %d", r.Starred, m.feeds.counts.Starred)
	}
}

func TestMarkAllShownRead(t *testing.T) {
	fx := newFixture(t)
	m := fx.model(t, 160, 48)
	// Show the Tech Daily feed, then mark it read.
	m = press(t, m, "tab")
	for m.feeds.selected().label != "Tech Daily" {
		m = press(t, m, "j")
	}
	m = press(t, m, "enter")
	if m.list.total != 3 || m.list.filter.FeedID != fx.feeds["Tech Daily"] {
		t.Fatalf("feed filter: %s %+v", describe(m), m.list.filter)
	}
	m = press(t, m, "M")
	if m.feeds.counts.Unread != 5 {
		t.Errorf("unread after M: got %d, want 5", m.feeds.counts.Unread)
	}
	for _, r := range m.list.rows {
		if !r.Read {
			t.Errorf("%q still unread", r.Title)
		}
	}
	mustContain(t, m.View(), "marked 3 articles read")
}

func TestOpenInBrowser(t *testing.T) {
	fx := newFixture(t)
	var opened []string
	openURL := func(o *Options) {
		o.OpenURL = func(u string) error { opened = append(opened, u); return nil }
	}
	m := fx.model(t, 80, 24, openURL)
	m = press(t, m, "j", "o")
	want := fx.srv.URL("/world/kremlin")
	if !slices.Equal(opened, []string{want}) {
		t.Fatalf("list o: opened %q, want %q", opened, want)
	}
	mustContain(t, m.View(), "opened 127.0.0.1")

	// In the reader, o opens the article, or the selected link.
	m = press(t, m, "enter", "o", "tab", "o")
	mustContain(t, m.View(), "opened 127.0.0.1")
	want2 := fx.srv.URL("/state/official")
	if len(opened) != 3 || opened[1] != want || opened[2] != want2 {
		t.Errorf("reader o: opened %q, want article then %s", opened, want2)
	}
}

func TestOpenInBrowserRefusesUnsafeURLs(t *testing.T) {
	called := false
	open := func(string) error { called = true; return nil }
	for _, u := range []string{"javascript:alert(1)", "file:///etc/passwd", "http://a.example/\x1b]52;c;x\a", "data:text/html,x"} {
		msg := openBrowser(open, u)().(browserOpenedMsg)
		if msg.err == nil {
			t.Errorf("%q: opened, want a refusal", u)
		}
	}
	if called {
		t.Errorf("the browser ran for an unsafe URL")
	}
	if msg := openBrowser(nil, "https://example.org/")().(browserOpenedMsg); msg.err == nil {
		t.Errorf("no browser configured: got no error")
	}
}

func TestQuitKeys(t *testing.T) {
	fx := newFixture(t)
	for _, k := range []string{"q", "ctrl+c"} {
		t.Run(k, func(t *testing.T) {
			_, cmd := sendOnly(t, fx.model(t, 80, 24), keyMsg(k))
			if cmd == nil {
				t.Fatal("no command")
			}
			if _, ok := cmd().(tea.QuitMsg); !ok {
				t.Errorf("%s did not quit", k)
			}
		})
	}
}

func TestHelpAndErrorsViews(t *testing.T) {
	fx := newFixture(t)
	m := press(t, fx.model(t, 80, 24), "?")
	if m.overlay != overlayHelp {
		t.Fatalf("? did not open the help")
	}
	mustContain(t, m.View(), "toggle read", "mark all read", "refresh all", "quit")
	m = press(t, m, "j") // keys do nothing under the help
	if m.list.cursor != 0 {
		t.Errorf("j moved the list under the help")
	}
	m = press(t, m, "?")
	if m.overlay != overlayNone {
		t.Errorf("? did not close the help")
	}
	m = press(t, m, "?", "esc")
	if m.overlay != overlayNone {
		t.Errorf("esc did not close the help")
	}

	m = press(t, m, "e")
	if m.overlay != overlayErrors {
		t.Fatalf("e did not open the errors view")
	}
	mustContain(t, m.View(), "Feed errors", "Every feed fetched fine.")
	m = press(t, m, "e")
	if m.overlay != overlayNone {
		t.Errorf("e did not close the errors view")
	}
}

func TestHelpIsGeneratedFromEnabledKeys(t *testing.T) {
	fx := newFixture(t)
	m := press(t, fx.model(t, 120, 40), "?")
	v := plain(m.View())
	for _, absent := range []string{"next link", "follow link", "history back", "linked from"} {
		if strings.Contains(v, absent) {
			t.Errorf("help in the list shows %q, which cannot fire there", absent)
		}
	}
	m = press(t, m, "esc", "j", "enter", "?")
	mustContain(t, m.View(), "next link", "read-also N", "linked from", "quit")
	m = press(t, m, "esc", "tab", "?") // a link is selected: enter follows it
	mustContain(t, m.View(), "follow link")
}

func TestFeedChooser(t *testing.T) {
	fx := newFixture(t)
	m := press(t, fx.model(t, 160, 48), "s") // star the first article
	m = press(t, m, "h")
	if m.focus != paneFeeds {
		t.Fatalf("h: focus %d", m.focus)
	}
	mustContain(t, m.View(), "#world", "#tech", "World News", "Science & Politics")
	tests := []struct {
		label string
		total int
		check func(store.Filter) bool
	}{
		{"Unread", 8, func(f store.Filter) bool { return f.Unread }},
		{"Starred", 1, func(f store.Filter) bool { return f.Starred }},
		{"#world", 5, func(f store.Filter) bool { return f.Tag == "world" }},
		{"Science & Politics", 2, func(f store.Filter) bool { return f.FeedID == fx.feeds["Science & Politics"] }},
		{"All", 8, func(f store.Filter) bool { return f == store.Filter{} }},
	}
	for _, tt := range tests {
		m = press(t, m, "h", "g")
		for m.feeds.selected().label != tt.label {
			before := m.feeds.cursor
			m = press(t, m, "j")
			if m.feeds.cursor == before {
				t.Fatalf("no chooser entry %q", tt.label)
			}
		}
		m = press(t, m, "enter")
		if m.focus != paneList || m.list.total != tt.total || !tt.check(m.list.filter) {
			t.Errorf("%s: %s filter %+v, want %d rows", tt.label, describe(m), m.list.filter, tt.total)
		}
		mustContain(t, m.View(), "brief · "+tt.label)
	}
	// G, pgup and pgdown move within the chooser.
	m = press(t, m, "h", "G")
	if got := m.feeds.selected().label; got != "Science & Politics" {
		t.Errorf("G: got %q", got)
	}
	m = press(t, m, "pgup")
	if m.feeds.cursor != 0 {
		t.Errorf("pgup: cursor %d", m.feeds.cursor)
	}
	m = press(t, m, "pgdown", "tab")
	if m.focus != paneList {
		t.Errorf("tab from the chooser: focus %d", m.focus)
	}
}

func TestSearch(t *testing.T) {
	fx := newFixture(t)
	m := press(t, fx.model(t, 80, 24), "/")
	if !m.search.active {
		t.Fatal("/ did not start a search")
	}
	mustContain(t, m.View(), "/")
	m = press(t, m, "E", "l", "e", "c", "t", "i", "o", "n", "enter")
	if m.search.active || m.list.filter.Query != "Election" || m.list.total != 2 {
		t.Fatalf("search: %s %+v", describe(m), m.list.filter)
	}
	mustContain(t, m.View(), "search “Election”", "Poland", "Germany")
	m = press(t, m, "esc") // esc in the list clears the search
	if m.list.filter.Query != "" || m.list.total != 8 {
		t.Errorf("esc: %s", describe(m))
	}
	m = press(t, m, "/", "x", "esc")
	if m.search.active || m.list.filter.Query != "" {
		t.Errorf("esc in the prompt: %s", describe(m))
	}
}

// TestListPagesThroughLargeStores checks that the list holds a window of rows,
// not the whole list, and loads the window the cursor moves into.
func TestListPagesThroughLargeStores(t *testing.T) {
	srv := feedtest.New(t)
	base := srv.URL("")
	srv.Set("/big.xml", feedtest.RSS("Big", base, feedtest.Generate(base, 1, 1500)), "")
	st := openStore(t, filepath.Join(t.TempDir(), "brief.db"))
	ctx := context.Background()
	if err := st.SyncFeeds(ctx, []store.FeedSpec{{URL: srv.URL("/big.xml")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Refresh(ctx, newClient(), nil, nil); err != nil {
		t.Fatal(err)
	}
	m := New(Options{Store: st, Now: func() time.Time { return testNow }})
	m = send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	m = run(t, m, m.Init())
	if m.list.total != 1500 || len(m.list.rows) != windowSize {
		t.Fatalf("first window: total %d rows %d", m.list.total, len(m.list.rows))
	}
	m = press(t, m, "G")
	if m.list.cursor != 1499 || len(m.list.rows) > windowSize || m.list.start+len(m.list.rows) != 1500 {
		t.Fatalf("G: cursor %d window [%d,+%d)", m.list.cursor, m.list.start, len(m.list.rows))
	}
	if r, ok := m.list.selected(); !ok || r.Title != "Feed 1 article 1499" {
		t.Errorf("G: selected %q %t", r.Title, ok)
	}
	mustContain(t, m.View(), "Feed 1 article 1499", "1,500/1,500")
	for range 30 {
		m = press(t, m, "pgup")
	}
	if r, ok := m.list.selected(); !ok || r.Title != fmt.Sprintf("Feed 1 article %d", m.list.cursor) {
		t.Errorf("pgup×30: cursor %d selected %q %t", m.list.cursor, r.Title, ok)
	}
}

func TestStaleWindowsAreDropped(t *testing.T) {
	m := New(Options{Now: func() time.Time { return testNow }})
	m = send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	rows := []store.ArticleRow{{ID: 1, Title: "current"}}
	m, _ = sendOnly(t, m, windowLoadedMsg{seq: m.list.seq, start: 0, rows: rows, total: 1})
	old := m.list.seq
	m.list.request(true) // a newer request is under way
	m, _ = sendOnly(t, m, windowLoadedMsg{seq: old, start: 0, rows: []store.ArticleRow{{ID: 2, Title: "stale"}}, total: 1})
	if got := rowTitles(m); !slices.Equal(got, []string{"current"}) {
		t.Errorf("a stale window replaced the rows: %q", got)
	}
}

func TestReloadKeepsTheCursorOnTheArticle(t *testing.T) {
	fx := newFixture(t)
	m := press(t, fx.model(t, 80, 24), "j", "j") // the NATO poll
	want, _ := m.list.selected()
	// New articles arrive at the top.
	base := fx.srv.URL("")
	fx.srv.Set("/tech.xml", feedtest.RSS("Tech Daily", base, []feedtest.Item{
		{GUID: "t0", Title: "Fresh one", Link: base + "/tech/fresh1", Published: testNow.Add(-time.Minute)},
		{GUID: "t00", Title: "Fresh two", Link: base + "/tech/fresh2", Published: testNow.Add(-2 * time.Minute)},
	}), "")
	m = press(t, m, "R")
	got, _ := m.list.selected()
	if got.ID != want.ID || m.list.cursor != 4 || m.list.total != 10 {
		t.Errorf("after refresh: cursor %d on %q (total %d), want 4 on %q", m.list.cursor, got.Title, m.list.total, want.Title)
	}
}

func TestRelTime(t *testing.T) {
	tests := []struct {
		ago  time.Duration
		want string
	}{
		{10 * time.Second, "now"},
		{3 * time.Minute, "3m"},
		{2 * time.Hour, "2h"},
		{5 * 24 * time.Hour, "5d"},
		{20 * 24 * time.Hour, "Feb 10"},
		{400 * 24 * time.Hour, "2025"},
	}
	for _, tt := range tests {
		if got := relTime(testNow.Add(-tt.ago), testNow); got != tt.want {
			t.Errorf("relTime(-%v): got %q, want %q", tt.ago, got, tt.want)
		}
	}
	if got := relTime(time.Time{}, testNow); got != "" {
		t.Errorf("zero time: got %q", got)
	}
}

func TestCleanTextAtDisplay(t *testing.T) {
	l := listPane{paneBase: paneBase{width: 60, height: 1}}
	row := store.ArticleRow{Title: "Evil\x1b[2J\u202etitle\u200b", FeedTitle: "F\x9b31m", Published: testNow}
	got := l.render(ref(NewStyles(true, true)), row, false, false, testNow)
	if want := feed.CleanText(row.Title); !strings.Contains(got, want) || strings.Contains(got, "\x1b[2J") || strings.Contains(got, "\u202e") {
		t.Errorf("row not cleaned: %q", got)
	}
}

// TestCountsMatchTheList guards the shortcut that counts the fixed lists
// from the store's counters instead of CountArticles.
func TestCountsMatchTheList(t *testing.T) {
	fx := newFixture(t)
	ctx := context.Background()
	press(t, fx.model(t, 80, 24), "j", "s", "m", "j", "m")
	for _, f := range []store.Filter{{}, {Unread: true}, {Starred: true}} {
		want, err := fx.store.CountArticles(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		got, err := countArticles(ctx, fx.store, f)
		if err != nil || got != want {
			t.Errorf("%+v: counters say %d (%v), CountArticles %d", f, got, err, want)
		}
	}
}

func TestKeysReadTogetherAreEachHandled(t *testing.T) {
	fx := newFixture(t)
	m := send(t, fx.model(t, 80, 24), tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("jjj")})
	if m.list.cursor != 3 {
		t.Errorf("\"jjj\" in one message: cursor %d, want 3", m.list.cursor)
	}
}

func TestEmptyLists(t *testing.T) {
	fx := newFixture(t)
	m := press(t, fx.model(t, 80, 24), "h", "j", "j", "enter") // Starred
	mustContain(t, m.View(), "No starred articles")
	m = press(t, m, "/", "z", "q", "x", "enter")
	mustContain(t, m.View(), "Nothing matches the search.")
	m = press(t, m, "esc", "h", "g", "j", "enter", "M")
	mustContain(t, m.View(), "No unread articles.", "marked 8 articles read")
}

// TestStoreErrorsReachTheStatusLine closes the store under the UI: every
// failure is a message in the status line, and optimistic changes are undone.
func TestStoreErrorsReachTheStatusLine(t *testing.T) {
	fx := newFixture(t)
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SyncFeeds(context.Background(), []store.FeedSpec{{URL: fx.srv.URL("/world.xml")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Refresh(context.Background(), newClient(), nil, nil); err != nil {
		t.Fatal(err)
	}
	m := New(Options{Store: st, Client: newClient(), Now: func() time.Time { return testNow }})
	m = send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	m = run(t, m, m.Init())
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		keys []string
		want string
	}{
		{[]string{"m"}, "saving:"},
		{[]string{"s"}, "saving:"},
		{[]string{"M"}, "marking read:"},
		{[]string{"enter"}, "opening article:"},
		{[]string{"esc", "/", "x", "enter"}, "reading articles:"},
		{[]string{"R"}, "refresh:"},
	}
	for _, s := range steps {
		m = press(t, m, s.keys...)
		if m.status.kind != statusError || !strings.Contains(m.status.text, s.want) {
			t.Errorf("%v: status %q, want an error with %q", s.keys, m.status.text, s.want)
		}
	}
	if r, _ := m.list.selected(); r.Read || r.Starred {
		t.Errorf("failed writes left the row changed: %+v", r)
	}
}
