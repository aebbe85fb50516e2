package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/brief-reader/brief/account"
	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/store"
)

// runAccount runs "brief account [list|add|remove|rename] …".
func runAccount(ctx context.Context, o options, stdout, stderr io.Writer) int {
	cfg, st, _, err := setup(ctx, o, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "brief: %v\n", err)
		return 1
	}
	defer closeStore(st, stderr)
	args := o.args
	if len(args) == 0 {
		args = []string{"list"}
	}
	find := func(name string) (AccountConf, bool) {
		for _, a := range cfg.Accounts {
			if a.Name == name {
				return a, true
			}
		}
		fmt.Fprintf(stderr, "brief: no [[account]] named %q in %s\n", name, cfg.path)
		return AccountConf{}, false
	}
	usage := func() int {
		fmt.Fprintf(stderr, "brief: usage: brief account [list | add NAME URL [CATEGORY] | remove NAME URL | rename NAME OLD NEW]\n")
		return 2
	}
	var res account.Result
	switch {
	case args[0] == "list" && len(args) == 1:
		return listAccounts(ctx, st, stdout, stderr)
	case args[0] == "add" && (len(args) == 3 || len(args) == 4):
		a, ok := find(args[1])
		if !ok {
			return 1
		}
		category := ""
		if len(args) == 4 {
			category = args[3]
		}
		res, err = account.AddFeed(ctx, st, cfg.accountConfig(a), args[2], category)
	case args[0] == "remove" && len(args) == 3:
		a, ok := find(args[1])
		if !ok {
			return 1
		}
		res, err = account.RemoveFeed(ctx, st, cfg.accountConfig(a), args[2])
	case args[0] == "rename" && len(args) == 4:
		a, ok := find(args[1])
		if !ok {
			return 1
		}
		res, err = account.RenameCategory(ctx, st, cfg.accountConfig(a), args[2], args[3])
	default:
		return usage()
	}
	if err != nil {
		fmt.Fprintf(stderr, "brief: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "account %q: %s, %s\n", res.Account, plural(res.Feeds, "feed"), plural(res.New, "new article"))
	return 0
}

// listAccounts prints one line per account.
func listAccounts(ctx context.Context, st *store.Store, stdout, stderr io.Writer) int {
	accts, err := st.Accounts(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "brief: %v\n", err)
		return 1
	}
	if len(accts) == 0 {
		fmt.Fprintln(stdout, "no accounts: add an [[account]] to the dotfile (see the README)")
		return 0
	}
	for _, a := range accts {
		synced := "never synced"
		if !a.LastSync.IsZero() {
			synced = "synced " + a.LastSync.Local().Format(time.DateTime)
		}
		line := fmt.Sprintf("%s (%s, %s): %s, %s waiting", feed.CleanText(a.Name), a.Kind, feed.DisplayURL(a.URL), synced, plural(a.Pending, "change"))
		if a.LastError != "" {
			line += "; last sync failed: " + feed.CleanText(a.LastError)
		}
		if a.Note != "" {
			line += "; " + feed.CleanText(a.Note)
		}
		fmt.Fprintln(stdout, line)
	}
	return 0
}
