package ui

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/store"
)

// Every constructor here captures plain values (never the model) and returns
// a typed message carrying the identity it was made for.

func loadFeeds(s feedsStore, views []SavedView, seq int) tea.Cmd {
	qs := make([]*store.Query, len(views))
	for i, v := range views {
		qs[i] = v.Query
	}
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		feeds, err := s.Feeds(ctx)
		if err != nil {
			return feedsLoadedMsg{seq: seq, err: err}
		}
		counts, err := s.Counts(ctx)
		if err != nil {
			return feedsLoadedMsg{seq: seq, err: err}
		}
		var accounts []store.Account
		if as, ok := s.(accountsStore); ok {
			if accounts, err = as.Accounts(ctx); err != nil {
				return feedsLoadedMsg{seq: seq, err: err}
			}
		}
		viewUnread, err := s.UnreadCounts(ctx, qs)
		return feedsLoadedMsg{seq: seq, feeds: feeds, counts: counts, accounts: accounts, viewUnread: viewUnread, err: err}
	}
}

// loadWindow reads limit rows of f from start; count also counts the rows of f.
func loadWindow(s listStore, f store.Filter, start, limit int, count bool, keepID int64, seq int) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		msg := windowLoadedMsg{seq: seq, filter: f, start: start, total: -1, keepID: keepID}
		if count {
			n, err := countArticles(ctx, s, f)
			if err != nil {
				msg.err = err
				return msg
			}
			msg.total = n
			if start >= n && n > 0 { // the list shrank under the cursor
				start = max(0, n-limit)
				msg.start = start
			}
		}
		msg.rows, msg.err = s.Window(ctx, f, start, limit, msg.total)
		return msg
	}
}

// countArticles counts the articles of f: from the store's counters for the
// fixed lists (All, Unread, Starred), which costs nothing on a large cache,
// else with CountArticles.
func countArticles(ctx context.Context, s listStore, f store.Filter) (int, error) {
	if f.FeedID != 0 || f.Tag != "" || f.Query != "" || f.Match != nil || f.Search != nil || f.Ignored || (f.Unread && f.Starred) {
		return s.CountArticles(ctx, f)
	}
	c, err := s.Counts(ctx)
	switch {
	case err != nil:
		return 0, err
	case f.Unread:
		return c.Unread, nil
	case f.Starred:
		return c.Starred, nil
	}
	return c.All, nil
}

func loadArticle(s readerStore, id int64, markRead bool, seq int) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		msg := articleLoadedMsg{seq: seq, id: id}
		a, err := s.Article(ctx, id)
		if err != nil {
			msg.err = err
			return msg
		}
		if markRead && !a.Read {
			if err := s.SetRead(ctx, id, true); err != nil {
				msg.warn = err
			} else {
				a.Read = true
				msg.markedRead = true
			}
		}
		msg.article = a
		return msg
	}
}

// loadLinks reads the cached targets of the links of article id and the
// articles that link to it.
func loadLinks(s readerStore, id int64, links []feed.Link, seq int) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		msg := linksLoadedMsg{seq: seq, id: id}
		var terr error
		if len(links) > 0 {
			msg.targets, terr = s.Targets(ctx, id, links)
		}
		b, berr := s.Backlinks(ctx, id)
		msg.backlinks = b
		msg.err = errors.Join(terr, berr)
		return msg
	}
}

// errNotCachedYet says why a title-only link cannot be followed yet.
var errNotCachedYet = errors.New("not in the cache yet: it will be followed when a refresh brings it")

func setRead(s markStore, id int64, read bool) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		return markedMsg{id: id, value: read, err: s.SetRead(ctx, id, read)}
	}
}

func setStarred(s markStore, id int64, starred bool) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		return markedMsg{id: id, starred: true, value: starred, err: s.SetStarred(ctx, id, starred)}
	}
}

func markAllRead(s Store, f store.Filter) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		ids, err := s.UnreadIDs(ctx, f)
		if err != nil {
			return markedAllMsg{err: err}
		}
		n, err := s.MarkRead(ctx, f)
		return markedAllMsg{n: n, ids: ids, err: err}
	}
}

func loadErrors(s errorsStore, seq int) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		errs, err := s.Errors(ctx)
		return errorsLoadedMsg{seq: seq, errs: errs, err: err}
	}
}

func emit(msg tea.Msg) tea.Cmd {
	return func() tea.Msg { return msg }
}

func refreshTick(d time.Duration, seq int) tea.Cmd {
	return tea.Tick(d, func(time.Time) tea.Msg { return refreshTickMsg{seq: seq} })
}

// runRefresh starts store.Refresh in a goroutine that reports on ch and
// returns the first report. Progress is sent without blocking the store's
// writer (a report the UI has not read yet is superseded by the next); the
// final message always arrives unless ctx was cancelled.
func runRefresh(ctx context.Context, s Store, f store.Fetcher, ids []int64, seq int, ch chan tea.Msg) tea.Cmd {
	return func() tea.Msg {
		go func() {
			defer close(ch)
			sum, err := s.Refresh(ctx, f, ids, func(p store.Progress) {
				select {
				case ch <- refreshProgressMsg{seq: seq, p: p}:
				default:
				}
			})
			select {
			case ch <- refreshDoneMsg{seq: seq, summary: sum, err: err}:
			case <-ctx.Done():
			}
		}()
		return <-ch
	}
}

// waitRefresh returns the refresh's next report.
func waitRefresh(ch <-chan tea.Msg) tea.Cmd {
	return func() tea.Msg {
		msg, ok := <-ch
		if !ok {
			return nil
		}
		return msg
	}
}

// resolveLink looks a followed link up in the cache: by URL, or by title for
// a title-only link.
func resolveLink(s readerStore, l feed.Link, from int64, seq int) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		if l.URL == "" {
			// Matched when the article (or its target) was written.
			t, err := s.Targets(ctx, from, nil)
			target, ok := t[l.N]
			switch {
			case err != nil:
				return linkFailedMsg{seq: seq, from: from, link: l, err: err}
			case !ok:
				return linkFailedMsg{seq: seq, from: from, link: l, err: errNotCachedYet}
			case target.CrossSite:
				return linkResolvedMsg{seq: seq, from: from, link: l, row: target.ArticleRow, how: byTitleElsewhere}
			}
			return linkResolvedMsg{seq: seq, from: from, link: l, row: target.ArticleRow, how: byTitle}
		}
		u, err := feed.CheckURL(l.URL)
		if err != nil {
			return linkFailedMsg{seq: seq, from: from, link: l, err: err, reason: "not a web link"}
		}
		row, err := s.ArticleByURL(ctx, u)
		switch {
		case err == nil:
			return linkResolvedMsg{seq: seq, from: from, link: l, row: row, how: fromCache}
		case errors.Is(err, store.ErrNotFound):
			return linkNeedsFetchMsg{seq: seq, from: from, link: l, url: u}
		}
		return linkFailedMsg{seq: seq, from: from, link: l, err: err}
	}
}

// fetchLinkedPage fetches url in reader mode and stores it as a linked page
// of from, under its final URL with url as an alias (a link that redirects
// is found in the cache the next time).
func fetchLinkedPage(f Fetcher, s readerStore, l feed.Link, url string, from int64, seq int) tea.Cmd {
	return func() tea.Msg {
		page, err := f.FetchPage(context.Background(), url) // bounded by the client's timeout
		if err != nil {
			return linkFailedMsg{seq: seq, from: from, link: l, err: err, reason: failReason(err)}
		}
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		row, err := s.SavePage(ctx, page, url, from)
		if err != nil {
			return linkFailedMsg{seq: seq, from: from, link: l, err: err}
		}
		return linkResolvedMsg{seq: seq, from: from, link: l, row: row, how: fetchedPage}
	}
}

// failReason is why a page fetch failed, in the few words the "Read also"
// block has room for: "not found", "no such host", "timeout"…; "" for a
// cancelled fetch, which says nothing about the link.
func failReason(err error) string {
	var he *feed.HTTPError
	var ne *feed.NetError
	switch {
	case errors.Is(err, context.Canceled):
		return ""
	case errors.As(err, &he):
		msg := errText(he)
		if i := strings.Index(msg, " (HTTP"); i > 0 {
			return msg[:i]
		}
		return msg
	case errors.As(err, &ne) && ne.Kind != nil:
		return errText(ne.Kind)
	}
	return "error"
}

// logCmd writes one log record (in a Cmd: Update does no I/O); nil l: none.
func logCmd(l *slog.Logger, msg string, args ...any) tea.Cmd {
	if l == nil {
		return nil
	}
	return func() tea.Msg {
		l.Warn(msg, args...)
		return nil
	}
}

// openBrowser runs open on url once feed.CheckURL accepts it.
func openBrowser(open func(string) error, raw string) tea.Cmd {
	return func() tea.Msg {
		u, err := feed.CheckURL(raw)
		if err != nil {
			return browserOpenedMsg{url: raw, err: err}
		}
		if open == nil {
			return browserOpenedMsg{url: u, err: errors.New("no browser configured")}
		}
		return browserOpenedMsg{url: u, err: open(u)}
	}
}
