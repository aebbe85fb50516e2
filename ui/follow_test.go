package ui

import (
	"context"
	"net/http"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/brief-reader/brief/internal/feedtest"
	"github.com/brief-reader/brief/store"
)

// startFetch follows "Read also" link key of the open article up to the
// reader-mode fetch and returns the model with the fetch's messages, not
// yet delivered (as if the page were slow).
func startFetch(t *testing.T, m Model, key string) (Model, []tea.Msg) {
	t.Helper()
	m, cmd := sendOnly(t, m, keyMsg(key))
	var need *linkNeedsFetchMsg
	for _, msg := range collect(t, cmd) {
		if n, ok := msg.(linkNeedsFetchMsg); ok {
			need = &n
		}
	}
	if need == nil {
		t.Fatalf("%s: no fetch needed", key)
	}
	m, cmd = sendOnly(t, m, *need)
	if m.reader.nav.fetching == "" {
		t.Fatalf("%s: no fetch under way", key)
	}
	var replies []tea.Msg
	for _, msg := range collect(t, cmd) {
		switch msg.(type) {
		case linkResolvedMsg, linkFailedMsg:
			replies = append(replies, msg)
		}
	}
	return m, replies
}

func deliver(t *testing.T, m Model, msgs []tea.Msg) Model {
	t.Helper()
	for _, msg := range msgs {
		m = send(t, m, msg)
	}
	return m
}

// TestFetchReplyAfterTheUserMovedOn: the user follows a slow link, then
// opens another article from the list. The fetch ends: the spinner goes,
// the page is saved, the user stays where they are.
func TestFetchReplyAfterTheUserMovedOn(t *testing.T) {
	fx := newFixture(t)
	m, replies := startFetch(t, openKremlin(t, fx, 80, 24), "3") // [4] Аналіз, a page in no feed
	mustContain(t, m.View(), "in reader mode…")
	m = press(t, m, "esc", "j", "enter")
	other := m.reader.id
	if other == fx.articleID(t, "Kremlin") || m.focus != paneReader {
		t.Fatalf("did not open another article: %s", describe(m))
	}
	m = deliver(t, m, replies)
	if m.reader.nav.fetching != "" {
		t.Errorf("still fetching %q", m.reader.nav.fetching)
	}
	if m.reader.id != other || m.focus != paneReader {
		t.Errorf("the reply took the user away: %s", describe(m))
	}
	if !strings.Contains(m.status.text, "[4] saved: Analysis: what comes next (not opened)") {
		t.Errorf("status %q", m.status.text)
	}
	if v := plain(m.View()); strings.Contains(v, "in reader mode…") {
		t.Errorf("the spinner stayed:\n%s", v)
	}
	if _, err := fx.store.ArticleByURL(context.Background(), fx.srv.URL("/pages/analysis")); err != nil {
		t.Errorf("the page was not saved: %v", err)
	}
}

// TestFetchReplyWhileInTheListBeside: at 120 columns the reader stays on
// screen while the user is in the list: the reply does not take the focus,
// but the article's "Read also" block now says the page is cached.
func TestFetchReplyWhileInTheListBeside(t *testing.T) {
	fx := newFixture(t)
	m, replies := startFetch(t, openKremlin(t, fx, 120, 40), "3")
	m = press(t, m, "esc")
	m = deliver(t, m, replies)
	if m.focus != paneList || m.reader.id != fx.articleID(t, "Kremlin") || m.reader.nav.fetching != "" {
		t.Fatalf("after the reply: %s fetching %q", describe(m), m.reader.nav.fetching)
	}
	if _, ok := m.reader.targets[4]; !ok {
		t.Errorf("link [4] has no target after the page was saved")
	}
	block := plain(strings.Join(m.reader.doc.lines, "\n"))
	if !strings.Contains(block, "Analysis: what comes next") {
		t.Errorf("the Read also block does not name the saved page:\n%s", block)
	}
}

func TestFetchFailureAfterTheUserMovedOn(t *testing.T) {
	fx := newFixture(t)
	m, replies := startFetch(t, openKremlin(t, fx, 80, 24), "4") // [5], 404
	m = press(t, m, "esc")
	m = deliver(t, m, replies)
	if m.reader.nav.fetching != "" || m.focus != paneList {
		t.Errorf("after the failure: %s fetching %q", describe(m), m.reader.nav.fetching)
	}
	if m.status.kind != statusError || !strings.Contains(m.status.text, "[5] not found") || strings.Contains(m.status.text, "o opens") {
		t.Errorf("status %q: want the reason, without the browser hint (o opens what the user looks at now)", m.status.text)
	}
}

// TestFailedLinkSaysSoForTheSession: after a 404 the "Read also" block and
// the status line say the link failed, instead of "will fetch".
func TestFailedLinkSaysSoForTheSession(t *testing.T) {
	fx := newFixture(t)
	m := openKremlin(t, fx, 80, 24)
	if !strings.Contains(readAlsoLine(m, "4"), "will fetch") {
		t.Fatalf("before: %q", readAlsoLine(m, "4"))
	}
	m = press(t, m, "4")
	if got := readAlsoLine(m, "4"); !strings.Contains(got, "failed: not found") {
		t.Errorf("after the 404 the block says %q", got)
	}
	m = press(t, m, "j") // the error message goes; the destination stays
	if line := statusLine(m); !strings.Contains(line, "(failed: not found)") {
		t.Errorf("status line %q", line)
	}
	// Another article and back: the session still remembers.
	m = press(t, m, "1", "backspace")
	if got := readAlsoLine(m, "4"); !strings.Contains(got, "failed: not found") {
		t.Errorf("after coming back the block says %q", got)
	}
}

// readAlsoLine is the line of the "Read also" block whose key is key.
func readAlsoLine(m Model, key string) string {
	lines := strings.Split(plain(strings.Join(m.reader.doc.lines, "\n")), "\n")
	in := false
	for _, l := range lines {
		if strings.Contains(l, "Read also  (1-9 follows)") {
			in = true
		}
		if in && strings.HasPrefix(strings.TrimLeft(l, " │"), key+"  ") {
			return l
		}
	}
	return ""
}

// TestTitleOnlyLinkDestinationSaysCached: the block says "cached" for the
// title-only [3]; the status line agrees.
func TestTitleOnlyLinkDestinationSaysCached(t *testing.T) {
	fx := newFixture(t)
	m := openKremlin(t, fx, 80, 24)
	if !strings.Contains(readAlsoLine(m, "2"), "cached") {
		t.Fatalf("block: %q", readAlsoLine(m, "2"))
	}
	m = press(t, m, "tab", "tab", "tab")
	if m.reader.selected != 3 {
		t.Fatalf("selected %d", m.reader.selected)
	}
	if dest, note := m.reader.destination(); !strings.HasPrefix(dest, "[3] by title: “Russia stages pretext") || note != "(cached)" {
		t.Errorf("destination %q %q", dest, note)
	}
	if line := statusLine(m); !strings.Contains(line, "(cached)") {
		t.Errorf("status line %q", line)
	}
}

// TestRedirectedLinkIsCachedAfterTheFirstFollow: a link whose URL redirects
// is fetched once; then the block says cached, following it makes no
// request, and the page says which article links to it.
func TestRedirectedLinkIsCachedAfterTheFirstFollow(t *testing.T) {
	fx := newFixture(t)
	base := strings.TrimSuffix(fx.srv.URL(""), "/")
	fx.srv.Handle("/redir", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, base+"/pages/analysis", http.StatusFound)
	})
	fx.srv.Set("/redir.xml", feedtest.RSS("Redirects", base, []feedtest.Item{{
		GUID: "r1", Title: "An article with a redirected link", Link: base + "/redirects/1", Published: at(1),
		Description: `<p>Body.</p><p>Read also: <a href="` + base + `/redir">The analysis</a></p>`,
	}}), "")
	ctx := context.Background()
	if err := fx.store.SyncFeeds(ctx, []store.FeedSpec{{URL: fx.srv.URL("/redir.xml")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := fx.store.Refresh(ctx, newClient(), nil, nil); err != nil {
		t.Fatal(err)
	}
	m := fx.model(t, 80, 24)
	from := fx.articleID(t, "An article with a redirected link")
	m = send(t, m, openArticleMsg{id: from})
	if !strings.Contains(readAlsoLine(m, "1"), "will fetch") {
		t.Fatalf("before: %q", readAlsoLine(m, "1"))
	}
	m = press(t, m, "1")
	page, err := fx.store.ArticleByURL(ctx, base+"/pages/analysis")
	if err != nil || m.reader.id != page.ID {
		t.Fatalf("first follow: %s, page %+v %v", describe(m), page, err)
	}
	if len(m.reader.backlinks) != 1 || m.reader.backlinks[0].ID != from {
		t.Errorf("the page's backlinks: %+v, want the article", m.reader.backlinks)
	}
	mustContain(t, m.View(), "Linked from 1 article")
	m = press(t, m, "backspace")
	if got := readAlsoLine(m, "1"); !strings.Contains(got, "cached") || !strings.Contains(got, "Analysis: what comes next") {
		t.Errorf("after the fetch the block says %q", got)
	}
	before := fx.srv.Stats("/redir").Requests
	m = press(t, m, "1")
	if m.reader.id != page.ID || fx.srv.Stats("/redir").Requests != before {
		t.Errorf("second follow: %s, %d requests", describe(m), fx.srv.Stats("/redir").Requests-before)
	}
	if !strings.Contains(m.status.text, "[1] from cache") {
		t.Errorf("status %q", m.status.text)
	}
}
