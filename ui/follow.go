package ui

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/brief-reader/brief/feed"
)

// followState is the link being followed: seq identifies the latest follow
// (older replies are dropped); fetching is the URL being fetched in reader
// mode, "" when none.
type followState struct {
	seq      int
	fetching string
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

func (m *Model) followCurrent(msgSeq int, from int64) bool {
	return msgSeq == m.follow.seq && from == m.reader.id
}

func (m *Model) linkResolved(msg linkResolvedMsg) tea.Cmd {
	if !m.followCurrent(msg.seq, msg.from) {
		return nil
	}
	m.follow.fetching = ""
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

func (m *Model) linkAmbiguous(msg linkAmbiguousMsg) tea.Cmd {
	if !m.followCurrent(msg.seq, msg.from) {
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
	if !m.followCurrent(msg.seq, msg.from) {
		return nil
	}
	if m.fetcher == nil {
		m.setError("[%d] %s is not cached and brief is offline · o opens it in the browser", msg.link.N, hostPath(msg.url))
		return nil
	}
	m.follow.fetching = msg.url
	m.setStatus(statusInfo, "")
	return tea.Batch(fetchLinkedPage(m.fetcher, m.store, msg.link, msg.url, msg.from, msg.seq), m.startSpinner())
}

func (m *Model) linkFailed(msg linkFailedMsg) tea.Cmd {
	if !m.followCurrent(msg.seq, msg.from) {
		return nil
	}
	m.follow.fetching = ""
	if msg.link.URL == "" {
		m.setError("[%d] %v", msg.link.N, msg.err)
		return nil
	}
	m.setError("[%d] %s: %v · o opens it in the browser", msg.link.N, hostPath(msg.link.URL), msg.err)
	return nil
}

// historyBack returns to the previous article with its scroll position and
// selected link.
func (m *Model) historyBack() tea.Cmd {
	r := &m.reader
	if len(r.back) == 0 {
		m.setStatus(statusInfo, "no previous article")
		return nil
	}
	e := r.back[len(r.back)-1]
	r.back = r.back[:len(r.back)-1]
	if r.id != 0 {
		r.fwd = append(r.fwd, r.entry())
	}
	m.follow.seq++ // a follow under way no longer applies
	m.follow.fetching = ""
	m.setStatus(statusInfo, "back (%d more)", len(r.back))
	return m.openArticle(e.id, false, &e)
}

func (m *Model) historyForward() tea.Cmd {
	r := &m.reader
	if len(r.fwd) == 0 {
		m.setStatus(statusInfo, "no next article")
		return nil
	}
	e := r.fwd[len(r.fwd)-1]
	r.fwd = r.fwd[:len(r.fwd)-1]
	if r.id != 0 {
		r.back = append(r.back, r.entry())
	}
	m.follow.seq++
	m.follow.fetching = ""
	m.setStatus(statusInfo, "forward (%d more)", len(r.fwd))
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

// linkDestination is what the status bar says about the selected link.
func (m Model) linkDestination() string {
	l, ok := m.reader.link(m.reader.selected)
	if !ok {
		return ""
	}
	if l.URL == "" {
		return fmt.Sprintf("[%d] by title: “%s”", l.N, feed.CleanText(l.Text))
	}
	dest := feed.CleanText(l.URL)
	if _, ok := m.reader.targets[l.N]; ok {
		return fmt.Sprintf("[%d] %s (cached)", l.N, dest)
	}
	return fmt.Sprintf("[%d] %s", l.N, dest)
}
