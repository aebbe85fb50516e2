package ui

import (
	"slices"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// handleKey routes a key: prompts and overlays first, then the keys that
// work everywhere, then the focused pane.
func (m *Model) handleKey(msg tea.KeyMsg) tea.Cmd {
	if msg.Type == tea.KeyCtrlC {
		return m.quit()
	}
	m.status = status{} // a message lasts until the next key
	m.notice = ""
	switch {
	case m.searching:
		return m.searchKey(msg)
	case m.numMode:
		return m.numberKey(msg)
	}
	k := m.keys
	switch m.overlay {
	case overlayHelp:
		if key.Matches(msg, k.Help, k.Back, k.Quit) {
			m.overlay = overlayNone
		}
		return nil
	case overlayErrors:
		return m.errorsKey(msg)
	case overlayPicker:
		return m.pickerKey(msg)
	}
	switch {
	case key.Matches(msg, k.Quit):
		return m.quit()
	case key.Matches(msg, k.Help):
		m.overlay = overlayHelp
		return nil
	case key.Matches(msg, k.Errors):
		m.overlay = overlayErrors
		m.errs.offset = 0
		return m.loadErrors()
	case key.Matches(msg, k.Search):
		m.searching = true
		m.search.SetValue(m.list.filter.Query)
		m.search.CursorEnd()
		return m.search.Focus()
	case key.Matches(msg, k.RefreshAll):
		return m.startRefresh(nil)
	case key.Matches(msg, k.Refresh):
		return m.startRefresh(m.refreshTargets())
	case keyIs(msg, k.Refresh, k.RefreshAll):
		m.refreshRefused()
		return nil
	case key.Matches(msg, k.HistoryBack):
		return m.historyBack()
	case key.Matches(msg, k.HistoryForward):
		return m.historyForward()
	case key.Matches(msg, k.MarkAllRead):
		return m.markAllRead()
	}
	switch m.focus {
	case paneFeeds:
		return m.feedsKey(msg)
	case paneReader:
		return m.readerKey(msg)
	}
	return m.listKey(msg)
}

func (m *Model) feedsKey(msg tea.KeyMsg) tea.Cmd {
	k, f := m.keys, &m.feeds
	switch {
	case key.Matches(msg, k.Up):
		f.move(-1)
	case key.Matches(msg, k.Down):
		f.move(1)
	case key.Matches(msg, k.Top):
		f.top()
	case key.Matches(msg, k.Bottom):
		f.bottom()
	case key.Matches(msg, k.PageDown):
		f.page(1)
	case key.Matches(msg, k.PageUp):
		f.page(-1)
	case key.Matches(msg, k.Open):
		return m.applyChoice()
	case key.Matches(msg, k.NextPane, k.Back):
		m.focus = paneList
	case key.Matches(msg, k.PrevPane):
		if m.reader.id != 0 {
			m.focus = paneReader
		} else {
			m.focus = paneList
		}
	}
	return nil
}

// keyIs reports whether msg is one of the keys of bs, enabled or not (to
// say why a disabled key does nothing).
func keyIs(msg tea.KeyMsg, bs ...key.Binding) bool {
	for _, b := range bs {
		if slices.Contains(b.Keys(), msg.String()) {
			return true
		}
	}
	return false
}

// refreshRefused says why r (or R) cannot refresh here.
func (m *Model) refreshRefused() {
	switch {
	case m.fetcher == nil:
		m.setStatus(statusInfo, "brief is offline: nothing can be refreshed")
	case m.focus == paneReader && m.reader.loaded && m.reader.article.FeedID == 0:
		m.setStatus(statusInfo, "this page is in no feed: R refreshes every feed")
	default:
		m.setStatus(statusInfo, "no feed selected here: R refreshes every feed")
	}
}

// markAllRead marks every article of a list read: in the chooser, of the
// highlighted entry (as r refreshes it there); elsewhere, of the list shown.
func (m *Model) markAllRead() tea.Cmd {
	if m.focus == paneFeeds {
		c := m.feeds.selected()
		switch {
		case c.kind == choiceStarred:
			m.setStatus(statusInfo, "marking the starred articles read…")
		default:
			m.setStatus(statusInfo, "marking %s in %s read…", plural(c.unread, "unread article", "unread articles"), c.label)
		}
		return markAllRead(m.store, c.filter())
	}
	label := m.feeds.active.label
	if label == "" {
		label = "All"
	}
	m.setStatus(statusInfo, "marking %s in %s read…", plural(m.list.total, "article", "articles"), label)
	return markAllRead(m.store, m.list.filter)
}

// applyChoice shows the chooser's selected entry in the list.
func (m *Model) applyChoice() tea.Cmd {
	c := m.feeds.selected()
	m.feeds.active = c
	m.focus = paneList
	f := c.filter()
	f.Query = m.list.filter.Query
	return m.setFilter(f)
}

func (m *Model) listKey(msg tea.KeyMsg) tea.Cmd {
	k, l := m.keys, &m.list
	row, rowOK := l.selected()
	switch {
	case key.Matches(msg, k.Up):
		l.moveTo(l.cursor - 1)
	case key.Matches(msg, k.Down):
		l.moveTo(l.cursor + 1)
	case key.Matches(msg, k.Top):
		l.moveTo(0)
	case key.Matches(msg, k.Bottom):
		l.moveTo(l.total - 1)
	case key.Matches(msg, k.PageDown):
		l.moveTo(l.cursor + max(1, l.height-1))
	case key.Matches(msg, k.PageUp):
		l.moveTo(l.cursor - max(1, l.height-1))
	case key.Matches(msg, k.Open):
		switch {
		case rowOK && m.reader.id == row.ID && m.reader.err == nil:
			m.focus = paneReader // already open: keep its position
		case rowOK:
			return m.openArticle(row.ID, true, nil)
		}
		return nil
	case key.Matches(msg, k.Back):
		if msg.Type == tea.KeyEsc && l.filter.Query != "" {
			f := l.filter
			f.Query = ""
			m.setStatus(statusInfo, "search cleared")
			return m.setFilter(f)
		}
		m.focus = paneFeeds
	case key.Matches(msg, k.NextPane):
		if m.reader.id != 0 {
			m.focus = paneReader
		} else {
			m.focus = paneFeeds
		}
	case key.Matches(msg, k.PrevPane):
		m.focus = paneFeeds
	case key.Matches(msg, k.ToggleRead):
		return m.toggleRead(row.ID, !row.Read)
	case key.Matches(msg, k.Star):
		return m.toggleStar(row.ID, !row.Starred)
	case keyIs(msg, k.OpenBrowser): // enabled or not: say why it does nothing
		return m.openInBrowser()
	}
	return m.ensureWindow()
}

func (m *Model) readerKey(msg tea.KeyMsg) tea.Cmd {
	k, r := m.keys, &m.reader
	switch {
	case key.Matches(msg, k.Up):
		r.vp.ScrollUp(1)
	case key.Matches(msg, k.Down):
		r.vp.ScrollDown(1)
	case key.Matches(msg, k.Top):
		r.vp.GotoTop()
	case key.Matches(msg, k.Bottom):
		r.vp.GotoBottom()
	case key.Matches(msg, k.PageDown):
		r.vp.PageDown()
	case key.Matches(msg, k.PageUp):
		r.vp.PageUp()
	case key.Matches(msg, k.Back):
		m.focus = paneList
	case key.Matches(msg, k.NextLink):
		r.cycle(1)
	case key.Matches(msg, k.PrevLink):
		r.cycle(-1)
	case key.Matches(msg, k.NextPane): // only without links: feeds → list → reader → feeds
		m.focus = paneFeeds
	case key.Matches(msg, k.PrevPane):
		m.focus = paneList
	case key.Matches(msg, k.Follow):
		if l, ok := r.link(r.selected); ok {
			return m.followLink(l)
		}
	case key.Matches(msg, k.FollowReadAlso):
		n, _ := strconv.Atoi(msg.String()) // the binding only has the keys 1-9
		if l, ok := r.readAlso(n); ok {
			return m.followLink(l)
		}
		m.setStatus(statusInfo, "no “Read also” link %d", n)
	case key.Matches(msg, k.FollowNumber):
		m.numMode, m.num = true, ""
	case key.Matches(msg, k.Backlinks):
		return m.showBacklinks()
	case key.Matches(msg, k.ToggleRead):
		return m.toggleRead(r.id, !r.article.Read)
	case key.Matches(msg, k.Star):
		return m.toggleStar(r.id, !r.article.Starred)
	case keyIs(msg, k.OpenBrowser): // enabled or not: say why it does nothing
		return m.openInBrowser()
	}
	return nil
}

// numberKey reads the digits of "f N enter".
func (m *Model) numberKey(msg tea.KeyMsg) tea.Cmd {
	switch msg.Type {
	case tea.KeyEsc:
		m.numMode = false
		return nil
	case tea.KeyBackspace:
		if m.num != "" {
			m.num = m.num[:len(m.num)-1]
		}
		return nil
	case tea.KeyEnter:
		m.numMode = false
		n, err := strconv.Atoi(m.num)
		if err != nil {
			return nil
		}
		if l, ok := m.reader.link(n); ok {
			return m.followLink(l)
		}
		m.setError("no link [%d]", n)
		return nil
	case tea.KeyRunes:
		if s := string(msg.Runes); len(m.num) < 4 && strings.Trim(s, "0123456789") == "" {
			m.num += s
		}
	}
	return nil
}

func (m *Model) searchKey(msg tea.KeyMsg) tea.Cmd {
	switch msg.Type {
	case tea.KeyEsc:
		m.searching = false
		m.search.Blur()
		return nil
	case tea.KeyEnter:
		m.searching = false
		m.search.Blur()
		f := m.list.filter
		f.Query = strings.TrimSpace(m.search.Value())
		m.focus = paneList
		return m.setFilter(f)
	}
	var cmd tea.Cmd
	m.search, cmd = m.search.Update(msg)
	return cmd
}

func (m *Model) errorsKey(msg tea.KeyMsg) tea.Cmd {
	k, now := m.keys, m.now()
	switch {
	case key.Matches(msg, k.Errors, k.Back, k.Quit):
		m.overlay = overlayNone
	case key.Matches(msg, k.Up):
		m.errs.scroll(-1, m.styles, now)
	case key.Matches(msg, k.Down):
		m.errs.scroll(1, m.styles, now)
	case key.Matches(msg, k.PageDown):
		m.errs.scroll(m.errs.height-1, m.styles, now)
	case key.Matches(msg, k.PageUp):
		m.errs.scroll(1-m.errs.height, m.styles, now)
	case key.Matches(msg, k.Top):
		m.errs.offset = 0
	case key.Matches(msg, k.Bottom):
		m.errs.scroll(1<<20, m.styles, now)
	case key.Matches(msg, k.RefreshAll):
		return m.startRefresh(nil)
	}
	return nil
}

func (m *Model) pickerKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Back, k.Quit):
		m.overlay = overlayNone
	case key.Matches(msg, k.Up):
		m.picker.move(-1)
	case key.Matches(msg, k.Down):
		m.picker.move(1)
	case key.Matches(msg, k.Top):
		m.picker.move(-len(m.picker.rows))
	case key.Matches(msg, k.Bottom):
		m.picker.move(len(m.picker.rows))
	case msg.Type == tea.KeyEnter || key.Matches(msg, k.Open):
		if r, ok := m.picker.selected(); ok {
			m.overlay = overlayNone
			return m.openArticle(r.ID, true, nil)
		}
	}
	return nil
}

// handleMouse scrolls the pane under the pointer with the wheel, and moves
// the focus (and the cursor) with a click.
func (m *Model) handleMouse(msg tea.MouseMsg) tea.Cmd {
	if m.overlay != overlayNone && m.overlay != overlayPicker || m.searching {
		if m.overlay == overlayErrors && msg.Action == tea.MouseActionPress {
			switch msg.Button {
			case tea.MouseButtonWheelUp:
				m.errs.scroll(-3, m.styles, m.now())
			case tea.MouseButtonWheelDown:
				m.errs.scroll(3, m.styles, m.now())
			}
		}
		return nil
	}
	if msg.Action != tea.MouseActionPress {
		return nil
	}
	target := m.paneAt(msg.X)
	y := msg.Y - 1 // the header line
	switch msg.Button {
	case tea.MouseButtonWheelUp, tea.MouseButtonWheelDown:
		d := 3
		if msg.Button == tea.MouseButtonWheelUp {
			d = -3
		}
		switch target {
		case paneFeeds:
			m.feeds.move(d / 3)
		case paneReader:
			if m.overlay == overlayPicker {
				m.picker.move(d / 3)
			} else if d > 0 {
				m.reader.vp.ScrollDown(d)
			} else {
				m.reader.vp.ScrollUp(-d)
			}
		default:
			m.list.moveTo(m.list.cursor + d)
			return m.ensureWindow()
		}
	case tea.MouseButtonLeft:
		if y < 0 || y >= m.bodyHeight() {
			return nil
		}
		m.focus = target
		switch target {
		case paneFeeds:
			m.feeds.clickRow(y)
			return m.applyChoice()
		case paneList:
			m.list.clickRow(y)
			return m.ensureWindow()
		}
	}
	return nil
}

// paneAt is the pane drawn at column x.
func (m Model) paneAt(x int) pane {
	fw, lw, _ := m.layout()
	edge := 0
	for _, p := range m.columns() {
		switch p {
		case paneFeeds:
			edge += fw + 1
		case paneList:
			edge += lw + 1
		default:
			edge = m.width
		}
		if x < edge {
			return p
		}
	}
	return paneList
}
