package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/brief-reader/brief/feed"
)

// Fetcher downloads feeds; *feed.Client is one. FetchAll must send exactly
// one Result per Request and close the channel at the end.
type Fetcher interface {
	FetchAll(ctx context.Context, reqs []feed.Request) <-chan feed.Result
}

// Batching of a refresh: results are written in one transaction per
// batchSize results or batchItems items (so that no transaction holds the
// write lock for long: the UI and other processes write too), or after
// batchWait when results come slowly.
const (
	batchSize  = 50
	batchItems = 2500
	batchWait  = 250 * time.Millisecond
)

// target is a feed to refresh.
type target struct {
	id           int64
	url, title   string
	etag, lastMo string
	lastError    string
	errorAt      time.Time
	retryAfter   time.Time
	lastFetched  time.Time
}

// lastTried is when the feed was last fetched or last failed (zero: never).
func (t target) lastTried() time.Time {
	if t.errorAt.After(t.lastFetched) {
		return t.errorAt
	}
	return t.lastFetched
}

// Refresh fetches feeds (feedIDs; nil: every active feed) through f and
// stores the results. Feeds whose Retry-After time is still ahead are skipped
// (counted in Summary.Skipped, their error kept). When every feed is asked
// for (feedIDs nil), a feed with its own interval (SetIntervals) fetched or
// tried less than that interval ago is skipped too (counted in Skipped and
// NotDue); a feed asked for by id is always fetched. Requests carry the stored
// validators; a 304 writes no article. Results are written by the calling
// goroutine in few short transactions; progress (if not nil) is called at the
// start and after each feed is stored. Read and starred state is never
// changed. The error is non-nil only when the database failed or ctx ended;
// feed failures are in the Summary.
func (s *Store) Refresh(ctx context.Context, f Fetcher, feedIDs []int64, progress func(Progress)) (Summary, error) {
	began := time.Now()
	start := s.now()
	targets, err := s.targets(ctx, feedIDs)
	if err != nil {
		return Summary{}, err
	}
	sum := Summary{Feeds: len(targets)}
	p := Progress{Total: len(targets)}
	report := func(url string) {
		if progress != nil {
			p.Current = url
			progress(p)
		}
	}
	report("")
	byURL := make(map[string]target, len(targets))
	reqs := make([]feed.Request, 0, len(targets))
	for _, t := range targets {
		if t.retryAfter.After(start) {
			sum.Skipped++
			sum.SkippedFeeds = append(sum.SkippedFeeds, FeedError{FeedID: t.id, URL: t.url, Title: t.title,
				Error: t.lastError, At: t.errorAt, RetryAfter: t.retryAfter})
			p.Done++
			report(t.url)
			continue
		}
		if iv := s.interval(t.url); feedIDs == nil && iv > 0 && !t.lastTried().IsZero() && start.Sub(t.lastTried()) < iv {
			sum.Skipped++
			sum.NotDue++
			p.Done++
			report(t.url)
			continue
		}
		byURL[t.url] = t
		reqs = append(reqs, feed.Request{URL: t.url, ETag: t.etag, LastModified: t.lastMo})
	}
	if len(reqs) > 0 {
		err = s.fetchAndStore(ctx, f, reqs, byURL, &sum, &p, report)
	}
	sum.Elapsed = time.Since(began)
	return sum, err
}

// fetchAndStore runs the fetches and writes their results in batches.
func (s *Store) fetchAndStore(ctx context.Context, f Fetcher, reqs []feed.Request, byURL map[string]target,
	sum *Summary, p *Progress, report func(string)) error {
	fctx, cancel := context.WithCancel(ctx)
	ch := f.FetchAll(fctx, reqs)
	defer func() {
		cancel()
		go func() { // let the fetcher finish sending after an early return
			for range ch {
			}
		}()
	}()
	var pending []feed.Result
	var items int
	var tick <-chan time.Time
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		// Store what was fetched even if ctx ended meanwhile: it is a short write.
		outs, err := s.storeResults(context.WithoutCancel(ctx), pending, byURL, ctx.Err() != nil)
		pending, items, tick = pending[:0], 0, nil
		if err != nil {
			return err
		}
		for _, o := range outs {
			p.Done++
			p.New += o.new
			sum.New += o.new
			if o.err != nil {
				p.Failed++
				sum.Failed++
				sum.Errors = append(sum.Errors, *o.err)
			}
			if o.warn != nil {
				sum.Warnings = append(sum.Warnings, *o.warn)
			}
			report(o.url)
		}
		return nil
	}
	for {
		select {
		case res, ok := <-ch:
			if !ok {
				if err := flush(); err != nil {
					return err
				}
				if err := ctx.Err(); err != nil {
					return fmt.Errorf("store: refresh: %w", err)
				}
				return nil
			}
			if _, known := byURL[res.URL]; !known {
				continue
			}
			pending = append(pending, res)
			if res.Feed != nil {
				items += len(res.Feed.Items)
			}
			if len(pending) == 1 {
				tick = time.After(batchWait)
			}
			if len(pending) >= batchSize || items >= batchItems {
				if err := flush(); err != nil {
					return err
				}
			}
		case <-tick:
			if err := flush(); err != nil {
				return err
			}
		}
	}
}

// outcome is what storing one Result did.
type outcome struct {
	url  string
	new  int
	err  *FeedError // the feed failed
	warn *FeedError // the feed's document had problems that did not fail it
}

// storeResults writes a batch of results in one transaction. With canceled
// set, results that failed only because the refresh was canceled are not
// recorded as feed errors.
func (s *Store) storeResults(ctx context.Context, results []feed.Result, byURL map[string]target, canceled bool) (outs []outcome, err error) {
	now := s.now()
	w, err := s.begin(ctx, now)
	if err != nil {
		return nil, s.wrap("refresh", err)
	}
	defer func() {
		if rerr := w.rollback(); rerr != nil {
			err = errors.Join(err, s.wrap("refresh", rerr))
		}
	}()
	for _, res := range results {
		t := byURL[res.URL]
		o := outcome{url: res.URL}
		switch {
		case res.Err != nil && canceled && (errors.Is(res.Err, context.Canceled) || errors.Is(res.Err, context.DeadlineExceeded)):
			// not the feed's fault: keep its previous state
		case res.Err != nil || (!res.NotModified && res.Feed == nil):
			ferr := res.Err
			if ferr == nil {
				ferr = errors.New("feed: no feed in the response")
			}
			fe := FeedError{FeedID: t.id, URL: t.url, Title: t.title, Error: feed.CleanText(ferr.Error()), At: now, RetryAfter: res.RetryAfter}
			o.err = &fe
			if _, err := w.tx.ExecContext(ctx, `UPDATE feeds SET last_error = ?, last_error_at = ?, retry_after = ? WHERE id = ?`,
				fe.Error, unix(now), unix(res.RetryAfter), t.id); err != nil {
				return nil, s.wrap("refresh", err)
			}
		case res.NotModified:
			if _, err := w.tx.ExecContext(ctx, `UPDATE feeds SET last_fetched = ?1,
 etag = coalesce(nullif(?2, ''), etag), last_modified = coalesce(nullif(?3, ''), last_modified),
 last_error = '', last_error_at = 0, retry_after = 0 WHERE id = ?4`,
				unix(now), res.ETag, res.LastModified, t.id); err != nil {
				return nil, s.wrap("refresh", err)
			}
		default:
			if o.new, err = w.storeItems(ctx, t.id, res.Feed.Items); err != nil {
				return nil, s.wrap("refresh "+t.url, err)
			}
			warning := joinWarnings(res.Feed.Warnings)
			if warning != "" {
				title := t.title
				if title == t.url && res.Feed.Title != "" { // fetched for the first time
					title = res.Feed.Title
				}
				o.warn = &FeedError{FeedID: t.id, URL: t.url, Title: title, At: now, Warning: warning}
			}
			if _, err := w.tx.ExecContext(ctx, `UPDATE feeds SET feed_title = ?, site_url = ?, etag = ?, last_modified = ?,
 last_fetched = ?, last_error = '', last_error_at = 0, retry_after = 0, last_warning = ? WHERE id = ?`,
				res.Feed.Title, res.Feed.SiteURL, res.ETag, res.LastModified, unix(now), warning, t.id); err != nil {
				return nil, s.wrap("refresh", err)
			}
		}
		outs = append(outs, o)
	}
	if err := w.commit(ctx); err != nil {
		return nil, s.wrap("refresh", err)
	}
	return outs, nil
}

// maxWarning caps the warnings kept for a feed, in bytes.
const maxWarning = 600

// joinWarnings joins a feed's warnings into one line for the user: each
// cleaned, without the "feed: " every one starts with, separated by "; ".
// Warnings that would pass maxWarning are counted instead ("and 3 more").
func joinWarnings(ws []string) string {
	var b strings.Builder
	for i, w := range ws {
		w = strings.TrimPrefix(feed.CleanText(w), "feed: ")
		if w == "" {
			continue
		}
		sep := ""
		if b.Len() > 0 {
			sep = "; "
		}
		more := ""
		if rest := len(ws) - i - 1; rest > 0 {
			more = fmt.Sprintf("; and %d more", rest)
		}
		if b.Len()+len(sep)+len(w)+len(more) > maxWarning {
			if b.Len() == 0 { // a single long warning: cut it
				b.WriteString(cutBytes(w, maxWarning-len(more)-len("…")) + "…")
				continue
			}
			fmt.Fprintf(&b, "; and %d more", len(ws)-i)
			break
		}
		b.WriteString(sep + w)
	}
	return b.String()
}

// cutBytes returns the longest prefix of s of at most n bytes that ends
// between two characters.
func cutBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// targets loads the active feeds to refresh (all when ids is nil).
func (s *Store) targets(ctx context.Context, ids []int64) ([]target, error) {
	want := map[int64]bool{}
	for _, id := range ids {
		want[id] = true
	}
	rows, err := s.r.QueryContext(ctx, `SELECT f.id, f.url, `+feedTitleSQL+`, f.etag, f.last_modified,
 f.last_error, f.last_error_at, f.retry_after, f.last_fetched FROM feeds f WHERE f.active = 1 AND f.account_id IS NULL ORDER BY f.position, f.id`)
	if err != nil {
		return nil, s.wrap("refresh", err)
	}
	defer rows.Close()
	var out []target
	for rows.Next() {
		var t target
		var at, retry, fetched int64
		if err := rows.Scan(&t.id, &t.url, &t.title, &t.etag, &t.lastMo, &t.lastError, &at, &retry, &fetched); err != nil {
			return nil, s.wrap("refresh", err)
		}
		t.errorAt, t.retryAfter, t.lastFetched = fromUnix(at), fromUnix(retry), fromUnix(fetched)
		if ids == nil || want[t.id] {
			out = append(out, t)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, s.wrap("refresh", err)
	}
	return out, nil
}
