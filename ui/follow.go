package ui

import (
	"fmt"
	"maps"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/store"
)

// This file is the reader following links with its navigator: the cache by
// URL, the cache by title (the match stored when the article or its target
// was written), or a reader-mode fetch; and the history back and forward.

// followLink selects l and resolves it.
func (r *readerPane) followLink(l feed.Link) tea.Cmd {
	r.selectLink(l.N)
	seq := r.nav.follow()
	r.status(statusInfo, "following [%d]…", l.N)
	return resolveLink(r.store, l, r.id, seq)
}

// followReply says whether a reply answers the latest follow, and whether
// the user is still where they followed it: the reader on the article the
// link is in, with nothing over it (the root gives the reader the focus
// only then). A reply that comes after the user moved on must not take
// them away from what they are doing.
func (r *readerPane) followReply(seq int, from int64) (latest, here bool) {
	if !r.nav.latest(seq) {
		return false, false
	}
	return true, from == r.id && r.focused
}

func (r *readerPane) linkResolved(msg linkResolvedMsg) tea.Cmd {
	latest, here := r.followReply(msg.seq, msg.from)
	if !latest {
		return nil
	}
	r.nav.resolved(msg.link)
	if !here {
		if msg.how != fetchedPage {
			return nil // the cache answered as the user moved on: nothing to say
		}
		r.status(statusOK, "[%d] saved: %s (not opened)", msg.link.N, msg.row.Title)
		return r.setTarget(msg.from, msg.link.N, msg.row)
	}
	switch msg.how {
	case fromCache:
		r.status(statusOK, "[%d] from cache", msg.link.N)
	case byTitle:
		r.status(statusOK, "[%d] matched by title in the cache", msg.link.N)
	case byTitleElsewhere:
		r.status(statusOK, "[%d] matched by title on another site: %s", msg.link.N, feed.CleanText(msg.row.FeedTitle))
	case fetchedPage:
		r.status(statusOK, "[%d] fetched in reader mode: %s", msg.link.N, hostPath(msg.row.URL))
	}
	return r.openArticle(msg.row.ID, true, nil)
}

// setTarget records row as the cached target of link n of article from, when
// the reader still shows it, so that its "Read also" block says so.
func (r *readerPane) setTarget(from int64, n int, row store.ArticleRow) tea.Cmd {
	if !r.loaded || r.id != from {
		return nil
	}
	t := maps.Clone(r.targets)
	if t == nil {
		t = map[int]store.LinkTarget{}
	}
	t[n] = store.LinkTarget{ArticleRow: row}
	r.targets = t
	return r.render()
}

func (r *readerPane) linkNeedsFetch(msg linkNeedsFetchMsg) tea.Cmd {
	if latest, here := r.followReply(msg.seq, msg.from); !latest || !here {
		return nil
	}
	if r.fetcher == nil {
		r.status(statusError, "[%d] not cached and brief is offline · o opens it in the browser", msg.link.N)
		return nil
	}
	r.nav.fetch(msg.url)
	r.status(statusInfo, "")
	return fetchLinkedPage(r.fetcher, r.store, msg.link, msg.url, msg.from, msg.seq)
}

// linkFailed says why a link could not be followed. The status line already
// shows the link's destination, so the message is only the reason; the
// reason is remembered for the session when it is about the link (a missing
// page, not a database hiccup) and the article is redrawn to show it.
func (r *readerPane) linkFailed(msg linkFailedMsg) tea.Cmd {
	latest, here := r.followReply(msg.seq, msg.from)
	if !latest {
		return nil
	}
	switch {
	case msg.link.URL == "" || !here:
		r.status(statusError, "[%d] %s", msg.link.N, errText(msg.err))
	default:
		r.status(statusError, "[%d] %s · o opens it in the browser", msg.link.N, errText(msg.err))
	}
	if !r.nav.fail(msg.link, msg.reason) {
		return nil
	}
	if r.loaded && r.id == msg.from {
		return r.render()
	}
	return nil
}

// historyStep returns to the previous article (or, forward, to the one
// left by going back) with its scroll position and selected link.
func (r *readerPane) historyStep(forward bool) tea.Cmd {
	none, verb := "no previous article", "back"
	if forward {
		none, verb = "no next article", "forward"
	}
	e, left, ok := r.nav.step(forward, r.entry(), r.id != 0)
	if !ok {
		r.status(statusInfo, "%s", none)
		return nil
	}
	r.status(statusInfo, "%s (%d more)", verb, left)
	return r.openArticle(e.id, false, &e)
}

// destination is what the status bar says about the selected link: where
// it leads, and in note, as the "Read also" block says, whether it is
// cached or failed this session.
func (r readerPane) destination() (dest, note string) {
	l, ok := r.link(r.selected)
	if !ok {
		return "", ""
	}
	dest = fmt.Sprintf("[%d] %s", l.N, feed.DisplayURL(l.URL))
	if l.URL == "" {
		dest = fmt.Sprintf("[%d] by title: “%s”", l.N, feed.CleanText(l.Text))
	}
	if _, ok := r.targets[l.N]; ok {
		return dest, "(cached)"
	}
	if why := r.nav.failure(l); why != "" {
		return dest, "(failed: " + feed.CleanText(why) + ")"
	}
	return dest, ""
}

// browseTarget is the URL o opens in the reader: the selected link, else
// the article. When there is none, why says why ("" when nothing is shown).
func (r readerPane) browseTarget() (url, why string) {
	if !r.loaded {
		return "", ""
	}
	if l, ok := r.link(r.selected); ok {
		if l.URL == "" {
			return "", fmt.Sprintf("[%d] is a title without a link", l.N)
		}
		return l.URL, ""
	}
	if r.article.URL == "" {
		return "", noBrowserLink
	}
	return r.article.URL, ""
}
