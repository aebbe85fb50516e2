package ui

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/brief-reader/brief/internal/query"
	"github.com/brief-reader/brief/store"
)

// compileView compiles text for fx's store.
func (fx *fixture) view(t testing.TB, name, text string) SavedView {
	t.Helper()
	n, err := query.Parse(text, nil)
	if err != nil {
		t.Fatal(err)
	}
	q, err := fx.store.Compile(context.Background(), n)
	if err != nil {
		t.Fatal(err)
	}
	return SavedView{Name: name, Query: q}
}

func TestSavedViewsInChooser(t *testing.T) {
	fx := newFixture(t)
	views := []SavedView{fx.view(t, "World, unread", "tag:world is:unread"), fx.view(t, "NATO", "title:nato")}
	m := fx.model(t, 160, 40, func(o *Options) { o.Views = views })
	var got []string
	var worldUnread choice
	for _, it := range m.feeds.items {
		if it.kind == choiceView || (it.kind == choiceSection && it.label == "Views") {
			got = append(got, it.label)
		}
		if it.kind == choiceView && it.view == 0 {
			worldUnread = it
		}
	}
	if want := []string{"Views", "World, unread", "NATO"}; !slices.Equal(got, want) {
		t.Fatalf("chooser views %q, want %q", got, want)
	}
	if worldUnread.unread != 5 {
		t.Errorf("World, unread: %d unread, want 5 (3 world + 2 science & politics)", worldUnread.unread)
	}
	mustContain(t, m.View(), "Views", "World, unread", "NATO")

	for i, it := range m.feeds.items {
		if it.same(worldUnread) {
			m.feeds.cursor = i
		}
	}
	m.focus = paneFeeds
	m = press(t, m, "enter")
	titles := rowTitles(m)
	if len(titles) != 5 || !slices.Contains(titles, "Grain exports reach a record") || slices.Contains(titles, "A new chip doubles battery life") {
		t.Errorf("the view lists %q, want the 5 unread world articles", titles)
	}
	if m.list.total != 5 {
		t.Errorf("list total %d, want 5", m.list.total)
	}

	// Counts are read again with the feeds (after every refresh and mark).
	if err := fx.store.SetRead(context.Background(), fx.articleID(t, "Grain exports"), true); err != nil {
		t.Fatal(err)
	}
	m = run(t, m, m.feeds.load())
	for _, it := range m.feeds.items {
		if it.kind == choiceView && it.view == 0 && it.unread != 4 {
			t.Errorf("after a read: World, unread has %d, want 4", it.unread)
		}
	}
	if !m.feeds.active.same(worldUnread) {
		t.Errorf("the active entry changed to %+v", m.feeds.active)
	}
}

func TestSearchPromptLanguage(t *testing.T) {
	fx := newFixture(t)
	m := fx.model(t, 120, 40)
	m = press(t, m, "/", "title:nato -poll", "enter")
	if m.search.active {
		t.Fatalf("prompt still open: %v", m.search.err)
	}
	if titles := rowTitles(m); len(titles) != 1 || !strings.HasPrefix(titles[0], "Russia stages pretext") {
		t.Errorf("rows %q, want only the pretext article", titles)
	}
	mustContain(t, m.View(), "search “title:nato -poll”")

	// Plain words keep the plain search (prefix of the last word).
	m = press(t, m, "/")
	m.search.input.SetValue("genev")
	m = press(t, m, "enter")
	if titles := rowTitles(m); len(titles) != 1 || titles[0] != "Ceasefire talks resume in Geneva" {
		t.Errorf("plain search rows %q, want the Geneva article", titles)
	}
	if f := m.list.Filter(); f.Query != "genev" || f.Search != nil {
		t.Errorf("filter %+v, want the plain search", f)
	}

	// esc clears a search of either kind.
	m = press(t, m, "/")
	m.search.input.SetValue("is:starred OR title:grain")
	m = press(t, m, "enter")
	if f := m.list.Filter(); f.Search == nil || f.Query != "" {
		t.Fatalf("filter %+v, want a compiled search", f)
	}
	m = press(t, m, "esc")
	if f := m.list.Filter(); f != (store.Filter{}) {
		t.Errorf("after esc: filter %+v, want none", f)
	}
}

func TestSearchPromptErrors(t *testing.T) {
	fx := newFixture(t)
	m := fx.model(t, 120, 40)
	before := rowTitles(m)
	m = press(t, m, "/", "tag:world (grain", "enter")
	if !m.search.active || m.search.err == nil || m.search.err.Col != 11 {
		t.Fatalf("want the prompt open with an error at column 11, got active %v err %v", m.search.active, m.search.err)
	}
	if m.search.input.Position() != 10 {
		t.Errorf("cursor at %d, want 10 (column 11)", m.search.input.Position())
	}
	mustContain(t, m.View(), `column 11: this "(" is never closed`)
	if got := rowTitles(m); !slices.Equal(got, before) {
		t.Errorf("rows changed to %q", got)
	}
	m = press(t, m, "x")
	if m.search.err != nil {
		t.Errorf("editing keeps the error %v", m.search.err)
	}

	// An error only the store finds (no accounts) comes back to the prompt.
	m.search.input.SetValue("ukraine account:home")
	m = press(t, m, "enter")
	if !m.search.active || m.search.err == nil || m.search.err.Col != 9 || !strings.Contains(m.search.err.Msg, "not configured") {
		t.Fatalf("want the prompt reopened with the accounts error at column 9, got active %v err %v", m.search.active, m.search.err)
	}
	if m.search.input.Value() != "ukraine account:home" {
		t.Errorf("prompt holds %q", m.search.input.Value())
	}
}

func TestIgnoredViewInChooser(t *testing.T) {
	fx := newFixture(t)
	n, err := query.Parse("title:nato", nil)
	if err != nil {
		t.Fatal(err)
	}
	q, err := fx.store.Compile(context.Background(), n)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fx.store.ApplyIgnore(context.Background(), []store.IgnoreRule{{Query: q}}, 0); err != nil {
		t.Fatal(err)
	}
	m := fx.model(t, 160, 40, func(o *Options) { o.KillRules = true })
	if titles := rowTitles(m); len(titles) != 6 || slices.ContainsFunc(titles, func(s string) bool { return strings.Contains(s, "NATO") }) {
		t.Errorf("All lists %q, want the 6 articles without NATO in the title", titles)
	}
	for i, it := range m.feeds.items {
		if it.kind == choiceIgnored {
			m.feeds.cursor = i
		}
	}
	m.focus = paneFeeds
	m = press(t, m, "enter")
	mustContain(t, m.View(), "Ignored (kill rules)")
	if titles := rowTitles(m); len(titles) != 2 {
		t.Errorf("Ignored lists %q, want the 2 NATO articles", titles)
	}
}
