package ui

import (
	"context"
	"strconv"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/brief-reader/brief/internal/feedtest"
	"github.com/brief-reader/brief/store"
)

// openKremlin opens the fixture's "Read also" article in the reader.
func openKremlin(t *testing.T, fx *fixture, w, h int, opts ...func(*Options)) Model {
	t.Helper()
	m := press(t, fx.model(t, w, h, opts...), "j", "enter")
	if m.reader.id != fx.articleID(t, "Kremlin") || m.reader.doc == nil {
		t.Fatalf("Kremlin not open: %s", describe(m))
	}
	return m
}

func TestReaderScrollKeys(t *testing.T) {
	fx := newFixture(t)
	m := openKremlin(t, fx, 80, 24)
	total, height := m.reader.vp.TotalLineCount(), m.reader.vp.Height
	if total <= height {
		t.Fatalf("article fits the screen (%d lines in %d): the test needs it to scroll", total, height)
	}
	bottom := total - height
	tests := []struct {
		keys []string
		want int
	}{
		{[]string{"j"}, 1},
		{[]string{"down", "down"}, 2},
		{[]string{"j", "j", "k"}, 1},
		{[]string{"j", "up"}, 0},
		{[]string{"G"}, bottom},
		{[]string{"end"}, bottom},
		{[]string{"G", "g"}, 0},
		{[]string{"G", "home"}, 0},
		{[]string{" "}, min(height, bottom)},
		{[]string{"pgdown"}, min(height, bottom)},
		{[]string{"G", "pgup"}, max(0, bottom-height)},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.keys, ","), func(t *testing.T) {
			got := press(t, m, tt.keys...)
			if got.reader.vp.YOffset != tt.want {
				t.Errorf("offset: got %d, want %d", got.reader.vp.YOffset, tt.want)
			}
			if got.focus != paneReader || got.list.cursor != 1 {
				t.Errorf("scrolling the reader moved something else: %s", describe(got))
			}
		})
	}
}

func TestReaderShowsLinksAndReadAlsoBlock(t *testing.T) {
	fx := newFixture(t)
	m := openKremlin(t, fx, 80, 24)
	d := m.reader.doc
	for n := 1; n <= 5; n++ {
		if _, ok := d.markers[n]; !ok {
			t.Errorf("no marker found for link [%d]", n)
		}
	}
	text := plain(strings.Join(d.lines, "\n"))
	for _, want := range []string{
		"Linked from 2 articles · b to pick",
		"Read also  (1-9 follows)",
		"1  60% of Europeans believe NATO",
		"cached",
		"3  Аналіз: що далі",
		"will fetch",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("document lacks %q:\n%s", want, text)
		}
	}
	// Each marker found is really "[N]" at the recorded cells.
	for n, p := range d.markers {
		line := []rune(plain(d.base[p.line]))
		if got := string(line[p.col : p.col+p.width]); got != "["+strconv.Itoa(n)+"]" {
			t.Errorf("marker %d at %+v reads %q", n, p, got)
		}
	}
}

func TestLinkSelection(t *testing.T) {
	fx := newFixture(t)
	m := openKremlin(t, fx, 80, 24)
	m = press(t, m, "tab")
	if m.reader.selected != 1 {
		t.Fatalf("tab: selected %d, want 1", m.reader.selected)
	}
	mustContain(t, m.View(), "→ [1] "+fx.srv.URL("/state/official"))
	m = press(t, m, "tab", "tab", "tab", "tab")
	if m.reader.selected != 5 {
		t.Fatalf("tab×5: selected %d, want 5", m.reader.selected)
	}
	// The selected marker is scrolled into view.
	p := m.reader.doc.markers[5]
	if p.line < m.reader.vp.YOffset || p.line >= m.reader.vp.YOffset+m.reader.vp.Height {
		t.Errorf("marker 5 (line %d) not in view (offset %d, height %d)", p.line, m.reader.vp.YOffset, m.reader.vp.Height)
	}
	mustContain(t, m.View(), "→ [5] "+fx.srv.URL("/missing"))
	m = press(t, m, "tab")
	if m.reader.selected != 1 {
		t.Errorf("tab wraps: selected %d, want 1", m.reader.selected)
	}
	m = press(t, m, "shift+tab")
	if m.reader.selected != 5 {
		t.Errorf("shift+tab wraps back: selected %d, want 5", m.reader.selected)
	}
	m = press(t, m, "shift+tab")
	if m.reader.selected != 4 {
		t.Errorf("shift+tab: selected %d, want 4", m.reader.selected)
	}
	// A title-only link shows what it will look for.
	m = press(t, m, "shift+tab")
	mustContain(t, m.View(), "→ [3] by title: “Russia stages pretext")
}

func TestSelectionHighlightsOnlyTheMarker(t *testing.T) {
	fx := newFixture(t)
	st := NewStyles(true, true) // reverse video marks the selection without colour
	m := openKremlin(t, fx, 80, 24, func(o *Options) { o.NoColor = true })
	m = press(t, m, "tab", "tab")
	lines := m.reader.doc.withSelection(2)
	p := m.reader.doc.markers[2]
	want := st.SelectedMarker.Render("[2]")
	if !strings.Contains(lines[p.line], want) {
		t.Errorf("line %d lacks the highlighted marker %q: %q", p.line, want, lines[p.line])
	}
	if plain(lines[p.line]) != plain(m.reader.doc.base[p.line]) {
		t.Errorf("highlighting changed the text:\n%q\n%q", plain(lines[p.line]), plain(m.reader.doc.base[p.line]))
	}
}

func TestFollowFromCache(t *testing.T) {
	fx := newFixture(t)
	m := openKremlin(t, fx, 80, 24)
	before := fx.srv.Total().Requests
	m = press(t, m, "tab", "tab", "enter") // [2], the NATO poll, with utm_ parameters
	target := fx.articleID(t, "60% of Europeans")
	if m.reader.id != target {
		t.Fatalf("enter on [2]: %s, want article %d", describe(m), target)
	}
	if got := fx.srv.Total().Requests; got != before {
		t.Errorf("a cached link made %d requests", got-before)
	}
	mustContain(t, m.View(), "[2] from cache", "60% of Europeans believe NATO")
	if a, _ := fx.store.Article(context.Background(), target); !a.Read {
		t.Errorf("following did not mark the target read")
	}
}

func TestFollowReadAlsoDigits(t *testing.T) {
	fx := newFixture(t)
	tests := []struct {
		key    string
		target string
		status string
	}{
		{"1", "60% of Europeans", "[2] from cache"},
		{"2", "Russia stages pretext", "[3] matched by title in the cache"},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			m := press(t, openKremlin(t, fx, 80, 24), tt.key)
			if want := fx.articleID(t, tt.target); m.reader.id != want {
				t.Fatalf("%s: %s, want %d", tt.key, describe(m), want)
			}
			mustContain(t, m.View(), tt.status)
		})
	}
	m := press(t, openKremlin(t, fx, 80, 24), "9")
	if m.reader.id != fx.articleID(t, "Kremlin") {
		t.Errorf("9 (no such read-also link) moved: %s", describe(m))
	}
}

func TestFollowByNumber(t *testing.T) {
	fx := newFixture(t)
	for _, k := range []string{"f", "#"} {
		t.Run(k, func(t *testing.T) {
			m := press(t, openKremlin(t, fx, 80, 24), k)
			if !m.num.active {
				t.Fatalf("%s did not start the number prompt", k)
			}
			m = press(t, m, "2")
			mustContain(t, m.View(), "follow link number: 2")
			m = press(t, m, "enter")
			if want := fx.articleID(t, "60% of Europeans"); m.reader.id != want || m.num.active {
				t.Errorf("%s 2 enter: %s, want article %d", k, describe(m), want)
			}
		})
	}
	m := press(t, openKremlin(t, fx, 80, 24), "f", "4", "2", "backspace", "backspace", "9", "enter")
	if !strings.Contains(m.status.text, "no link [9]") {
		t.Errorf("f 9: status %q", m.status.text)
	}
	m = press(t, m, "f", "1", "esc")
	if m.num.active || m.reader.id != fx.articleID(t, "Kremlin") {
		t.Errorf("esc did not cancel: %s", describe(m))
	}
}

func TestFollowFetchesInReaderMode(t *testing.T) {
	fx := newFixture(t)
	m := openKremlin(t, fx, 80, 24)
	from := m.reader.id
	m, cmd := sendOnly(t, m, keyMsg("3")) // [4] Аналіз: a page in no feed
	msgs := collect(t, cmd)
	var need *linkNeedsFetchMsg
	for _, msg := range msgs {
		if n, ok := msg.(linkNeedsFetchMsg); ok {
			need = &n
		}
	}
	if need == nil {
		t.Fatalf("following an uncached link gave %#v, want linkNeedsFetchMsg", msgs)
	}
	m, cmd = sendOnly(t, m, *need)
	if m.reader.nav.fetching == "" {
		t.Fatal("no fetch under way")
	}
	mustContain(t, m.View(), "fetching 127.0.0.1", "/pages/analysis in reader mode")
	m = run(t, m, cmd)
	row, err := fx.store.ArticleByURL(context.Background(), fx.srv.URL("/pages/analysis"))
	if err != nil {
		t.Fatalf("page not cached: %v", err)
	}
	if m.reader.id != row.ID || row.FeedID != 0 {
		t.Fatalf("got %s, want the linked page %d (feed 0, got %d)", describe(m), row.ID, row.FeedID)
	}
	mustContain(t, m.View(), "fetched in reader mode", "Analysis: what comes next", "The standoff is likely")
	a, err := fx.store.Article(context.Background(), row.ID)
	if err != nil || a.LinkedFrom != from || !a.Read {
		t.Errorf("linked page: from %d read %t (%v), want from %d and read", a.LinkedFrom, a.Read, err, from)
	}
	// The page is in no feed's list.
	if n, _ := fx.store.CountArticles(context.Background(), store.Filter{}); n != 8 {
		t.Errorf("the list has %d articles, want 8", n)
	}
	// Back, then again: now from the cache, without a request.
	m = press(t, m, "backspace")
	before := fx.srv.Stats("/pages/analysis").Requests
	m = press(t, m, "3")
	if m.reader.id != row.ID || fx.srv.Stats("/pages/analysis").Requests != before {
		t.Errorf("second follow: %s, %d new requests", describe(m), fx.srv.Stats("/pages/analysis").Requests-before)
	}
	mustContain(t, m.View(), "[4] from cache")
}

func TestFollowFailureSays404AndOffersTheBrowser(t *testing.T) {
	fx := newFixture(t)
	var opened []string
	m := openKremlin(t, fx, 80, 24, func(o *Options) {
		o.OpenURL = func(u string) error { opened = append(opened, u); return nil }
	})
	from := m.reader.id
	m = press(t, m, "4") // [5], the missing page
	if m.reader.id != from {
		t.Fatalf("a failed follow moved: %s", describe(m))
	}
	if m.status.kind != statusError || !strings.Contains(m.status.text, "404") ||
		!strings.Contains(m.status.text, "o opens it in the browser") {
		t.Errorf("status %q, want the 404 and the browser hint", m.status.text)
	}
	if m.reader.selected != 5 || m.reader.nav.fetching != "" {
		t.Errorf("selected %d fetching %q, want 5 and nothing", m.reader.selected, m.reader.nav.fetching)
	}
	m = press(t, m, "o")
	if len(opened) != 1 || opened[0] != fx.srv.URL("/missing") {
		t.Errorf("o after the failure opened %q", opened)
	}
}

func TestFollowOfflineSays(t *testing.T) {
	fx := newFixture(t)
	m := openKremlin(t, fx, 80, 24)
	m.fetcher, m.reader.fetcher = nil, nil
	m = press(t, m, "3")
	if !strings.Contains(m.status.text, "not cached and brief is offline") {
		t.Errorf("status %q", m.status.text)
	}
}

// TestTitleOnlyLinkWaitsForARefresh: a "Read also" title that only shares
// words with cached articles is not in the cache: 1 says so and offers
// nothing; the block says "waiting" until a refresh brings the article,
// then "cached", without reopening the article.
func TestTitleOnlyLinkWaitsForARefresh(t *testing.T) {
	fx := newFixture(t)
	m := press(t, fx.model(t, 80, 24), "j", "j", "j", "j", "j", "enter") // Election … in Poland
	if !strings.HasPrefix(m.reader.article.Title, "Election results announced in Poland") {
		t.Fatalf("opened %q", m.reader.article.Title)
	}
	poland := m.reader.id
	if got := readAlsoLine(m, "1"); !strings.Contains(got, "Election results announced") || !strings.Contains(got, "waiting") {
		t.Errorf("block before: %q", got)
	}
	m = press(t, m, "1") // "Read also: Election results announced"
	if m.overlay != overlayNone || m.reader.id != poland {
		t.Fatalf("1 offered something: %s", describe(m))
	}
	if want := "[1] not in the cache yet: it will be followed when a refresh brings it"; m.status.text != want {
		t.Errorf("status %q, want %q", m.status.text, want)
	}
	base := strings.TrimSuffix(fx.srv.URL(""), "/")
	fx.srv.Set("/science.xml", feedtest.RSS("Science", base+"/science", []feedtest.Item{
		{GUID: "s1", Title: "Election results announced in Poland", Link: base + "/science/poland",
			Description: "<p>Results.</p><p>Read also: Election results announced</p>", Published: at(40)},
		{GUID: "s2", Title: "Election results announced in Germany", Link: base + "/science/germany",
			Description: "<p>Results too.</p>", Published: at(41)},
		{GUID: "s3", Title: "Election results announced", Link: base + "/science/results",
			Description: "<p>The results.</p>", Published: at(42)},
	}), "")
	m = press(t, m, "R")
	if m.reader.id != poland {
		t.Fatalf("the refresh moved the reader: %s", describe(m))
	}
	if got := readAlsoLine(m, "1"); !strings.Contains(got, "cached") {
		t.Errorf("block after the refresh: %q", got)
	}
	m = press(t, m, "1")
	if m.reader.article.Title != "Election results announced" || m.status.text != "[1] matched by title in the cache" {
		t.Errorf("after the refresh 1 opens %q (%q)", m.reader.article.Title, m.status.text)
	}
}

func TestHistoryRestoresScrollAndSelection(t *testing.T) {
	fx := newFixture(t)
	m := openKremlin(t, fx, 80, 24)
	kremlin := m.reader.id
	m = press(t, m, "j", "j", "j", "tab", "tab") // scrolled, [2] selected
	y, sel := m.reader.vp.YOffset, m.reader.selected
	if sel != 2 {
		t.Fatalf("selected %d", sel)
	}
	m = press(t, m, "enter")
	poll := m.reader.id
	m = press(t, m, "j")
	for _, k := range []string{"backspace", "H"} {
		t.Run(k, func(t *testing.T) {
			b := press(t, m, k)
			if b.reader.id != kremlin || b.reader.vp.YOffset != y || b.reader.selected != sel {
				t.Fatalf("%s: article %d offset %d selected %d; want %d %d %d",
					k, b.reader.id, b.reader.vp.YOffset, b.reader.selected, kremlin, y, sel)
			}
			f := press(t, b, "L")
			if f.reader.id != poll || f.reader.vp.YOffset != m.reader.vp.YOffset {
				t.Errorf("L: article %d offset %d; want %d %d", f.reader.id, f.reader.vp.YOffset, poll, m.reader.vp.YOffset)
			}
			if len(f.reader.nav.fwd) != 0 || len(f.reader.nav.back) != 1 {
				t.Errorf("L: history back %d fwd %d", len(f.reader.nav.back), len(f.reader.nav.fwd))
			}
		})
	}
	// esc still returns to the list, and the history survives it.
	m = press(t, m, "esc")
	if m.focus != paneList {
		t.Fatalf("esc: %s", describe(m))
	}
	m = press(t, m, "H")
	if m.reader.id != kremlin || m.focus != paneReader {
		t.Errorf("H from the list: %s", describe(m))
	}
	m = press(t, m, "H") // nothing further back: the binding is off
	if m.reader.id != kremlin || m.keys.HistoryBack.Enabled() {
		t.Errorf("H at the start: %s", describe(m))
	}
}

func TestBacklinks(t *testing.T) {
	fx := newFixture(t)
	m := openKremlin(t, fx, 80, 24)
	if len(m.reader.backlinks) != 2 {
		t.Fatalf("backlinks: %d, want 2 (Geneva and the poll link here)", len(m.reader.backlinks))
	}
	m = press(t, m, "b")
	if m.overlay != overlayPicker {
		t.Fatalf("b: %s", describe(m))
	}
	mustContain(t, m.View(), "Linked from 2 articles")
	want := m.picker.rows[0].ID
	m = press(t, m, "enter")
	if m.reader.id != want || len(m.reader.nav.back) != 1 {
		t.Errorf("enter: %s back %d", describe(m), len(m.reader.nav.back))
	}
}

func TestReaderToggleAndStar(t *testing.T) {
	fx := newFixture(t)
	m := openKremlin(t, fx, 80, 24)
	id := m.reader.id
	m = press(t, m, "m")
	if a, _ := fx.store.Article(context.Background(), id); a.Read || m.reader.article.Read {
		t.Errorf("m in the reader: still read")
	}
	m = press(t, m, "s")
	if a, _ := fx.store.Article(context.Background(), id); !a.Starred {
		t.Errorf("s in the reader: not starred")
	}
	mustContain(t, m.View(), "★ starred")
}

func TestRefreshThisFeed(t *testing.T) {
	fx := newFixture(t)
	m := openKremlin(t, fx, 80, 24)
	world, tech := fx.srv.Stats("/world.xml").Requests, fx.srv.Stats("/tech.xml").Requests
	m = press(t, m, "r")
	if fx.srv.Stats("/world.xml").Requests != world+1 || fx.srv.Stats("/tech.xml").Requests != tech {
		t.Errorf("r in the reader refreshed the wrong feeds")
	}
	mustContain(t, m.View(), "0 new · 0 failed")
	// In the chooser, r on a tag refreshes its feeds.
	m = press(t, m, "esc", "h", "g", "j", "j", "j") // #science
	if got := m.feeds.selected().label; got != "#science" {
		t.Fatalf("cursor on %q", got)
	}
	sci := fx.srv.Stats("/science.xml").Requests
	m = press(t, m, "r")
	if fx.srv.Stats("/science.xml").Requests != sci+1 || fx.srv.Stats("/tech.xml").Requests != tech {
		t.Errorf("r on #science refreshed the wrong feeds")
	}
}

func TestMouse(t *testing.T) {
	fx := newFixture(t)
	m := fx.model(t, 160, 20)
	fw, lw, _ := m.layout()
	wheel := func(x int, b tea.MouseButton) tea.MouseMsg {
		return tea.MouseMsg{X: x, Y: 5, Button: b, Action: tea.MouseActionPress}
	}
	m = send(t, m, wheel(fw+5, tea.MouseButtonWheelDown))
	if m.list.cursor != 3 {
		t.Errorf("wheel down on the list: cursor %d", m.list.cursor)
	}
	m = send(t, m, tea.MouseMsg{X: fw + 5, Y: 2, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress})
	if m.list.cursor != 1 || m.focus != paneList {
		t.Errorf("click on the second row: %s", describe(m))
	}
	m = press(t, m, "enter")
	m = send(t, m, wheel(fw+lw+10, tea.MouseButtonWheelDown))
	if m.reader.vp.YOffset != 3 {
		t.Errorf("wheel on the reader: offset %d", m.reader.vp.YOffset)
	}
	m = send(t, m, wheel(fw+lw+10, tea.MouseButtonWheelUp))
	if m.reader.vp.YOffset != 0 {
		t.Errorf("wheel up on the reader: offset %d", m.reader.vp.YOffset)
	}
	// A click on the chooser applies the entry.
	m = send(t, m, tea.MouseMsg{X: 3, Y: 3, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress})
	if m.feeds.active.kind != choiceStarred || !m.list.filter.Starred {
		t.Errorf("click on Starred: active %+v filter %+v", m.feeds.active, m.list.filter)
	}
}

func TestReopeningKeepsThePositionNotTheLink(t *testing.T) {
	fx := newFixture(t)
	m := press(t, openKremlin(t, fx, 80, 24), "j", "j", "tab", "esc", "enter")
	if m.focus != paneReader || m.reader.vp.YOffset != 2 || m.reader.selected != 0 {
		t.Errorf("enter on the open article: %s offset %d", describe(m), m.reader.vp.YOffset)
	}
}
