package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/brief-reader/brief/account"
	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/internal/subs"
	"github.com/brief-reader/brief/store"
)

// The subscriptions commands on sync accounts: add --account and export --all.

// findAccount returns the [[account]] called name, or an error listing the
// accounts the dotfile has.
func findAccount(cfg Config, name string) (AccountConf, error) {
	var names []string
	for _, a := range cfg.Accounts {
		if a.Name == name {
			return a, nil
		}
		names = append(names, fmt.Sprintf("%q", a.Name))
	}
	if len(names) == 0 {
		return AccountConf{}, fmt.Errorf("no [[account]] named %q in %s (it has no accounts)", name, cfg.path)
	}
	return AccountConf{}, fmt.Errorf("no [[account]] named %q in %s (it has %s)", name, cfg.path, strings.Join(names, ", "))
}

// runAddAccount subscribes an account to a feed on its server (the server's
// discovery finds the feed of a page; --tag names the category) and syncs
// it, so the feed and its articles are in the cache at once.
func runAddAccount(ctx context.Context, a subsArgs, stdout, stderr io.Writer) error {
	cfg, st, _, err := setup(ctx, a.options, stderr)
	if err != nil {
		return err
	}
	defer closeStore(st, stderr)
	ac, err := findAccount(cfg, a.account)
	if err != nil {
		return fmt.Errorf("add: %w", err)
	}
	category := ""
	if len(a.tags) == 1 {
		category = a.tags[0]
	}
	res, err := account.AddFeed(ctx, st, cfg.accountConfig(ac), a.args[0], category)
	if err != nil {
		return fmt.Errorf("add: %w", err)
	}
	acct, err := st.AccountByName(ctx, ac.Name)
	if err != nil {
		return fmt.Errorf("add: %w", err)
	}
	feeds, err := st.AccountFeeds(ctx, acct.ID)
	if err != nil {
		return fmt.Errorf("add: %w", err)
	}
	for _, f := range feeds {
		if f.RemoteID == res.Added {
			in := ""
			if f.Category != "" {
				in = fmt.Sprintf(" in %q", f.Category)
			}
			fmt.Fprintf(stdout, "added %q (%s) to account %q%s, %s\n", f.Title, feed.DisplayURL(f.FeedURL), ac.Name, in, plural(res.New, "new article"))
			return nil
		}
	}
	fmt.Fprintf(stdout, "added %s to account %q, %s\n", feed.DisplayURL(a.args[0]), ac.Name, plural(res.New, "new article"))
	return nil
}

// accountGroups returns the subscriptions of every account of the dotfile as
// the cache knows them from the last sync, a group per account with the
// server's categories as folders. An account not synced yet is named on
// stderr and left out.
func accountGroups(ctx context.Context, a subsArgs, cfg Config, stderr io.Writer) ([]subs.Group, error) {
	if len(cfg.Accounts) == 0 {
		return nil, nil
	}
	dpath, err := dbPath(a.db)
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	notSynced := func(name string) {
		fmt.Fprintf(stderr, "brief: export: account %q has not synced yet, so its subscriptions are left out (run brief refresh first)\n", name)
	}
	if _, err := os.Stat(dpath); errors.Is(err, os.ErrNotExist) {
		for _, ac := range cfg.Accounts {
			notSynced(ac.Name)
		}
		return nil, nil
	}
	st, err := store.Open(ctx, dpath)
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	defer closeStore(st, stderr)
	var groups []subs.Group
	for _, ac := range cfg.Accounts {
		acct, err := st.AccountByName(ctx, ac.Name)
		if errors.Is(err, store.ErrNotFound) || (err == nil && acct.LastSync.IsZero()) {
			notSynced(ac.Name)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("export: %w", err)
		}
		feeds, err := st.AccountFeeds(ctx, acct.ID)
		if err != nil {
			return nil, fmt.Errorf("export: %w", err)
		}
		g := subs.Group{Title: ac.Name}
		for _, f := range feeds {
			if !f.Active {
				continue
			}
			e := subs.Entry{URL: f.FeedURL, Title: f.Title}
			if f.Category != "" {
				e.Tags = []string{f.Category}
			}
			g.Entries = append(g.Entries, e)
		}
		groups = append(groups, g)
	}
	return groups, nil
}
