package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/internal/feedtest"
	"github.com/brief-reader/brief/store"
)

// storeSubs is Subscriptions over the real store and a real client, with
// the feed list kept in memory where main keeps it in the dotfile (main's
// tests cover the dotfile's side): discovery and fetching go over loopback,
// the feed list is synced into the store as main does.
type storeSubs struct {
	st     *store.Store
	client *feed.Client
	specs  []store.FeedSpec
	next   *reload // what the next Reload finds, once
}

// reload is an outside change of the feed list, or a broken file (err).
type reload struct {
	specs []store.FeedSpec
	err   error
}

func newStoreSubs(t *testing.T, fx *fixture) *storeSubs {
	t.Helper()
	fs, err := fx.store.Feeds(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	s := &storeSubs{st: fx.store, client: newClient()}
	for _, f := range fs {
		s.specs = append(s.specs, store.FeedSpec{URL: f.URL, Tags: f.Tags})
	}
	return s
}

func (s *storeSubs) Discover(ctx context.Context, rawURL string) ([]feed.Candidate, error) {
	return s.client.Discover(ctx, rawURL)
}

func (s *storeSubs) Add(ctx context.Context, c feed.Candidate) (string, int, error) {
	f := c.Feed
	if f == nil {
		res := s.client.Fetch(ctx, feed.Request{URL: c.URL})
		if res.Err != nil {
			return "", 0, res.Err
		}
		f = res.Feed
	}
	s.specs = append(s.specs, store.FeedSpec{URL: c.URL, Title: f.Title})
	return f.Title, len(f.Items), s.st.SyncFeeds(ctx, s.specs)
}

func (s *storeSubs) Remove(ctx context.Context, u string) (string, error) {
	i := slices.IndexFunc(s.specs, func(f store.FeedSpec) bool { return f.URL == u })
	if i < 0 {
		return "", fmt.Errorf("no feed %s", u)
	}
	title := s.specs[i].Title
	s.specs = slices.Delete(s.specs, i, i+1)
	return title, s.st.SyncFeeds(ctx, s.specs)
}

func (s *storeSubs) Reload(ctx context.Context) (bool, error) {
	r := s.next
	s.next = nil
	switch {
	case r == nil:
		return false, nil
	case r.err != nil:
		return true, r.err
	}
	s.specs = r.specs
	return true, s.st.SyncFeeds(ctx, s.specs)
}

// subsFixture serves, besides the fixture's feeds, a page naming a new feed
// and one the store follows already.
func subsFixture(t *testing.T, w, h int) (*fixture, *storeSubs, Model) {
	t.Helper()
	fx := newFixture(t)
	base := fx.srv.URL("")
	fx.srv.Set("/extra.xml", feedtest.RSS("Extra Edition", base+"/extra", []feedtest.Item{
		{GUID: "e1", Title: "Extra: bridges reopen", Link: base + "/extra/1", Description: "<p>Bridges reopened.</p>", Published: at(1)},
		{GUID: "e2", Title: "Extra: markets calm", Link: base + "/extra/2", Description: "<p>Calm.</p>", Published: at(3)},
	}), "")
	fx.srv.Set("/home", []byte(`<!DOCTYPE html><html><head><title>Home</title>
<link rel="alternate" type="application/rss+xml" title="Extra Edition" href="/extra.xml">
<link rel="alternate" type="application/atom+xml" title="Tech" href="/tech.xml">
</head><body>home</body></html>`), "text/html")
	subs := newStoreSubs(t, fx)
	m := fx.model(t, w, h, func(o *Options) { o.Subs = subs; o.WatchEvery = -1 })
	return fx, subs, m
}

func typeText(t *testing.T, m Model, s string) Model {
	t.Helper()
	for _, r := range s {
		m = send(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	return m
}

func chooserLabels(m Model) []string {
	var out []string
	for _, c := range m.feeds.items {
		out = append(out, c.label)
	}
	return out
}

func TestAddFeedFromPage(t *testing.T) {
	fx, _, m := subsFixture(t, 160, 48)
	m = press(t, m, "a")
	if m.overlay != overlaySubs {
		t.Fatalf("a: overlay %v", m.overlay)
	}
	mustContain(t, plain(m.View()), "Add a feed", "URL:", "enter looks for feeds")
	m = typeText(t, m, fx.srv.URL("/home"))
	m = press(t, m, "enter")
	view := plain(m.View())
	mustContain(t, view, "The page names 2 feeds; which one?", "1. Extra Edition  "+fx.srv.URL("/extra.xml"), "2. Tech  "+fx.srv.URL("/tech.xml"))
	m = press(t, m, "enter") // the first, under the cursor
	if m.overlay != overlayNone {
		t.Fatalf("overlay still open:\n%s", plain(m.View()))
	}
	if !slices.Contains(chooserLabels(m), "Extra Edition") {
		t.Errorf("chooser: %q", chooserLabels(m))
	}
	if !slices.Contains(rowTitles(m), "Extra: bridges reopen") {
		t.Errorf("the new feed's articles were not loaded: %q", rowTitles(m))
	}
	if got := fx.srv.Stats("/extra.xml").Requests; got != 2 {
		t.Errorf("/extra.xml fetched %d times, want 2 (checked, then refreshed)", got)
	}
}

func TestAddFeedFailureStaysOpen(t *testing.T) {
	fx, _, m := subsFixture(t, 80, 24)
	m = press(t, m, "a")
	m = typeText(t, m, fx.srv.URL("/missing"))
	m = press(t, m, "enter")
	if m.overlay != overlaySubs || m.subs.mode != subsInput {
		t.Fatalf("overlay %v mode %v", m.overlay, m.subs.mode)
	}
	mustContain(t, plain(m.View()), "404")
	m = press(t, m, "esc")
	if m.overlay != overlayNone {
		t.Errorf("esc: overlay %v", m.overlay)
	}
	// Esc while a request runs drops its reply.
	m = press(t, m, "a")
	m = typeText(t, m, fx.srv.URL("/extra.xml"))
	m, cmd := sendOnly(t, m, keyMsg("enter"))
	m = press(t, m, "esc")
	m = run(t, m, cmd)
	if m.overlay != overlayNone || slices.Contains(chooserLabels(m), "Extra Edition") {
		t.Errorf("a reply after esc was used: overlay %v, chooser %q", m.overlay, chooserLabels(m))
	}
}

func TestRemoveFeedAsksFirst(t *testing.T) {
	fx, subs, m := subsFixture(t, 160, 48)
	m = press(t, m, "esc") // to the chooser
	if m.focus != paneFeeds {
		t.Fatalf("focus %v", m.focus)
	}
	for range 20 {
		if f, ok := m.feeds.selectedFeed(); ok && f.Title == "Tech Daily" {
			break
		}
		m = press(t, m, "j")
	}
	if !m.keys.RemoveFeed.Enabled() {
		t.Fatal("D is off on a feed of the chooser")
	}
	m = press(t, m, "D")
	mustContain(t, plain(m.View()), "Remove a feed", "Remove “Tech Daily”", "stay in the cache", "y remove")
	m = press(t, m, "n")
	if m.overlay != overlayNone || len(subs.specs) != 3 {
		t.Fatalf("n: overlay %v, %d feeds", m.overlay, len(subs.specs))
	}
	chip := fx.articleID(t, "A new chip doubles battery life")
	m = press(t, m, "D", "y")
	if m.overlay != overlayNone || slices.Contains(chooserLabels(m), "Tech Daily") {
		t.Fatalf("y: overlay %v, chooser %q", m.overlay, chooserLabels(m))
	}
	mustContain(t, plain(m.View()), "removed “Tech Daily”")
	if _, err := fx.store.Article(context.Background(), chip); err != nil {
		t.Errorf("the removed feed's article left the cache: %v", err)
	}
	if slices.Contains(rowTitles(m), "A new chip doubles battery life") {
		t.Errorf("All still lists the removed feed's articles: %q", rowTitles(m))
	}
	// D is off away from a feed.
	m = press(t, m, "g")
	if m.keys.RemoveFeed.Enabled() {
		t.Error("D is on for All")
	}
}

func TestSubsKeysOffWithoutSubs(t *testing.T) {
	fx := newFixture(t)
	m := fx.model(t, 120, 40)
	m = press(t, m, "a")
	if m.overlay != overlayNone || m.keys.AddFeed.Enabled() {
		t.Errorf("a without Subs: overlay %v, enabled %v", m.overlay, m.keys.AddFeed.Enabled())
	}
}

func TestDotfileWatch(t *testing.T) {
	fx, subs, m := subsFixture(t, 160, 48)
	before := chooserLabels(m)
	subs.next = &reload{err: errors.New("config.toml:7:12: expected value but found '\\n' instead (not reloaded: the reader keeps its feeds)")}
	m = send(t, m, watchTickMsg{})
	if m.status.kind != statusError || !strings.HasPrefix(m.status.text, "config.toml:7:12:") {
		t.Errorf("broken save: status %+v", m.status)
	}
	if !slices.Equal(chooserLabels(m), before) {
		t.Errorf("a broken save changed the chooser: %q", chooserLabels(m))
	}
	m = send(t, m, watchTickMsg{})
	if m.status.text == "" {
		t.Error("the error was cleared by a look that found nothing new")
	}

	// An editor's save: the tech feed out, the extra feed in, world retitled.
	subs.next = &reload{specs: []store.FeedSpec{
		{URL: fx.srv.URL("/world.xml"), Title: "World, renamed"},
		{URL: fx.srv.URL("/science.xml")},
		{URL: fx.srv.URL("/extra.xml")},
	}}
	m = send(t, m, watchTickMsg{})
	labels := chooserLabels(m)
	if !slices.Contains(labels, "World, renamed") || slices.Contains(labels, "Tech Daily") || !slices.Contains(labels, "Extra Edition") {
		t.Errorf("chooser after the save: %q", labels)
	}
	if got := fx.srv.Stats("/extra.xml").Requests; got != 1 {
		t.Errorf("the feed added in the editor was fetched %d times, want 1", got)
	}
	mustContain(t, plain(m.View()), "Extra: bridges reopen")
}

func TestSubsOverlayViews(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) {
			fx, _, m := subsFixture(t, sz[0], sz[1])
			host := strings.TrimPrefix(fx.srv.URL(""), "http://")
			norm := func(v string) string { return strings.ReplaceAll(plain(v), host, "feeds.test") }
			m = press(t, m, "a")
			m = typeText(t, m, fx.srv.URL("/home"))
			checkSize(t, m.View(), sz[0], sz[1])
			golden(t, fmt.Sprintf("subs_add_%dx%d", sz[0], sz[1]), norm(m.View()))
			m = press(t, m, "enter")
			checkSize(t, m.View(), sz[0], sz[1])
			golden(t, fmt.Sprintf("subs_pick_%dx%d", sz[0], sz[1]), norm(m.View()))
			m = press(t, m, "esc", "esc")
			for range 20 {
				if f, ok := m.feeds.selectedFeed(); ok && f.Title == "World News" {
					break
				}
				m = press(t, m, "j")
			}
			m = press(t, m, "D")
			checkSize(t, m.View(), sz[0], sz[1])
			golden(t, fmt.Sprintf("subs_remove_%dx%d", sz[0], sz[1]), norm(m.View()))
		})
	}
}
