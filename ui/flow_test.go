package ui

import (
	"context"
	"errors"
	osexec "os/exec"
	"slices"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/brief-reader/brief/store"
)

func TestNextAndPreviousArticle(t *testing.T) {
	fx := newFixture(t)
	m := openKremlin(t, fx, 80, 24)
	m = press(t, m, "n")
	if m.reader.id != fx.articleID(t, "60% of Europeans") || m.list.cursor != 2 || m.focus != paneReader {
		t.Errorf("n: %s", describe(m))
	}
	m = press(t, m, "p", "p")
	if m.reader.id != fx.articleID(t, "A new chip") || m.list.cursor != 0 {
		t.Errorf("p p: %s", describe(m))
	}
	m = press(t, m, "p")
	if m.reader.id != fx.articleID(t, "A new chip") || m.status.text != "this is the first article of the list" {
		t.Errorf("p at the top: %s", describe(m))
	}
	m = press(t, m, "G", "esc", "G", "enter", "n")
	if m.status.text != "this is the last article of the list" {
		t.Errorf("n at the end: %s", describe(m))
	}
}

func TestNextUnreadSkipsReadArticles(t *testing.T) {
	fx := newFixture(t)
	m := press(t, fx.model(t, 80, 24), "enter", "n", "p") // chip and Kremlin are read now
	if m.reader.id != fx.articleID(t, "A new chip") {
		t.Fatalf("setup: %s", describe(m))
	}
	m = press(t, m, "N")
	if m.reader.id != fx.articleID(t, "60% of Europeans") || m.list.cursor != 2 {
		t.Errorf("N skips the read Kremlin: %s", describe(m))
	}
	// From the list, N only moves the cursor.
	m = press(t, m, "esc", "g", "N")
	if m.focus != paneList || m.list.cursor != 3 {
		t.Errorf("N in the list: %s", describe(m))
	}
	// Every article read: N says so.
	if _, err := fx.store.MarkRead(context.Background(), store.Filter{}); err != nil {
		t.Fatal(err)
	}
	m = send(t, m, markedAllMsg{n: 8})
	m = press(t, m, "g", "N")
	if m.list.cursor != 0 || m.status.text != "no unread articles after this one" {
		t.Errorf("N with nothing unread: %s", describe(m))
	}
}

func TestNextUnreadLoadsPastTheWindow(t *testing.T) {
	fx := newFixture(t)
	m := fx.model(t, 80, 24)
	// A window of two rows: the next unread one is not loaded.
	m.list.rows = m.list.rows[:2]
	for i := range m.list.rows {
		m.list.rows[i].Read = true
	}
	m = press(t, m, "N")
	if m.list.cursor != 2 || m.list.pending != nil {
		t.Errorf("N past the loaded rows: %s pending %v", describe(m), m.list.pending)
	}
}

func TestSpaceAtTheEndGoesToTheNextUnread(t *testing.T) {
	fx := newFixture(t)
	m := openKremlin(t, fx, 80, 24)
	m = press(t, m, " ")
	if m.reader.id != fx.articleID(t, "Kremlin") || m.reader.vp.YOffset == 0 {
		t.Fatalf("space mid-article pages down: %s offset %d", describe(m), m.reader.vp.YOffset)
	}
	m = press(t, m, "G", " ")
	if m.reader.id != fx.articleID(t, "60% of Europeans") {
		t.Errorf("space at the end: %s", describe(m))
	}
	// pgdown at the end stays.
	m = press(t, m, "G", "pgdown")
	if m.reader.id != fx.articleID(t, "60% of Europeans") {
		t.Errorf("pgdown at the end moved on: %s", describe(m))
	}
}

func TestHalfPages(t *testing.T) {
	fx := newFixture(t)
	m := openKremlin(t, fx, 80, 24)
	h := m.reader.vp.Height
	m = press(t, m, "ctrl+d")
	if m.reader.vp.YOffset != h/2 {
		t.Errorf("ctrl+d: offset %d, want %d", m.reader.vp.YOffset, h/2)
	}
	if p := m.reader.scrollPosition(); !strings.HasSuffix(p, "%") || !strings.Contains(plain(m.View()), "article "+p) {
		t.Errorf("position %q not in the header:\n%s", p, plain(m.View()))
	}
	m = press(t, m, "ctrl+u")
	if m.reader.vp.YOffset != 0 || m.reader.scrollPosition() != "top" {
		t.Errorf("ctrl+u: offset %d position %q", m.reader.vp.YOffset, m.reader.scrollPosition())
	}
	m = press(t, m, "G")
	if m.reader.scrollPosition() != "end" {
		t.Errorf("G: position %q", m.reader.scrollPosition())
	}
	m = press(t, m, "esc", "ctrl+d")
	if m.list.cursor != 1+max(1, m.list.height/2) && m.list.cursor != m.list.total-1 {
		t.Errorf("ctrl+d in the list: %s", describe(m))
	}
}

func TestLinkScrolledAwayIsDropped(t *testing.T) {
	fx := newFixture(t)
	m := press(t, openKremlin(t, fx, 80, 24), "tab")
	if m.reader.selected == 0 {
		t.Fatalf("tab selected nothing: %s", describe(m))
	}
	m = press(t, m, "j")
	if m.reader.selected == 0 {
		t.Errorf("a step that keeps the link on screen dropped it: %s", describe(m))
	}
	m = press(t, m, "G")
	if m.reader.selected != 0 {
		t.Errorf("G kept a link out of sight: %s", describe(m))
	}
	before := m.reader.id
	m = press(t, m, "enter")
	if m.reader.id != before || m.reader.nav.canBack() {
		t.Errorf("enter followed an invisible link: %s", describe(m))
	}
	// The wheel too.
	m = press(t, m, "g", "tab")
	for range 10 {
		m = send(t, m, tea.MouseMsg{X: 10, Y: 5, Button: tea.MouseButtonWheelDown, Action: tea.MouseActionPress})
	}
	if m.reader.selected != 0 {
		t.Errorf("the wheel kept a link out of sight: %s", describe(m))
	}
}

func TestMarkAllAsksAndUndoes(t *testing.T) {
	fx := newFixture(t)
	ctx := context.Background()
	m := fx.model(t, 80, 8) // a screen of 6 rows, 8 articles
	m = press(t, m, "M")
	if !m.confirm.active || !strings.Contains(statusLine(m), "mark 8 articles in All read?") {
		t.Fatalf("M did not ask: %q", statusLine(m))
	}
	m = press(t, m, "n")
	if c, _ := fx.store.Counts(ctx); m.confirm.active || c.Unread != 8 || m.status.text != "cancelled: nothing was marked" {
		t.Errorf("n: active %v unread %d status %q", m.confirm.active, c.Unread, m.status.text)
	}
	m = press(t, m, "M", "y")
	if c, _ := fx.store.Counts(ctx); c.Unread != 0 || !strings.Contains(m.status.text, "u undoes") {
		t.Errorf("y: unread %d status %q", c.Unread, m.status.text)
	}
	m = press(t, m, "u")
	if c, _ := fx.store.Counts(ctx); c.Unread != 8 || m.feeds.unread() != 8 || m.status.text != "marked 8 articles unread again" {
		t.Errorf("u: unread %d (header %d) status %q", c.Unread, m.feeds.unread(), m.status.text)
	}
	// A screen's worth or less is marked at once.
	m = fx.model(t, 80, 24)
	m = press(t, m, "M")
	if c, _ := fx.store.Counts(ctx); m.confirm.active || c.Unread != 0 {
		t.Errorf("M on one screen: active %v unread %d", m.confirm.active, c.Unread)
	}
}

func TestUndoMarks(t *testing.T) {
	fx := newFixture(t)
	ctx := context.Background()
	m := fx.model(t, 80, 24)
	if m.keys.Undo.Enabled() {
		t.Error("u enabled with nothing to undo")
	}
	id := m.list.rows[0].ID
	m = press(t, m, "m", "s")
	if a, _ := fx.store.Article(ctx, id); !a.Read || !a.Starred || !m.keys.Undo.Enabled() {
		t.Fatalf("m s: read %v starred %v", a.Read, a.Starred)
	}
	m = press(t, m, "u")
	if a, _ := fx.store.Article(ctx, id); !a.Read || a.Starred || m.list.rows[0].Starred {
		t.Errorf("u after s: read %v starred %v", a.Read, a.Starred)
	}
	m = press(t, m, "u")
	if a, _ := fx.store.Article(ctx, id); a.Read || m.list.rows[0].Read {
		t.Errorf("u after m: read %v", a.Read)
	}
	m = press(t, m, "u")
	if m.status.text != "nothing to undo" {
		t.Errorf("u with nothing left: %q", m.status.text)
	}
}

func TestSortAndHideReadAreKept(t *testing.T) {
	fx := newFixture(t)
	var saved []View
	keep := func(o *Options) { o.SaveView = func(v View) error { saved = append(saved, v); return nil } }
	m := fx.model(t, 80, 24, keep)
	titles := rowTitles(m)
	m = press(t, m, "S")
	if got := rowTitles(m); got[0] != titles[len(titles)-1] || m.status.text != "sorted by date, oldest first" {
		t.Errorf("S: %q", got)
	}
	m = press(t, m, "S", "S")
	got := rowTitles(m)
	if !slices.IsSortedFunc(got, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) }) {
		t.Errorf("S S S: not by title: %q", got)
	}
	m = press(t, m, "g", "enter", "esc", "U")
	if len(m.list.rows) != len(titles)-1 || !strings.Contains(plain(m.View()), "read hidden") {
		t.Errorf("U: %d rows, want %d", len(m.list.rows), len(titles)-1)
	}
	if want := (View{Sort: store.SortTitle, HideRead: true}); len(saved) != 4 || saved[3] != want {
		t.Errorf("saved %+v, want 4 ending %+v", saved, want)
	}
	// The next run starts as this one ended.
	m = fx.model(t, 80, 24, func(o *Options) { o.View = saved[3] })
	if got := rowTitles(m); len(got) != len(titles)-1 || !slices.IsSortedFunc(got, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) }) {
		t.Errorf("restarted: %q", got)
	}
	// A failed save says so.
	m = fx.model(t, 80, 24, func(o *Options) { o.SaveView = func(View) error { return errors.New("disk full") } })
	m = press(t, m, "S")
	if !strings.Contains(m.status.text, "disk full") {
		t.Errorf("failed save: %q", m.status.text)
	}
}

func TestCopyURL(t *testing.T) {
	fx := newFixture(t)
	var copied []string
	m := fx.model(t, 80, 24, func(o *Options) { o.Copy = func(s string) error { copied = append(copied, s); return nil } })
	m = press(t, m, "y")
	if len(copied) != 1 || copied[0] != m.list.rows[0].URL || !strings.HasPrefix(m.status.text, "copied ") {
		t.Errorf("y in the list: %q status %q", copied, m.status.text)
	}
	m = press(t, m, "j", "enter", "tab", "y")
	if l, _ := m.reader.link(m.reader.selected); len(copied) != 2 || copied[1] != l.URL {
		t.Errorf("y on a link: %q, want %q", copied, l.URL)
	}
	m = fx.model(t, 80, 24)
	m = press(t, m, "y")
	if !strings.Contains(m.status.text, "no clipboard") {
		t.Errorf("y without a clipboard: %q", m.status.text)
	}
}

func TestTerminalBrowserGetsTheTerminal(t *testing.T) {
	fx := newFixture(t)
	var asked []string
	m := fx.model(t, 80, 24, func(o *Options) {
		o.TerminalBrowser = func(u string) (*osexec.Cmd, error) { asked = append(asked, u); return osexec.Command("true"), nil }
		o.OpenURL = func(string) error { t.Error("the graphical opener ran"); return nil }
	})
	m, cmd := sendOnly(t, m, keyMsg("o"))
	if len(asked) != 1 || asked[0] != m.list.rows[0].URL || cmd == nil {
		t.Errorf("o: asked %q", asked)
	}
}

func TestKeysFromTheDotfile(t *testing.T) {
	fx := newFixture(t)
	m := fx.model(t, 80, 24, func(o *Options) { o.Keys = map[string][]string{"next_article": {"J"}, "down": {"x", "down"}} })
	m = press(t, m, "x", "enter", "J")
	if m.reader.id != fx.articleID(t, "60% of Europeans") {
		t.Errorf("x enter J: %s", describe(m))
	}
	m = press(t, m, "n")
	if m.reader.id != fx.articleID(t, "60% of Europeans") {
		t.Errorf("n still moves: %s", describe(m))
	}
	m = press(t, m, "?")
	if v := plain(m.View()); !strings.Contains(v, "J next article") || !strings.Contains(v, "x/down") {
		t.Errorf("help does not show the keys in force:\n%s", v)
	}
	for _, tt := range []struct {
		table map[string][]string
		want  string
	}{
		{map[string][]string{"nxt": {"J"}}, `unknown action "nxt"`},
		{map[string][]string{"star": {"j"}}, `"j" is also the key of down`},
		{map[string][]string{"star": {"ctrl+"}}, `not a key brief knows`},
		{map[string][]string{"star": {}}, `star has no key`},
	} {
		ps := CheckKeys(tt.table)
		if len(ps) != 1 || !strings.Contains(ps[0].Msg, tt.want) {
			t.Errorf("CheckKeys(%v) = %+v, want %q", tt.table, ps, tt.want)
		}
	}
	if ps := CheckKeys(map[string][]string{"star": {"j"}, "down": {"x"}, "next_link": {"tab"}}); len(ps) != 0 {
		t.Errorf("a key moved away, or a shared default: %+v", ps)
	}
}

func TestSplitFrom120To149(t *testing.T) {
	fx := newFixture(t)
	for _, w := range []int{120, 135, 149} {
		m := fx.model(t, w, 40)
		_, lw, rw := m.layout()
		if rw != emptyReader || lw != w-1-emptyReader {
			t.Errorf("%d columns, nothing open: list %d reader %d", w, lw, rw)
		}
		m = press(t, m, "enter")
		_, lw, rw = m.layout()
		if rw < 60 || m.reader.width != rw || m.list.width != lw {
			t.Errorf("%d columns, article open: list %d reader %d (panes %d %d)", w, lw, rw, m.list.width, m.reader.width)
		}
	}
}

func TestLongStatusReadWhole(t *testing.T) {
	fx := newFixture(t)
	m := fx.model(t, 80, 24)
	long := "refresh: " + strings.Repeat("a very long reason ", 8) + "END"
	m.setError("%s", long)
	if line := statusLine(m); !strings.HasSuffix(line, wholeHint(m.keys)) {
		t.Errorf("cut status %q lacks the hint", line)
	}
	m = press(t, m, "e")
	if v := strings.Join(strings.Fields(plain(m.View())), " "); !strings.Contains(v, strings.Join(strings.Fields(long), " ")) {
		t.Errorf("errors view lacks the whole message:\n%s", plain(m.View()))
	}
}

func TestMessagesNameTheKeysInForce(t *testing.T) {
	fx := newFixture(t)
	m := fx.model(t, 80, 24, func(o *Options) {
		o.Keys = map[string][]string{"errors": {"E"}, "hide_read": {"H"}, "history_back": {"backspace"}}
	})
	m.setError("%s", strings.Repeat("a long reason ", 10))
	if line := statusLine(m); !strings.HasSuffix(line, " (E: whole)") {
		t.Errorf("status %q does not name E", line)
	}
	m = press(t, m, "H")
	if m.status.text != "read articles hidden (H shows them)" {
		t.Errorf("status %q does not name H", m.status.text)
	}
}

// The hints of the status line name the first key of each binding in force
// (issue 9 [keys]), not the default keys.
func TestHintsNameTheKeysInForce(t *testing.T) {
	fx := newFixture(t)
	m := fx.model(t, 160, 24, func(o *Options) {
		o.Keys = map[string][]string{"open": {"x"}, "search": {"i"}, "help": {"v"}, "back": {"Q"},
			"next_pane": {"t"}, "next_link": {"c"}, "follow": {"z"}, "open_browser": {"w"}}
	})
	if want := "x opens · i search · v help"; !strings.Contains(statusLine(m), want) {
		t.Errorf("list hint: status %q, want %q", statusLine(m), want)
	}
	m = press(t, m, "j", "x")
	if m.focus != paneReader || len(m.reader.links()) == 0 {
		t.Fatalf("x did not open an article with links (focus %v)", m.focus)
	}
	if got, want := m.hint(), "c selects a link · Q list · v help"; got != want {
		t.Errorf("reader hint %q, want %q", got, want)
	}
	m = press(t, m, "c")
	if got, want := m.hint(), "z follows · w browser"; got != want {
		t.Errorf("link hint %q, want %q", got, want)
	}
	m = press(t, m, "v")
	if got, want := m.hint(), "Q or v closes"; got != want {
		t.Errorf("help hint %q, want %q", got, want)
	}
}
