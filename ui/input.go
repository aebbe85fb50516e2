package ui

import (
	"slices"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// handleKey routes a key: the open prompt or overlay first, then the keys
// that work everywhere, then the focused pane.
func (m *Model) handleKey(msg tea.KeyMsg) tea.Cmd {
	if msg.Type == tea.KeyCtrlC {
		return m.quit()
	}
	m.status = status{} // a message lasts until the next key
	m.notice = ""
	var cmd tea.Cmd
	switch {
	case m.search.active:
		m.search, cmd = m.search.Update(msg)
	case m.num.active:
		m.num, cmd = m.num.Update(msg)
	case m.confirm.active:
		m.confirm, cmd = m.confirm.Update(msg)
	case m.overlay == overlayHelp:
		m.help, cmd = m.help.Update(msg)
	case m.overlay == overlayErrors:
		m.errs, cmd = m.errs.Update(msg)
	case m.overlay == overlayPicker:
		m.picker, cmd = m.picker.Update(msg)
	case m.overlay == overlaySubs:
		m.subs, cmd = m.subs.Update(msg)
	default:
		cmd = m.globalKey(msg)
	}
	return tea.Batch(cmd, m.broadcastTold())
}

// broadcastTold gives what the panes told to everyone.
func (m *Model) broadcastTold() tea.Cmd {
	var cmds []tea.Cmd
	for _, msg := range m.told() {
		cmds = append(cmds, m.broadcast(msg))
	}
	return tea.Batch(cmds...)
}

// globalKey handles the keys that work in every pane, and gives the others
// to the focused pane.
func (m *Model) globalKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	var cmd tea.Cmd
	switch {
	case key.Matches(msg, k.Quit):
		return m.quit()
	case key.Matches(msg, k.Help):
		m.overlay = overlayHelp
	case key.Matches(msg, k.Errors):
		m.overlay = overlayErrors
		return m.errs.open(m.lastStatus)
	case key.Matches(msg, k.Search):
		return m.search.open(searchText(m.list.Filter()))
	case key.Matches(msg, k.RefreshAll):
		return m.startRefresh(nil)
	case key.Matches(msg, k.Refresh):
		return m.startRefresh(m.refreshTargets())
	case keyIs(msg, k.Refresh, k.RefreshAll):
		m.refreshRefused()
	case key.Matches(msg, k.HistoryBack, k.HistoryForward):
		m.reader, cmd = m.reader.Update(msg)
	case key.Matches(msg, k.MarkAllRead):
		return m.markAllRead()
	case key.Matches(msg, k.AddFeed):
		m.overlay = overlaySubs
		return m.subs.openAdd()
	case key.Matches(msg, k.RemoveFeed):
		if f, ok := m.feeds.selectedFeed(); ok {
			m.overlay = overlaySubs
			m.subs.openRemove(f)
		}
	case keyIs(msg, k.Undo): // enabled or not: say when there is nothing to undo
		return m.undoLast()
	case m.focus == paneFeeds:
		m.feeds, cmd = m.feeds.Update(msg)
	case m.focus == paneReader:
		m.reader, cmd = m.reader.Update(msg)
	default:
		m.list, cmd = m.list.Update(msg)
	}
	return cmd
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
	feedID, open := m.reader.feedID()
	switch {
	case m.fetcher == nil:
		m.setStatus(statusInfo, "brief is offline: nothing can be refreshed")
	case m.focus == paneReader && open && feedID == 0:
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
		if c.kind == choiceStarred { // the chooser does not count the starred unread
			return m.askMarkAll(c.filter(), c.label, c.total, false)
		}
		return m.askMarkAll(c.filter(), c.label, c.unread, true)
	}
	return m.askMarkAll(m.list.Filter(), m.feeds.activeLabel(), m.list.Total(), false)
}

// handleMouse gives a wheel event to the pane under the pointer (or the
// overlay), and a click to the pane under it, which takes the focus. The
// pane gets the event's row within itself.
func (m *Model) handleMouse(msg tea.MouseMsg) tea.Cmd {
	if msg.Action != tea.MouseActionPress {
		return nil
	}
	wheel := msg.Button == tea.MouseButtonWheelUp || msg.Button == tea.MouseButtonWheelDown
	msg.Y-- // the header line
	var cmd tea.Cmd
	switch {
	case m.search.active, m.overlay == overlayHelp, m.overlay == overlaySubs:
		return nil
	case m.overlay == overlayErrors:
		if wheel {
			m.errs, cmd = m.errs.Update(msg)
		}
		return cmd
	case !wheel && msg.Button != tea.MouseButtonLeft:
		return nil
	case !wheel && (msg.Y < 0 || msg.Y >= m.bodyHeight()):
		return nil
	}
	target := m.paneAt(msg.X)
	if !wheel {
		m.focus = target
	}
	switch {
	case target == paneFeeds:
		m.feeds, cmd = m.feeds.Update(msg)
	case target == paneList:
		m.list, cmd = m.list.Update(msg)
	case m.overlay == overlayPicker:
		if wheel {
			m.picker, cmd = m.picker.Update(msg)
		}
	default:
		m.reader, cmd = m.reader.Update(msg)
	}
	return tea.Batch(cmd, m.broadcastTold())
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
