package ui

import (
	"context"
	"slices"
	"strings"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/store"
)

// feedChoice is the chooser entry of one feed; indent sets it under a
// heading (an account's category). An account's feed shows no tags: its
// category is the heading above it.
func feedChoice(f store.Feed, indent string) choice {
	title := feed.CleanText(f.Title)
	if title == "" {
		title = feed.DisplayURL(f.URL)
	}
	tags := f.Tags
	if f.Account != "" {
		tags = nil
	}
	return choice{
		kind: choiceFeed, label: indent + title, feedID: f.ID, tags: tags,
		unread: f.Unread, total: f.Total, failing: f.LastError != "",
	}
}

// accountsStore is the optional part of the store that tells the state of
// the sync accounts (the chooser's account headings show it).
type accountsStore interface {
	Accounts(ctx context.Context) ([]store.Account, error)
}

// accountState is what an account heading says after the name: whether its
// last sync failed (e says why), else when it last synced; and how many
// local changes wait to be sent.
func accountState(a store.Account) string {
	var parts []string
	switch {
	case a.LastError != "":
		parts = append(parts, "sync failed (e)")
	case !a.LastSync.IsZero():
		parts = append(parts, "synced "+a.LastSync.Local().Format("15:04"))
	default:
		parts = append(parts, "not synced yet")
	}
	if a.Pending > 0 {
		parts = append(parts, thousands(a.Pending)+" waiting")
	}
	return " · " + strings.Join(parts, " · ")
}

// accountFeeds are the feeds of one sync account, in the server's order.
type accountFeeds struct {
	name  string
	feeds []store.Feed
}

// splitAccountFeeds separates the dotfile's feeds from the accounts' (each
// account in the order its feeds come).
func splitAccountFeeds(feeds []store.Feed) (local []store.Feed, accounts []accountFeeds) {
	at := map[string]int{}
	for _, f := range feeds {
		if f.Account == "" {
			local = append(local, f)
			continue
		}
		i, ok := at[f.Account]
		if !ok {
			i = len(accounts)
			at[f.Account] = i
			accounts = append(accounts, accountFeeds{name: f.Account})
		}
		accounts[i].feeds = append(accounts[i].feeds, f)
	}
	return local, accounts
}

// accountChoices lists each account under a heading of its name: its
// categories (the tags "ACCOUNT/CATEGORY"), each followed by its feeds,
// then the feeds in no category. Counts are the unread articles in the
// cache, which a sync makes equal to the server's.
func accountChoices(accounts []accountFeeds, states []store.Account) []choice {
	var items []choice
	for _, a := range accounts {
		label := feed.CleanText(a.name)
		for _, st := range states {
			if st.Name == a.name {
				label += accountState(st)
			}
		}
		items = append(items, choice{kind: choiceSection, label: label})
		prefix := a.name + "/"
		var cats []string
		byCat := map[string][]store.Feed{}
		var loose []store.Feed
		for _, f := range a.feeds {
			cat := ""
			for _, t := range f.Tags {
				if strings.HasPrefix(t, prefix) {
					cat = t
					break
				}
			}
			if cat == "" {
				loose = append(loose, f)
				continue
			}
			if _, ok := byCat[cat]; !ok {
				cats = append(cats, cat)
			}
			byCat[cat] = append(byCat[cat], f)
		}
		slices.Sort(cats)
		for _, cat := range cats {
			unread := 0
			for _, f := range byCat[cat] {
				unread += f.Unread
			}
			items = append(items, choice{kind: choiceTag, label: feed.CleanText(strings.TrimPrefix(cat, prefix)), tag: cat, unread: unread})
			for _, f := range byCat[cat] {
				items = append(items, feedChoice(f, "  "))
			}
		}
		for _, f := range loose {
			items = append(items, feedChoice(f, ""))
		}
	}
	return items
}
