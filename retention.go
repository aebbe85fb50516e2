package main

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/brief-reader/brief/store"
)

// keepPolicy is the dotfile's keep: how long read, unstarred articles stay
// in the cache, written as days or weeks ("90d", "12w"); 0 keeps everything.
type keepPolicy struct{ time.Duration }

func (k *keepPolicy) UnmarshalText(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "" || s == "0" {
		k.Duration = 0
		return nil
	}
	unit := map[byte]time.Duration{'d': 24 * time.Hour, 'w': 7 * 24 * time.Hour}[s[len(s)-1]]
	n, err := strconv.Atoi(s[:len(s)-1])
	if unit == 0 || err != nil || n < 1 {
		return fmt.Errorf("%q is not a number of days or weeks (write it like \"90d\" or \"12w\", or \"0\" to keep everything)", s)
	}
	if n > 100*366 {
		return fmt.Errorf("%q is longer than a century: write \"0\" to keep everything", s)
	}
	k.Duration = time.Duration(n) * unit
	return nil
}

// refresh is a refresh as both `brief refresh` and the reader run it: the
// fetched items pass through store.SkipPruned (so that deleted
// articles do not come back), then, with a keep policy, old read articles
// are deleted; everything is logged. It returns how many were deleted.
func refresh(ctx context.Context, st *store.Store, f store.Fetcher, ids []int64, progress func(store.Progress),
	log *slog.Logger, keep keepPolicy, kill []store.IgnoreRule) (store.Summary, int64, error) {
	before, err := st.MaxArticleID(ctx)
	if err != nil {
		return store.Summary{}, 0, err
	}
	sum, err := st.Refresh(ctx, st.SkipPruned(f), ids, progress)
	if err == nil { // the kill rules meet the new articles; counts leave hidden ones out
		_, err = st.ApplyIgnore(ctx, kill, before)
	}
	var deleted int64
	if err == nil && keep.Duration > 0 {
		deleted, err = st.Prune(ctx, time.Now().Add(-keep.Duration))
	}
	logRefresh(log, sum, deleted, err)
	return sum, deleted, err
}
