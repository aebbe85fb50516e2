package main

import (
	"context"
	"fmt"
	"io"
	"time"

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

// syncAccounts syncs, after the reader's refresh, every account (feedIDs
// nil: a refresh of everything, on start, R or refresh_interval) or the
// accounts owning feedIDs, and adds what they did to sum: new articles, and
// each failure as an error naming the account (the errors view shows it with
// when the account last synced and how many changes wait). It runs in the
// reader's refresh Cmd, so the screen never waits for a server.
func (s refreshingStore) syncAccounts(ctx context.Context, feedIDs []int64, sum *store.Summary, progress func(store.Progress)) error {
	if len(s.accounts) == 0 {
		return nil
	}
	want := map[string]bool{}
	if feedIDs != nil {
		names, err := s.FeedAccounts(ctx, feedIDs)
		if err != nil {
			return err
		}
		for _, n := range names {
			want[n] = true
		}
	}
	for _, c := range s.accounts {
		if feedIDs != nil && !want[c.Name] {
			continue
		}
		if progress != nil {
			progress(store.Progress{Total: sum.Feeds, Done: sum.Feeds, New: sum.New, Failed: sum.Failed, Current: "account " + c.Name})
		}
		res, err := account.Sync(ctx, s.Store, c)
		sum.New += res.New
		if err != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("refresh: %w", ctx.Err())
			}
			sum.Failed++
			sum.Errors = append(sum.Errors, store.FeedError{URL: c.URL, Title: fmt.Sprintf("account %q", c.Name), Error: err.Error(), At: time.Now()})
			if s.log != nil {
				s.log.Warn("account sync failed", "account", c.Name, "error", err.Error())
			}
			continue
		}
		if s.log != nil {
			s.log.Info("account synced", "account", c.Name, "new", res.New, "pushed", res.Pushed, "requests", res.Requests, "elapsed", res.Elapsed)
		}
	}
	return nil
}

// accountConfigs are the account package's view of every [[account]].
func (c *Config) accountConfigs() []account.Config {
	out := make([]account.Config, len(c.Accounts))
	for i, a := range c.Accounts {
		out[i] = c.accountConfig(a)
	}
	return out
}
