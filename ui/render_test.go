package ui

import (
	"strconv"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/store"
)

// renderMsgs runs cmd and returns the render replies it produced.
func renderMsgs(t *testing.T, cmd tea.Cmd) []articleRenderedMsg {
	t.Helper()
	var out []articleRenderedMsg
	for _, msg := range collect(t, cmd) {
		if r, ok := msg.(articleRenderedMsg); ok {
			out = append(out, r)
		}
	}
	return out
}

func TestStaleRendersAreDropped(t *testing.T) {
	fx := newFixture(t)
	m := fx.model(t, 80, 24)
	m = press(t, m, "j")
	// Open the article, but hold its messages back.
	m, cmd := sendOnly(t, m, keyMsg("enter"))
	var loaded articleLoadedMsg
	for _, msg := range collect(t, cmd) {
		if l, ok := msg.(articleLoadedMsg); ok {
			loaded = l
		}
	}
	m, cmd = sendOnly(t, m, loaded)
	old := renderMsgs(t, cmd)
	if len(old) != 1 || old[0].key.width != 80 {
		t.Fatalf("renders for width 80: %+v", old)
	}
	// The terminal grows before the render arrives.
	m, cmd = sendOnly(t, m, tea.WindowSizeMsg{Width: 100, Height: 30})
	fresh := renderMsgs(t, cmd)
	if len(fresh) != 1 || fresh[0].key.width != 100 {
		t.Fatalf("resize did not ask for a render at 100: %+v", fresh)
	}
	m, _ = sendOnly(t, m, old[0])
	if m.reader.doc != nil {
		t.Fatalf("a render for width 80 was shown at width 100")
	}
	// A render of another article is dropped too.
	other := old[0]
	other.key.id = 999
	other.key.width = 100
	m, _ = sendOnly(t, m, other)
	if m.reader.doc != nil {
		t.Fatalf("a render of another article was shown")
	}
	m, _ = sendOnly(t, m, fresh[0])
	if m.reader.doc == nil || m.reader.doc.key.width != 100 {
		t.Fatalf("the current render was not shown")
	}
	checkSize(t, m.View(), 100, 30)
}

func TestResizeRerendersAndCaches(t *testing.T) {
	fx := newFixture(t)
	m := press(t, fx.model(t, 80, 24), "j", "enter")
	first := m.reader.doc
	m = send(t, m, tea.WindowSizeMsg{Width: 90, Height: 24})
	if m.reader.doc.key.width != 90 {
		t.Fatalf("width after resize: %d", m.reader.doc.key.width)
	}
	for i, l := range m.reader.doc.lines {
		if w := ansi.StringWidth(l); w > 90 {
			t.Errorf("line %d is %d cells at width 90", i, w)
		}
	}
	// Back to 80: the render comes from the cache, no command.
	m, cmd := sendOnly(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	if len(renderMsgs(t, cmd)) != 0 || m.reader.doc != first {
		t.Errorf("going back to width 80 rendered again instead of using the cache")
	}
	// Wide layout: the reader gets the rest of the width.
	m = send(t, m, tea.WindowSizeMsg{Width: 160, Height: 48})
	_, _, rw := m.layout()
	if m.reader.doc.key.width != rw {
		t.Errorf("wide: rendered at %d, reader is %d", m.reader.doc.key.width, rw)
	}
	checkSize(t, m.View(), 160, 48)
}

func TestRenderKeyFollowsTheme(t *testing.T) {
	in := renderInput{article: store.Article{ArticleRow: store.ArticleRow{ID: 1}}, width: 80, style: "dark"}
	light := in
	light.style = "light"
	if in.key() == light.key() {
		t.Errorf("dark and light renders share a cache key")
	}
	cached := in
	cached.targets = map[int]store.LinkTarget{2: {ArticleRow: store.ArticleRow{ID: 7}}}
	if in.key() == cached.key() {
		t.Errorf("a newly cached link target does not change the key")
	}
}

// A "[N]" written in the article's text or code is not link N's marker:
// markers are placed by link identity (issue 9, issue 12 item 2).
func TestMarkersAreFoundByIdentity(t *testing.T) {
	body := feed.ConvertHTML(`<p>Your bank: https://bank.example [1] and a stray [2] and [3] first, <code>xs[2] = 0</code>.</p>`+
		`<p>Then <a href="http://evil.example/1">text</a> and <a href="https://a.example/2">more</a> and <a href="https://a.example/3">the end</a>.</p>`,
		"https://a.example/")
	in := renderInput{
		article: store.Article{ArticleRow: store.ArticleRow{ID: 1, Title: "T"}, Markdown: body.Markdown, Links: body.Links},
		width:   80, style: "notty", styles: NewStyles(true, false), hyperlinks: true,
	}
	d := renderArticle(in)
	line := -1
	for i, l := range d.base {
		if strings.Contains(l, "Then text") {
			line = i
		}
	}
	for n := 1; n <= 3; n++ {
		if p := d.markers[n]; p.line != line {
			t.Errorf("[%d] found on line %d, want %d (the stray markers come first)", n, p.line, line)
		}
	}
	for i, l := range d.lines {
		if i != line && strings.Contains(l, "\x1b]8;;http") {
			t.Errorf("line %d borrowed a link: %q", i, l)
		}
	}
	if got := strings.Join(strings.Fields(plain(strings.Join(d.base, "\n"))), " "); !strings.Contains(got, "https://bank.example [1] and a stray [2] and [3] first, xs[2] = 0.") {
		t.Errorf("the text's own brackets changed:\n%s", got)
	}
}

func TestMarkersSurviveWrapping(t *testing.T) {
	words := strings.Repeat("word ", 30)
	md := words + "link [1] " + words + "other [2] " + words + "[3]"
	in := renderInput{
		article: store.Article{ArticleRow: store.ArticleRow{ID: 1, Title: "T"}, Markdown: md, Links: []feed.Link{
			{N: 1, URL: "https://a.example/1"}, {N: 2, URL: "https://a.example/2"}, {N: 3, URL: "https://a.example/3"},
		}},
		style: "dark", styles: NewStyles(true, false),
	}
	for _, w := range []int{30, 41, 57, 80, 123} {
		in.width = w
		d := renderArticle(in)
		for n := 1; n <= 3; n++ {
			p, ok := d.markers[n]
			if !ok {
				t.Errorf("width %d: [%d] not found", w, n)
				continue
			}
			got := string([]rune(ansi.Strip(d.base[p.line]))[p.col : p.col+p.width])
			if got != "["+string(rune('0'+n))+"]" {
				t.Errorf("width %d: [%d] at %+v reads %q", w, n, p, got)
			}
		}
	}
}

func TestSplice(t *testing.T) {
	line := "\x1b[1mab\x1b[0m\x1b[31m[12]\x1b[0m cd"
	got := splice(line, 2, 4, "<X>")
	if want := "\x1b[1mab\x1b[0m\x1b[31m<X>\x1b[0m\x1b[31m\x1b[0m cd"; got != want {
		t.Errorf("splice: got %q, want %q", got, want)
	}
	if got := splice("abc [1]", 4, 3, "<1>"); got != "abc <1>" {
		t.Errorf("splice at the end: got %q", got)
	}
	if got := splice("日本 [1] x", 5, 3, "<1>"); got != "日本 <1> x" {
		t.Errorf("splice after wide characters: got %q", got)
	}
}

func TestHyperlinks(t *testing.T) {
	in := renderInput{
		article: store.Article{ArticleRow: store.ArticleRow{ID: 1, Title: "T", URL: "https://a.example/article"},
			Markdown: "see [1] and [2]", Links: []feed.Link{
				{N: 1, URL: "https://a.example/ok"},
				{N: 2, URL: "javascript:alert(1)"},
			}},
		width: 60, style: "dark", styles: NewStyles(true, false), hyperlinks: true,
	}
	text := strings.Join(renderArticle(in).lines, "\n")
	if !strings.Contains(text, ansi.SetHyperlink("https://a.example/ok")) {
		t.Errorf("no OSC 8 link for [1]")
	}
	if strings.Contains(text, "javascript") {
		t.Errorf("an unsafe URL became a hyperlink")
	}
	in.hyperlinks = false
	if strings.Contains(strings.Join(renderArticle(in).lines, "\n"), "\x1b]8;") {
		t.Errorf("hyperlinks drawn with hyperlinks off")
	}
}

func TestNoColor(t *testing.T) {
	fx := newFixture(t)
	m := openKremlin(t, fx, 80, 24, func(o *Options) { o.NoColor = true })
	if m.reader.glamourStyle != "notty" || m.reader.hyperlinks {
		t.Errorf("NO_COLOR: style %q hyperlinks %t", m.reader.glamourStyle, m.reader.hyperlinks)
	}
	views := []string{m.View(), press(t, m, "tab", "?").View(), press(t, m, "esc", "e").View()}
	for _, v := range views {
		for _, seq := range escapes(v) {
			if colour(seq) {
				t.Errorf("colour sequence %q with NO_COLOR", seq)
			}
		}
	}
}

// colour reports whether an SGR sequence sets a colour.
func colour(seq string) bool {
	if !strings.HasPrefix(seq, "\x1b[") || !strings.HasSuffix(seq, "m") {
		return false
	}
	for _, p := range strings.FieldsFunc(seq[2:len(seq)-1], func(r rune) bool { return r == ';' || r == ':' }) {
		n, err := strconv.Atoi(p)
		if err == nil && (n >= 30 && n <= 38 || n >= 40 && n <= 48 || n >= 90 && n <= 97 || n >= 100 && n <= 107) {
			return true
		}
	}
	return false
}

// escapes returns every escape sequence of s.
func escapes(s string) []string {
	var out []string
	var state byte
	for len(s) > 0 {
		seq, w, n, next := ansi.DecodeSequence(s, state, nil)
		state, s = next, s[n:]
		if w == 0 && len(seq) > 0 && seq[0] == 0x1b {
			out = append(out, seq)
		}
	}
	return out
}

func TestHyphenatedWordsWrapOnce(t *testing.T) {
	md := "NATO Secretary-General Jens Stoltenberg reaffirmed Ukraine’s right to join NATO as outlined at the Bucharest summit in 2008."
	lines, err := renderBody(md, 65, "notty")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lines {
		if w := strings.TrimSpace(ansi.Strip(l)); w == "Ukraine’s" {
			t.Errorf("a word was left alone on a line:\n%s", plain(strings.Join(lines, "\n")))
		}
	}
	if !strings.Contains(plain(strings.Join(lines, "\n")), "Secretary-General") {
		t.Errorf("the hyphen did not come back")
	}
}

func TestHyperlinksReachTheView(t *testing.T) {
	fx := newFixture(t)
	m := openKremlin(t, fx, 80, 24)
	if v := m.View(); !strings.Contains(v, ansi.SetHyperlink(fx.srv.URL("/state/official"))) {
		t.Errorf("the view lacks the OSC 8 link of [1]:\n%q", v)
	}
}
