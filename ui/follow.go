package ui

import (
	"fmt"
	"maps"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/store"
)

// followState is the link being followed: seq identifies the latest follow
// (older replies are dropped); fetching is the URL being fetched in reader
// mode, "" when none; failed remembers, for the session, the links that
// could not be followed and why (by linkKey), so that the article says so.
type followState struct {
	seq      int
	fetching string
	failed   map[string]string
}

// linkKey identifies where a link leads: its normalised URL, or the title
// of a title-only link.
func linkKey(l feed.Link) string {
	if l.URL != "" {
		if n := feed.NormalizeURL(l.URL); n != "" {
			return "url " + n
		}
		return "url " + l.URL
	}
	return "title " + feed.CleanText(l.Text)
}

// failure is why following l failed this session, or "".
func (f followState) failure(l feed.Link) string {
	return f.failed[linkKey(l)]
}

// followLink selects l and resolves it: cache by URL, cache by title, or a
// reader-mode fetch (see the link* handlers).
func (m *Model) followLink(l feed.Link) tea.Cmd {
	m.reader.selectLink(l.N)
	m.follow.seq++
	m.follow.fetching = ""
	m.setStatus(statusInfo, "following [%d]…", l.N)
	return resolveLink(m.store, l, m.reader.id, m.follow.seq)
}

// followReply says whether a reply answers the latest follow, and whether
// the user is still where they followed it: the reader on the article the
// link is in, with nothing over it. A reply that comes after the user moved
// on must not take them away from what they are doing.
func (m *Model) followReply(seq int, from int64) (latest, here bool) {
	if seq != m.follow.seq {
		return false, false
	}
	here = from == m.reader.id && m.focus == paneReader && m.overlay == overlayNone && !m.searching && !m.numMode
	return true, here
}

func (m *Model) linkResolved(msg linkResolvedMsg) tea.Cmd {
	latest, here := m.followReply(msg.seq, msg.from)
	if !latest {
		return nil
	}
	m.follow.fetching = ""
	delete(m.follow.failed, linkKey(msg.link))
	if !here {
		if msg.how != fetchedPage {
			return nil // the cache answered as the user moved on: nothing to say
		}
		m.setStatus(statusOK, "[%d] saved: %s (not opened)", msg.link.N, msg.row.Title)
		return m.setTarget(msg.from, msg.link.N, msg.row)
	}
	switch msg.how {
	case fromCache:
		m.setStatus(statusOK, "[%d] from cache", msg.link.N)
	case byTitle:
		m.setStatus(statusOK, "[%d] matched by title in the cache", msg.link.N)
	case fetchedPage:
		m.setStatus(statusOK, "[%d] fetched in reader mode: %s", msg.link.N, hostPath(msg.row.URL))
	}
	return m.openArticle(msg.row.ID, true, nil)
}

// setTarget records row as the cached target of link n of article from, when
// the reader still shows it, so that its "Read also" block says so.
func (m *Model) setTarget(from int64, n int, row store.ArticleRow) tea.Cmd {
	if !m.reader.loaded || m.reader.id != from {
		return nil
	}
	t := maps.Clone(m.reader.targets)
	if t == nil {
		t = map[int]store.ArticleRow{}
	}
	t[n] = row
	m.reader.targets = t
	return m.renderCurrent()
}

func (m *Model) linkAmbiguous(msg linkAmbiguousMsg) tea.Cmd {
	if latest, here := m.followReply(msg.seq, msg.from); !latest || !here {
		return nil
	}
	title := feed.CleanText(msg.link.Text)
	m.picker = pickerPane{
		title: fmt.Sprintf("%d cached articles match “%s”", len(msg.rows), title),
		rows:  msg.rows, width: m.picker.width, height: m.picker.height,
	}
	m.overlay = overlayPicker
	m.setStatus(statusInfo, "[%d] several matches: pick one", msg.link.N)
	return nil
}

func (m *Model) linkNeedsFetch(msg linkNeedsFetchMsg) tea.Cmd {
	if latest, here := m.followReply(msg.seq, msg.from); !latest || !here {
		return nil
	}
	if m.fetcher == nil {
		m.setError("[%d] not cached and brief is offline · o opens it in the browser", msg.link.N)
		return nil
	}
	m.follow.fetching = msg.url
	m.setStatus(statusInfo, "")
	return tea.Batch(fetchLinkedPage(m.fetcher, m.store, msg.link, msg.url, msg.from, msg.seq), m.startSpinner())
}

// linkFailed says why a link could not be followed. The status line already
// shows the link's destination, so the message is only the reason; the
// reason is remembered for the session when it is about the link (a missing
// page, not a database hiccup) and the article is redrawn to show it.
func (m *Model) linkFailed(msg linkFailedMsg) tea.Cmd {
	latest, here := m.followReply(msg.seq, msg.from)
	if !latest {
		return nil
	}
	m.follow.fetching = ""
	switch {
	case msg.link.URL == "" || !here:
		m.setError("[%d] %s", msg.link.N, errText(msg.err))
	default:
		m.setError("[%d] %s · o opens it in the browser", msg.link.N, errText(msg.err))
	}
	if msg.reason == "" {
		return nil
	}
	if m.follow.failed == nil {
		m.follow.failed = map[string]string{}
	}
	m.follow.failed[linkKey(msg.link)] = msg.reason
	if m.reader.loaded && m.reader.id == msg.from {
		return m.renderCurrent()
	}
	return nil
}

// historyBack returns to the previous article with its scroll position and
// selected link.
func (m *Model) historyBack() tea.Cmd {
	return m.historyStep(&m.reader.back, &m.reader.fwd, "no previous article", "back")
}

// historyForward goes again to the article left by historyBack.
func (m *Model) historyForward() tea.Cmd {
	return m.historyStep(&m.reader.fwd, &m.reader.back, "no next article", "forward")
}

// historyStep pops the last entry of from, pushes the article shown now onto
// to, and opens the popped one where it was left.
func (m *Model) historyStep(from, to *[]histEntry, none, verb string) tea.Cmd {
	if len(*from) == 0 {
		m.setStatus(statusInfo, "%s", none)
		return nil
	}
	e := (*from)[len(*from)-1]
	*from = (*from)[:len(*from)-1]
	if m.reader.id != 0 {
		*to = append(*to, m.reader.entry())
	}
	m.follow.seq++ // a follow under way no longer applies
	m.follow.fetching = ""
	m.setStatus(statusInfo, "%s (%d more)", verb, len(*from))
	return m.openArticle(e.id, false, &e)
}

// showBacklinks offers the articles that link to the one shown.
func (m *Model) showBacklinks() tea.Cmd {
	n := len(m.reader.backlinks)
	if n == 0 {
		return nil
	}
	m.picker = pickerPane{
		title: "Linked from " + plural(n, "article", "articles"),
		rows:  m.reader.backlinks, width: m.picker.width, height: m.picker.height,
	}
	m.overlay = overlayPicker
	return nil
}

// linkDestination is what the status bar says about the selected link:
// where it leads, and in note, as the "Read also" block says, whether it is
// cached or failed this session.
func (m Model) linkDestination() (dest, note string) {
	l, ok := m.reader.link(m.reader.selected)
	if !ok {
		return "", ""
	}
	dest = fmt.Sprintf("[%d] %s", l.N, feed.CleanText(l.URL))
	if l.URL == "" {
		dest = fmt.Sprintf("[%d] by title: “%s”", l.N, feed.CleanText(l.Text))
	}
	if _, ok := m.reader.targets[l.N]; ok {
		return dest, "(cached)"
	}
	if why := m.follow.failure(l); why != "" {
		return dest, "(failed: " + feed.CleanText(why) + ")"
	}
	return dest, ""
}

// failedLinks are the links of the article shown that failed this session,
// by Link.N, with why.
func (m Model) failedLinks() map[int]string {
	if len(m.follow.failed) == 0 {
		return nil
	}
	var out map[int]string
	for _, l := range m.reader.links() {
		if why := m.follow.failure(l); why != "" {
			if out == nil {
				out = map[int]string{}
			}
			out[l.N] = why
		}
	}
	return out
}

// browseTarget is the URL o opens in the focused pane: the selected row's
// article in the list; in the reader, the selected link, else the article.
// When there is none, why says why ("" when nothing is selected at all).
func (m *Model) browseTarget() (url, why string) {
	switch m.focus {
	case paneList:
		row, ok := m.list.selected()
		switch {
		case !ok:
			return "", ""
		case row.URL == "":
			return "", noBrowserLink
		}
		return row.URL, ""
	case paneReader:
		r := &m.reader
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
	return "", ""
}

// noBrowserLink says why o does nothing on an article whose link was
// missing or refused (javascript:, file: …): only http(s) links are kept.
const noBrowserLink = "this article has no http(s) link"

// openInBrowser opens the browse target, or says why there is none.
func (m *Model) openInBrowser() tea.Cmd {
	u, why := m.browseTarget()
	if u == "" {
		if why != "" {
			m.setStatus(statusInfo, "%s", why)
		}
		return nil
	}
	return openBrowser(m.openURL, u)
}
