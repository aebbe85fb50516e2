package account

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/store"
)

// server is what a kind of account can do.
type server interface {
	subscriptions(ctx context.Context) ([]store.RemoteFeed, error)
	pull(ctx context.Context, p *puller) (cursor string, err error)
	push(ctx context.Context, field string, value bool, remoteIDs []string) error
	addFeed(ctx context.Context, feedURL, category string) (remoteID string, err error)
	removeFeed(ctx context.Context, remoteID string) error
	renameCategory(ctx context.Context, from, to string) error
}

// rawEntry is an entry as a server sent it.
type rawEntry struct {
	id, feed                 string
	url, title, author, html string
	published, changed       time.Time
	read, starred            bool
}

// puller carries one pull: where it starts and where entries go.
type puller struct {
	cursor  string // "": first sync
	now     time.Time
	history time.Duration
	store   func(ctx context.Context, entries []rawEntry) error
	known   map[string]bool // remote ids in the cache (greader: which contents to fetch)
}

// Result is what one sync of an account did.
type Result struct {
	Account    string
	Feeds      int // the account's subscriptions
	New        int // articles added to the cache
	Written    int // article rows inserted or changed
	Pushed     int // queued changes the server accepted
	Dropped    int // queued changes dropped (entry gone from the server)
	Superseded int // queued changes dropped because the server's change was later
	Requests   int // HTTP requests made
	Note       string
	Added      string // AddFeed: the server's id of the new subscription
	Elapsed    time.Duration
}

// open resolves the credentials and returns the kind's server.
func open(ctx context.Context, c *Config) (server, *client, error) {
	cl := newClient(c)
	cred, err := c.resolve(ctx)
	if err != nil {
		return nil, nil, &Error{Account: c.Name, Msg: err.Error(), Err: err}
	}
	switch c.Kind {
	case KindMiniflux:
		return &miniflux{client: cl, cred: cred}, cl, nil
	case KindGReader:
		return &greader{client: cl, cred: cred}, cl, nil
	}
	return nil, nil, &Error{Account: c.Name, Msg: fmt.Sprintf("unknown kind %q (want miniflux or greader)", c.Kind)}
}

// Sync pulls the account's subscriptions, entries and state into st and
// pushes its queued changes. A failure is returned as an *Error naming the
// account and recorded with the account (shown in the reader); what the
// cache holds stays as it was, except pages already pulled. An account whose
// server asked to wait (Retry-After) is not called before then.
func Sync(ctx context.Context, st *store.Store, c Config) (Result, error) {
	start := time.Now()
	res := Result{Account: c.Name}
	acct, err := st.AccountByName(ctx, c.Name)
	if err != nil {
		return res, fmt.Errorf("account %q: %w", c.Name, err)
	}
	if acct.RetryAfter.After(start) {
		return res, &Error{Account: c.Name, RetryAfter: acct.RetryAfter,
			Msg: fmt.Sprintf("skipped: the server asked to wait until %s (%s)", acct.RetryAfter.Local().Format("15:04:05"), acct.LastError)}
	}
	srv, cl, err := open(ctx, &c)
	if err == nil {
		err = run(ctx, st, acct, c, srv, &res)
		res.Requests = cl.requests
	}
	res.Elapsed = time.Since(start)
	if err != nil {
		var ae *Error
		if !errors.As(err, &ae) {
			ae = &Error{Account: c.Name, Msg: err.Error(), Err: err}
			err = ae
		}
		if ctx.Err() == nil {
			if serr := st.SetAccountError(context.WithoutCancel(ctx), acct.ID, ae.Msg, time.Now(), ae.RetryAfter); serr != nil {
				return res, errors.Join(err, serr)
			}
		}
		return res, err
	}
	return res, nil
}

// run is one sync: subscriptions, entries, state, then the queue.
func run(ctx context.Context, st *store.Store, acct store.Account, c Config, srv server, res *Result) error {
	subs, err := srv.subscriptions(ctx)
	if err != nil {
		return err
	}
	res.Feeds = len(subs)
	feedIDs, err := st.SetAccountFeeds(ctx, acct, subs)
	if err != nil {
		return err
	}
	sites := make(map[string]string, len(subs))
	for _, s := range subs {
		sites[s.RemoteID] = s.SiteURL
	}
	known, err := st.KnownRemoteIDs(ctx, acct.ID)
	if err != nil {
		return err
	}
	history := c.History
	if history <= 0 {
		history = DefaultHistory
	}
	p := &puller{cursor: acct.Cursor, now: time.Now(), history: history, known: known}
	p.store = func(ctx context.Context, raw []rawEntry) error {
		entries := normalize(raw, sites, p.now)
		r, err := st.StoreRemoteEntries(ctx, acct.ID, feedIDs, entries)
		if err != nil {
			return err
		}
		res.New += r.New
		res.Written += r.Written
		res.Superseded += r.Superseded
		for _, e := range raw {
			known[e.id] = true
		}
		return nil
	}
	if g, ok := srv.(*greader); ok {
		g.st, g.acctID = st, acct.ID
		g.result = res
	}
	cursor, err := srv.pull(ctx, p)
	if err != nil {
		return err
	}
	note, err := pushQueue(ctx, st, acct, srv, feedIDs, res)
	if err != nil {
		return err
	}
	res.Note = note
	return st.SetAccountSynced(ctx, acct.ID, cursor, time.Now(), note)
}

// normalize turns raw entries into store entries through the feed package,
// on every core.
func normalize(raw []rawEntry, sites map[string]string, now time.Time) []store.RemoteEntry {
	out := make([]store.RemoteEntry, len(raw))
	ok := make([]bool, len(raw))
	workers := min(runtime.GOMAXPROCS(0), max(1, len(raw)/16))
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				r := &raw[i]
				it, err := feed.NormalizeEntry(feed.Entry{ID: r.id, URL: r.url, Title: r.title, Author: r.author, HTML: r.html,
					Published: r.published}, sites[r.feed], now)
				if err != nil {
					continue // no title, link or text: nothing to show
				}
				out[i] = store.RemoteEntry{RemoteID: r.id, FeedRemoteID: r.feed, Item: it, Read: r.read, Starred: r.starred, Changed: r.changed}
				ok[i] = true
			}
		}()
	}
	for i := range raw {
		next <- i
	}
	close(next)
	wg.Wait()
	n := 0
	for i := range out {
		if ok[i] {
			out[n] = out[i]
			n++
		}
	}
	return out[:n]
}

// pushBatch is how many entries one push request names.
const pushBatch = 250

// pushQueue sends the account's queued changes, oldest first: for each
// article and field only the last queued value (what the user ended with),
// grouped by field and value, in batches. Changes on entries of a feed the
// server no longer has (its entries went with it) are dropped with a note
// instead of being sent. A batch the server accepted leaves
// the queue at once, so a crash resends at most one batch, and every action
// sets a state (never toggles), so resending changes nothing. A batch
// the server refuses outright (HTTP 400/404/422) is split until the refused
// entries are found, and those are dropped with a note.
func pushQueue(ctx context.Context, st *store.Store, acct store.Account, srv server, feedIDs map[string]int64, res *Result) (string, error) {
	actions, err := st.PendingActions(ctx, acct.ID)
	if err != nil || len(actions) == 0 {
		return "", err
	}
	upTo := actions[len(actions)-1].ID
	type key struct {
		article int64
		field   string
	}
	last := map[key]store.Action{}
	for _, a := range actions {
		last[key{a.ArticleID, a.Field}] = a
	}
	type group struct {
		field string
		value bool
	}
	groups := map[group][]store.Action{}
	for _, a := range last {
		g := group{a.Field, a.Value}
		groups[g] = append(groups[g], a)
	}
	order := make([]group, 0, len(groups))
	for g, as := range groups {
		sort.Slice(as, func(i, j int) bool { return as[i].ID < as[j].ID })
		order = append(order, g)
	}
	sort.Slice(order, func(i, j int) bool { return groups[order[i]][0].ID < groups[order[j]][0].ID })
	var dropped []string
	for _, g := range order {
		as := groups[g]
		for len(as) > 0 {
			n := min(pushBatch, len(as))
			batch := as[:n]
			as = as[n:]
			var send, gone []store.Action
			for _, a := range batch {
				if a.FeedGone {
					gone = append(gone, a)
				} else {
					send = append(send, a)
				}
			}
			sendIDs := make([]int64, len(send))
			for i, a := range send {
				sendIDs[i] = a.ArticleID
			}
			if err := st.MarkPushing(ctx, sendIDs, time.Now()); err != nil {
				return "", err
			}
			refused, err := pushSplit(ctx, srv, g.field, g.value, send)
			if err != nil {
				return "", err
			}
			gone = append(gone, refused...)
			ids := make([]int64, len(batch))
			for i, a := range batch {
				ids[i] = a.ArticleID
			}
			if err := st.DoneActions(ctx, acct.ID, upTo, g.field, ids); err != nil {
				return "", err
			}
			res.Pushed += len(batch) - len(gone)
			res.Dropped += len(gone)
			for _, a := range gone {
				dropped = append(dropped, a.RemoteID)
			}
		}
	}
	if len(dropped) == 0 {
		return "", nil
	}
	more := ""
	if len(dropped) > 5 {
		more = ", …"
	}
	return fmt.Sprintf("%s dropped: the server no longer has entries %s%s", plural(len(dropped), "queued change"),
		strings.Join(dropped[:min(5, len(dropped))], ", "), more), nil
}

// pushSplit sends batch; when the server refuses it as a whole (a client
// error other than credentials or rate limits), it halves the batch until
// the refused entries are alone, and returns those.
func pushSplit(ctx context.Context, srv server, field string, value bool, batch []store.Action) ([]store.Action, error) {
	if len(batch) == 0 {
		return nil, nil
	}
	ids := make([]string, len(batch))
	for i, a := range batch {
		ids[i] = a.RemoteID
	}
	err := srv.push(ctx, field, value, ids)
	if err == nil {
		return nil, nil
	}
	var ae *Error
	if !errors.As(err, &ae) || ae.Auth || !ae.RetryAfter.IsZero() || (ae.Status != 400 && ae.Status != 404 && ae.Status != 422) {
		return nil, err
	}
	if len(batch) == 1 {
		return batch, nil
	}
	h := len(batch) / 2
	a, err := pushSplit(ctx, srv, field, value, batch[:h])
	if err != nil {
		return nil, err
	}
	b, err := pushSplit(ctx, srv, field, value, batch[h:])
	if err != nil {
		return nil, err
	}
	return append(a, b...), nil
}

// plural writes n and the noun, with an s unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// AddFeed subscribes the account to feedURL in category ("": the server's
// default) and syncs, so the feed and its entries are in the cache.
func AddFeed(ctx context.Context, st *store.Store, c Config, feedURL, category string) (Result, error) {
	srv, _, err := open(ctx, &c)
	if err != nil {
		return Result{Account: c.Name}, err
	}
	id, err := srv.addFeed(ctx, feedURL, category)
	if err != nil {
		return Result{Account: c.Name}, err
	}
	res, err := Sync(ctx, st, c)
	res.Added = id
	return res, err
}

// RemoveFeed unsubscribes the account from the feed with the given feed
// URL (as the server lists it) or remote id, and syncs.
func RemoveFeed(ctx context.Context, st *store.Store, c Config, feedURLOrID string) (Result, error) {
	srv, _, err := open(ctx, &c)
	if err != nil {
		return Result{Account: c.Name}, err
	}
	subs, err := srv.subscriptions(ctx)
	if err != nil {
		return Result{Account: c.Name}, err
	}
	id := ""
	for _, s := range subs {
		if s.RemoteID == feedURLOrID || s.FeedURL == feedURLOrID || strings.TrimRight(s.FeedURL, "/") == strings.TrimRight(feedURLOrID, "/") {
			id = s.RemoteID
		}
	}
	if id == "" {
		return Result{Account: c.Name}, &Error{Account: c.Name, Msg: fmt.Sprintf("the account has no subscription %s", feedURLOrID)}
	}
	if err := srv.removeFeed(ctx, id); err != nil {
		return Result{Account: c.Name}, err
	}
	return Sync(ctx, st, c)
}

// RenameCategory renames a category of the account on the server and syncs.
func RenameCategory(ctx context.Context, st *store.Store, c Config, from, to string) (Result, error) {
	srv, _, err := open(ctx, &c)
	if err != nil {
		return Result{Account: c.Name}, err
	}
	if strings.TrimSpace(to) == "" {
		return Result{Account: c.Name}, &Error{Account: c.Name, Msg: "the new category name is empty"}
	}
	if err := srv.renameCategory(ctx, from, to); err != nil {
		return Result{Account: c.Name}, err
	}
	return Sync(ctx, st, c)
}
