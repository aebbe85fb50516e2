package ui

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/internal/feedtest"
	"github.com/brief-reader/brief/store"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestMain(m *testing.M) {
	time.Local = time.UTC // dates in goldens do not depend on the machine
	code := m.Run()
	if seedPath != "" {
		if err := os.RemoveAll(filepath.Dir(seedPath)); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
	}
	os.Exit(code)
}

// testNow is the clock of every test: a little after the fixture articles.
var testNow = time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)

// fixture is a loopback server with the test feeds and pages, and a real
// store on a temporary file filled from it by a real refresh.
type fixture struct {
	srv   *feedtest.Server
	store *store.Store
	feeds map[string]int64 // feed title → id
}

// article dates, newest first.
func at(hoursAgo int) time.Time { return testNow.Add(-time.Duration(hoursAgo) * time.Hour) }

// worldBody is shaped like ../shared/examples/news-article.txt: "Read also"
// paragraphs in several languages pointing at a cached article (with a
// tracking parameter), a title-only line, a page in no feed, a missing page.
func worldBody(base string) string {
	return `<p>The United States received Russia’s response to Washington’s security proposals on Thursday, a senior
<a href="` + base + `/state/official">State Department official</a> said.</p>
<p>The Russian Foreign Ministry delivered a ten-page document, stating that the US “violated” Russia’s proposals.</p>
<p>Read also: <a href="` + base + `/tech/nato-poll?utm_source=rss&utm_medium=feed">60% of Europeans believe NATO should come to Ukraine’s defence, – poll</a></p>
<p>Three out of fifteen former Soviet republics have become members of NATO. Ukraine has close relations with the Alliance.</p>
<p>Read also: Russia stages pretext for attack after reports of multiple shelling incidents, – NATO</p>
<p>Читайте також: <a href="` + base + `/pages/analysis">Аналіз: що далі</a></p>
<p>Lesen Sie auch: <a href="` + base + `/missing">Ein fehlender Artikel</a></p>
<p>NATO Secretary-General Jens Stoltenberg reaffirmed Ukraine’s right to join NATO as outlined at the Bucharest summit in 2008.</p>`
}

const analysisPage = `<!doctype html><html><head><title>Analysis: what comes next</title>
<meta property="og:site_name" content="Analysis Weekly"></head><body>
<nav><a href="/">Home</a> <a href="/about">About</a></nav>
<article><h1>Analysis: what comes next</h1>
<p class="byline">By Olena Kovalenko</p>
<p>The standoff is likely to last for months, according to several diplomats who spoke on condition of anonymity.
Negotiations in Geneva produced few concrete results, and both sides prepared for a long winter.</p>
<p>Economists warn that energy prices will stay high as long as the uncertainty lasts, and that the pressure on
European households will grow. The governments of the region are preparing support packages.</p>
<p>Meanwhile the alliance keeps reinforcing its eastern flank with additional troops and equipment, a move that
Moscow called provocative. Analysts say the coming weeks will be decisive for the diplomatic track.</p>
</article><footer>© Analysis Weekly</footer></body></html>`

// newFixture serves a world feed (with the "Read also" article), a tech feed
// (the cached targets) and a science feed with two similar titles, and fills
// a new store from them.
func newFixture(t testing.TB) *fixture {
	t.Helper()
	srv := feedtest.New(t)
	base := srv.URL("")
	base = strings.TrimSuffix(base, "/")
	world := []feedtest.Item{
		{GUID: "w1", Title: "Kremlin won’t withdraw troops, – Biden receives Putin’s response", Link: base + "/world/kremlin",
			Description: worldBody(base), Author: "news@world.test (Kyiv Desk)", Published: at(2)},
		{GUID: "w2", Title: "Ceasefire talks resume in Geneva", Link: base + "/world/geneva",
			Description: "<p>Talks resumed on Monday. <a href=\"" + base + "/world/kremlin\">Earlier report</a>.</p>", Published: at(30)},
		{GUID: "w3", Title: "Grain exports reach a record", Link: base + "/world/grain",
			Description: "<p>Exports of grain reached a record in February.</p>", Published: at(24 * 12)},
	}
	tech := []feedtest.Item{
		{GUID: "t1", Title: "60% of Europeans believe NATO should come to Ukraine’s defence if Russia invades, – poll",
			Link: base + "/tech/nato-poll", Description: "<p>A new poll shows broad support. <a href=\"" + base + "/world/kremlin\">Context</a>.</p>", Published: at(5)},
		{GUID: "t2", Title: "Russia stages pretext for attack after reports of multiple shelling incidents, – NATO",
			Link: base + "/tech/pretext", Description: "<p>NATO says Russia is trying to stage a pretext.</p>", Published: at(6)},
		{GUID: "t3", Title: "A new chip doubles battery life", Link: base + "/tech/chip",
			Description: "<p>The chip uses a new process.</p>", Published: at(0)},
	}
	science := []feedtest.Item{
		{GUID: "s1", Title: "Election results announced in Poland", Link: base + "/science/poland",
			Description: "<p>Results.</p><p>Read also: Election results announced</p>", Published: at(40)},
		{GUID: "s2", Title: "Election results announced in Germany", Link: base + "/science/germany",
			Description: "<p>Results too.</p>", Published: at(41)},
	}
	srv.Set("/world.xml", feedtest.RSS("World News", base+"/world", world), "")
	srv.Set("/tech.xml", feedtest.RSS("Tech Daily", base+"/tech", tech), "")
	srv.Set("/science.xml", feedtest.RSS("Science", base+"/science", science), "")
	srv.Set("/pages/analysis", []byte(analysisPage), "text/html; charset=utf-8")

	st := openStore(t, filepath.Join(t.TempDir(), "brief.db"))
	ctx := context.Background()
	specs := []store.FeedSpec{
		{URL: srv.URL("/world.xml"), Tags: []string{"world"}},
		{URL: srv.URL("/tech.xml"), Tags: []string{"tech"}},
		{URL: srv.URL("/science.xml"), Title: "Science & Politics", Tags: []string{"science", "world"}},
	}
	if err := st.SyncFeeds(ctx, specs); err != nil {
		t.Fatalf("SyncFeeds: %v", err)
	}
	sum, err := st.Refresh(ctx, newClient(), nil, nil)
	if err != nil || sum.Failed > 0 {
		t.Fatalf("Refresh: %v %+v", err, sum)
	}
	fx := &fixture{srv: srv, store: st, feeds: map[string]int64{}}
	feeds, err := st.Feeds(ctx)
	if err != nil {
		t.Fatalf("Feeds: %v", err)
	}
	for _, f := range feeds {
		fx.feeds[f.Title] = f.ID
	}
	return fx
}

func openStore(t testing.TB, path string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return st
}

func newClient() *feed.Client {
	return feed.NewClient(feed.Options{Timeout: 5 * time.Second})
}

// articleID finds a cached article by the start of its title.
func (fx *fixture) articleID(t testing.TB, title string) int64 {
	t.Helper()
	rows, err := fx.store.Articles(context.Background(), store.Filter{}, 0, 1000)
	if err != nil {
		t.Fatalf("Articles: %v", err)
	}
	for _, r := range rows {
		if strings.HasPrefix(r.Title, title) {
			return r.ID
		}
	}
	t.Fatalf("no article titled %q", title)
	return 0
}

// testModel is a Model on the fixture's store, sized and loaded.
func (fx *fixture) model(t testing.TB, w, h int, opts ...func(*Options)) Model {
	t.Helper()
	o := Options{Store: fx.store, Client: newClient(), Dark: true, Now: func() time.Time { return testNow }}
	for _, f := range opts {
		f(&o)
	}
	m := New(o)
	m = send(t, m, tea.WindowSizeMsg{Width: w, Height: h})
	return run(t, m, m.Init())
}

// send gives msg to Update and runs the returned commands to completion.
func send(t testing.TB, m Model, msg tea.Msg) Model {
	t.Helper()
	next, cmd := m.Update(msg)
	return run(t, next.(Model), cmd)
}

// sendOnly gives msg to Update and returns the model and its command, unrun.
func sendOnly(t testing.TB, m Model, msg tea.Msg) (Model, tea.Cmd) {
	t.Helper()
	next, cmd := m.Update(msg)
	return next.(Model), cmd
}

// run executes cmd (and what the messages it produces return) synchronously,
// feeding every message to Update. Spinner ticks are dropped so the loop ends;
// a command that blocks for long (a timer) fails the test.
func run(t testing.TB, m Model, cmd tea.Cmd) Model {
	t.Helper()
	queue := []tea.Cmd{cmd}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 10000 {
			t.Fatalf("run: too many commands")
		}
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := exec(t, c)
		switch msg := msg.(type) {
		case nil, spinner.TickMsg, tea.QuitMsg:
			continue
		case tea.BatchMsg:
			queue = append(queue, msg...)
			continue
		}
		next, more := m.Update(msg)
		m = next.(Model)
		queue = append(queue, more)
	}
	return m
}

func exec(t testing.TB, c tea.Cmd) tea.Msg {
	t.Helper()
	done := make(chan tea.Msg, 1)
	go func() { done <- c() }()
	select {
	case msg := <-done:
		return msg
	case <-time.After(10 * time.Second):
		t.Fatalf("run: a command blocked for 10s")
	}
	return nil
}

// collect runs cmd and returns the messages it produces, without Update.
func collect(t testing.TB, cmd tea.Cmd) []tea.Msg {
	t.Helper()
	var out []tea.Msg
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := exec(t, c).(type) {
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case nil:
		default:
			out = append(out, msg)
		}
	}
	return out
}

// keyMsg turns "j", "enter", "shift+tab", "ctrl+c"… into a tea.KeyMsg.
func keyMsg(k string) tea.KeyMsg {
	special := map[string]tea.KeyType{
		"enter": tea.KeyEnter, "esc": tea.KeyEsc, "tab": tea.KeyTab, "shift+tab": tea.KeyShiftTab,
		"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
		"pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown, "home": tea.KeyHome, "end": tea.KeyEnd,
		"backspace": tea.KeyBackspace, "ctrl+c": tea.KeyCtrlC, " ": tea.KeySpace,
		"ctrl+d": tea.KeyCtrlD, "ctrl+u": tea.KeyCtrlU,
	}
	if t, ok := special[k]; ok {
		return tea.KeyMsg{Type: t}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// press sends keys one after the other, running what they return.
func press(t testing.TB, m Model, keys ...string) Model {
	t.Helper()
	for _, k := range keys {
		m = send(t, m, keyMsg(k))
	}
	return m
}

// plain is a view with ANSI sequences removed and trailing spaces trimmed.
func plain(s string) string {
	lines := strings.Split(ansi.Strip(s), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// golden compares got with testdata/name.golden (rewritten with -update).
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading golden (run go test ./ui -update): %v", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from %s (go test ./ui -update rewrites it)\ngot:\n%s\nwant:\n%s", name, path, got, want)
	}
}

// checkSize fails when a view is not exactly w×h cells.
func checkSize(t testing.TB, view string, w, h int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) != h {
		t.Errorf("view has %d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if got := ansi.StringWidth(l); got != w {
			t.Errorf("line %d is %d cells wide, want %d: %q", i, got, w, ansi.Strip(l))
		}
	}
}

func mustContain(t testing.TB, view string, wants ...string) {
	t.Helper()
	p := plain(view)
	for _, w := range wants {
		if !strings.Contains(p, w) {
			t.Errorf("view lacks %q:\n%s", w, p)
		}
	}
}

func rowTitles(m Model) []string {
	var out []string
	for _, r := range m.list.rows {
		out = append(out, r.Title)
	}
	return out
}

func describe(m Model) string {
	return fmt.Sprintf("focus=%d overlay=%d cursor=%d total=%d reader=%d sel=%d status=%q",
		m.focus, m.overlay, m.list.cursor, m.list.total, m.reader.id, m.reader.selected, m.status.text)
}

// ref is a pointer to a copy of v (for the panes' shared styles).
func ref[T any](v T) *T { return &v }
