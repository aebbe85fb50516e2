package ui

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/brief-reader/brief/internal/feedtest"
	"github.com/brief-reader/brief/store"
)

// TestOpenInBrowserWithoutLink: an article whose link was refused
// (javascript:) has no URL. o is then off in the help, and pressed anyway
// says so instead of "empty URL"; a link of the article can still be opened.
func TestOpenInBrowserWithoutLink(t *testing.T) {
	fx := newFixture(t)
	ctx := context.Background()
	base := strings.TrimSuffix(fx.srv.URL(""), "/")
	fx.srv.Set("/refused.xml", feedtest.RSS("Refused", base, []feedtest.Item{{
		GUID: "r1", Title: "A story with a refused link", Link: "javascript:alert(1)", Published: at(-1),
		Description: `<p>See <a href="` + base + `/world/geneva">the talks</a>.</p>`,
	}}), "")
	specs := []store.FeedSpec{{URL: fx.srv.URL("/world.xml")}, {URL: fx.srv.URL("/tech.xml")},
		{URL: fx.srv.URL("/science.xml")}, {URL: fx.srv.URL("/refused.xml")}}
	if err := fx.store.SyncFeeds(ctx, specs); err != nil {
		t.Fatal(err)
	}
	if sum, err := fx.store.Refresh(ctx, newClient(), nil, nil); err != nil || sum.Failed > 0 {
		t.Fatalf("Refresh: %+v, %v", sum, err)
	}
	var opened []string
	m := fx.model(t, 80, 24, func(o *Options) {
		o.OpenURL = func(u string) error { opened = append(opened, u); return nil }
	})
	if row, ok := m.list.selected(); !ok || row.Title != "A story with a refused link" || row.URL != "" {
		t.Fatalf("first row: %+v, want the story without a URL", row)
	}
	wantOff := func(where string, m Model) {
		t.Helper()
		if m.keys.OpenBrowser.Enabled() {
			t.Errorf("%s: o enabled without a link", where)
		}
		if help := plain(press(t, m, "?").View()); strings.Contains(help, "open in browser") {
			t.Errorf("%s: the help offers o:\n%s", where, help)
		}
		m, cmd := sendOnly(t, m, keyMsg("o"))
		if cmd != nil || m.status.text != "this article has no http(s) link" {
			t.Errorf("%s: o gave status %q and a command %v", where, m.status.text, cmd != nil)
		}
		mustContain(t, m.View(), "this article has no http(s) link")
	}

	wantOff("list", m)
	m = press(t, m, "enter")
	if m.focus != paneReader || !m.reader.loaded {
		t.Fatalf("enter: %s", describe(m))
	}
	wantOff("reader", m)

	// The article's own link opens.
	m = press(t, m, "tab")
	if !m.keys.OpenBrowser.Enabled() {
		t.Errorf("o disabled on a link with a URL")
	}
	m = press(t, m, "o")
	if len(opened) != 1 || opened[0] != base+"/world/geneva" {
		t.Errorf("o on link [1] opened %q", opened)
	}
	// Back in the list, the next article has a link.
	m = press(t, m, "esc", "j")
	if !m.keys.OpenBrowser.Enabled() {
		t.Errorf("o disabled on an article with a URL: %s", describe(m))
	}
}

// TestOpenInBrowserTitleOnlyLink: a selected "Read also" title without a
// link turns o off and says so, rather than opening the article.
func TestOpenInBrowserTitleOnlyLink(t *testing.T) {
	fx := newFixture(t)
	m := openKremlin(t, fx, 80, 24)
	for range 10 {
		if l, ok := m.reader.link(m.reader.selected); ok && l.URL == "" {
			break
		}
		m = press(t, m, "tab")
	}
	l, ok := m.reader.link(m.reader.selected)
	if !ok || l.URL != "" {
		t.Fatalf("no title-only link selected: %+v", l)
	}
	if m.keys.OpenBrowser.Enabled() {
		t.Errorf("o enabled on a title-only link")
	}
	m, cmd := sendOnly(t, m, keyMsg("o"))
	if cmd != nil || !strings.Contains(m.status.text, "is a title without a link") {
		t.Errorf("o: status %q, command %v", m.status.text, cmd != nil)
	}
}

// TestErrorsViewListsWarnings: a feed whose document was damaged but
// readable is reported after the refresh and listed in the errors view as a
// warning, after the failures.
func TestErrorsViewListsWarnings(t *testing.T) {
	fx := failingFixture(t)
	base := strings.TrimSuffix(fx.srv.URL(""), "/")
	doc := feedtest.RSS("Science", base+"/science", feedtest.Generate(base, 9, 4))
	fx.srv.Set("/science.xml", doc[:bytes.Index(doc, []byte("Feed 9 article 2"))], "")
	m := fx.model(t, 100, 30)
	m = press(t, m, "R")
	mustContain(t, m.View(), "2 failed · 1 warning (e shows why)")
	m = press(t, m, "e")
	v := plain(m.View())
	mustContain(t, v, "Feed errors and warnings", "Gone Feed", "404", "Busy Feed",
		"Science & Politics", "⚠ warning: the feed is damaged", "showing the 2 items", "fetched now")
	if g, s := strings.Index(v, "Gone Feed"), strings.Index(v, "Science & Politics"); g < 0 || s < g {
		t.Errorf("the warning is not listed after the failures:\n%s", v)
	}
}

// TestErrorsViewWarningStyles: in the pane, a warning is marked and drawn
// in its own style, an error in the error style; a feed with only a warning
// says when it was fetched.
func TestErrorsViewWarningStyles(t *testing.T) {
	st := NewStyles(true, false)
	p := errorsPane{paneBase: paneBase{width: 100, height: 30, styles: &st, now: func() time.Time { return testNow }}, loaded: true, errs: []store.FeedError{
		{URL: "https://a.example/feed", Title: "Failing", Error: "feed: not found (HTTP 404)", At: testNow.Add(-time.Hour)},
		{URL: "https://b.example/feed", Title: "Damaged", Warning: "3 duplicate items dropped", At: testNow.Add(-2 * time.Hour)},
	}}
	v := p.View()
	if !strings.Contains(v, st.WarningText.Render("⚠ warning: 3 duplicate items dropped")) ||
		!strings.Contains(v, st.ErrorText.Render("feed: not found (HTTP 404)")) {
		t.Errorf("styles:\n%q", v)
	}
	mustContain(t, v, "failed 1h ago", "fetched 2h ago")
	if strings.Contains(plain(v), "warning: feed: not found") {
		t.Errorf("an error drawn as a warning:\n%s", plain(v))
	}
}
