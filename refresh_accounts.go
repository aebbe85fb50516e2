package main

import (
	"context"
	"fmt"
	"io"

	"github.com/brief-reader/brief/account"
	"github.com/brief-reader/brief/store"
)

// accountsSummary is what syncing the dotfile's accounts did.
type accountsSummary struct {
	accounts, new, failed int
}

// syncAccounts syncs every account of the dotfile, one after the other, and
// prints each failure (naming the account) and each note on stderr. A failed
// account leaves its part of the cache as it was.
func syncAccounts(ctx context.Context, cfg Config, st *store.Store, stderr io.Writer) accountsSummary {
	sum := accountsSummary{accounts: len(cfg.Accounts)}
	for _, a := range cfg.Accounts {
		res, err := account.Sync(ctx, st, cfg.accountConfig(a))
		sum.new += res.New
		if err != nil {
			sum.failed++
			fmt.Fprintf(stderr, "brief: %v\n", err)
			continue
		}
		if res.Note != "" {
			fmt.Fprintf(stderr, "brief: account %q: %s\n", a.Name, res.Note)
		}
	}
	return sum
}

// printConfigWarnings says what in the dotfile is allowed but risky.
func printConfigWarnings(cfg Config, stderr io.Writer) {
	for _, w := range cfg.warnings {
		fmt.Fprintf(stderr, "brief: %s:%d:%d: warning: %s\n", cfg.path, w.line, w.col, w.msg)
	}
}
