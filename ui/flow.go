package ui

import (
	"context"
	"errors"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/store"
)

// This file is the root's part of the reading flow: undoing marks, the
// confirmation of a large mark-all, the browser, the clipboard and keeping
// the list's view.

// undoAction is a mark that u puts back: one article's read or starred
// state, or a mark-all (the ids it marked read).
type undoAction struct {
	id      int64
	starred bool
	value   bool // the state it was set to
	ids     []int64
}

// maxUndo is how many mark actions u can put back, newest first.
const maxUndo = 50

func (m *Model) pushUndo(a undoAction) {
	m.undo = append(m.undo, a)
	if len(m.undo) > maxUndo {
		m.undo = m.undo[len(m.undo)-maxUndo:]
	}
}

// undoLast puts the last mark action back.
func (m *Model) undoLast() tea.Cmd {
	if len(m.undo) == 0 {
		m.setStatus(statusInfo, "nothing to undo")
		return nil
	}
	a := m.undo[len(m.undo)-1]
	m.undo = m.undo[:len(m.undo)-1]
	if a.ids != nil {
		m.setStatus(statusInfo, "marking %s unread again…", plural(len(a.ids), "article", "articles"))
		return setReadIDs(m.store, a.ids, false)
	}
	return tea.Batch(m.broadcast(articleMarkedMsg{id: a.id, starred: a.starred, value: !a.value, undoing: true}),
		func() tea.Cmd {
			if a.starred {
				return setStarred(m.store, a.id, !a.value)
			}
			return setRead(m.store, a.id, !a.value)
		}())
}

// askMarkAll marks every article of f read, asking first when that is more
// than a screen of articles.
func (m *Model) askMarkAll(f store.Filter, label string, n int, unread bool) tea.Cmd {
	msg := markAllMsg{filter: f, label: label, n: n, unread: unread}
	if n <= max(1, m.bodyHeight()) {
		return m.broadcast(msg)
	}
	m.confirm.open(confirmMsg{question: sprintf("mark %s in %s read?", msg.articles(), label), yes: msg})
	return nil
}

// articles says how many articles msg marks.
func (msg markAllMsg) articles() string {
	if msg.unread {
		return plural(msg.n, "unread article", "unread articles")
	}
	return plural(msg.n, "article", "articles")
}

// flow is the root's part of the flow's messages.
func (m *Model) flow(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case markAllMsg:
		m.setStatus(statusInfo, "marking %s in %s read…", msg.articles(), msg.label)
		return markAllRead(m.store, msg.filter)
	case undoneMsg:
		if msg.err != nil {
			m.setError("undo: %v", msg.err)
			return nil
		}
		m.setStatus(statusOK, "marked %s unread again", plural(int(msg.n), "article", "articles"))
		return tea.Batch(m.feeds.load(), m.list.reload())
	case openURLMsg:
		return m.openURL(msg.url)
	case copyMsg:
		return copyURL(m.copy, msg.url)
	case copiedMsg:
		if msg.err != nil {
			m.setError("copy: %v", msg.err)
		} else {
			m.setStatus(statusOK, "copied %s", hostPath(msg.url))
		}
	case viewChangedMsg:
		return saveView(m.saveView, msg.view)
	}
	return nil
}

// openURL opens url: in a terminal browser, which gets the terminal until
// it exits, else in the browser that runs beside brief.
func (m *Model) openURL(raw string) tea.Cmd {
	if m.termBrowser == nil {
		return openBrowser(m.browser, raw)
	}
	u, err := feed.CheckURL(raw)
	if err != nil {
		return emit(browserOpenedMsg{url: raw, err: err})
	}
	c, err := m.termBrowser(u)
	if err != nil {
		return emit(browserOpenedMsg{url: u, err: err})
	}
	return tea.ExecProcess(c, func(err error) tea.Msg { return browserOpenedMsg{url: u, err: err} })
}

func setReadIDs(s Store, ids []int64, read bool) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		n, err := s.SetReadIDs(ctx, ids, read)
		return undoneMsg{n: n, err: err}
	}
}

func copyURL(c func(string) error, raw string) tea.Cmd {
	return func() tea.Msg {
		u, err := feed.CheckURL(raw)
		if err != nil {
			return copiedMsg{url: raw, err: err}
		}
		if c == nil {
			return copiedMsg{url: u, err: errNoClipboard}
		}
		return copiedMsg{url: u, err: c(u)}
	}
}

func saveView(save func(View) error, v View) tea.Cmd {
	if save == nil {
		return nil
	}
	return func() tea.Msg {
		if err := save(v); err != nil {
			return statusMsg{kind: statusError, text: sprintf("the sort is not kept for the next run: %v", err)}
		}
		return nil
	}
}

// errNoClipboard: y without a way to reach the clipboard.
var errNoClipboard = errors.New("no clipboard: the terminal was not given one")
