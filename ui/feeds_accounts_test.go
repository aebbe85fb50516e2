package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/brief-reader/brief/store"
)

// The chooser lists each sync account under its name, with its categories
// and their feeds (and unread counts), apart from the dotfile's tags and
// feeds.
func TestChooserGroupsAccounts(t *testing.T) {
	p := feedsPane{paneBase: paneBase{width: 40, height: 30, styles: ref(NewStyles(true, true))},
		accounts: []store.Account{{Name: "home", LastSync: time.Date(2026, 11, 30, 14, 2, 0, 0, time.Local), Pending: 3}}}
	p.setFeeds([]store.Feed{
		{ID: 1, Title: "Local", Tags: []string{"world"}, Unread: 2},
		{ID: 2, Title: "Tech blog", Tags: []string{"home/Tech"}, Unread: 5, Account: "home"},
		{ID: 3, Title: "Wire", Tags: []string{"home/News"}, Unread: 3, Account: "home"},
		{ID: 4, Title: "Agency", Tags: []string{"home/News"}, Unread: 4, Account: "home"},
		{ID: 5, Title: "Loose", Account: "home"},
	}, store.Counts{All: 14, Unread: 14})
	var got []string
	for _, c := range p.items {
		got = append(got, c.label)
	}
	want := []string{"All", "Unread", "Starred", "Tags", "#world", "Feeds", "Local",
		"home · synced 14:02 · 3 waiting", "News", "  Wire", "  Agency", "Tech", "  Tech blog", "Loose"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("chooser: got %q\nwant %q", got, want)
	}
	news := p.items[8]
	if news.kind != choiceTag || news.tag != "home/News" || news.unread != 7 {
		t.Errorf("category: %+v, want the tag home/News with 7 unread", news)
	}
	if ids := p.feedIDs(news); len(ids) != 2 || ids[0] != 3 || ids[1] != 4 {
		t.Errorf("feeds of the category: %v, want [3 4] (r refreshes, and so syncs, them)", ids)
	}
	if p.items[7].kind != choiceSection {
		t.Errorf("the account's name is a heading: %+v", p.items[7])
	}
}

func TestAccountState(t *testing.T) {
	for _, c := range []struct {
		a    store.Account
		want string
	}{
		{store.Account{}, " · not synced yet"},
		{store.Account{LastError: "x", Pending: 1200}, " · sync failed (e) · 1,200 waiting"},
	} {
		if got := accountState(c.a); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
}
