package ui

import (
	"context"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/brief-reader/brief/store"
)

// anchors are the first and last rows of the loaded window with their
// indexes: the places a scroll or a jump seeks the next window from (keyset
// paging: a window next to them, or at the end, costs what the first does).
func (l *listPane) anchors() []store.Anchor {
	if len(l.rows) == 0 {
		return nil
	}
	last := len(l.rows) - 1
	return []store.Anchor{{Index: l.start, Row: l.rows[0]}, {Index: l.start + last, Row: l.rows[last]}}
}

// loadWindowNear reads limit rows of f from start, seeking from the list's
// end (total rows; negative: unknown) or the anchors when nearer than the top.
func loadWindowNear(s listStore, f store.Filter, start, limit, total int, anchors []store.Anchor, seq int) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		msg := windowLoadedMsg{seq: seq, filter: f, start: start, total: -1}
		msg.rows, msg.err = s.Window(ctx, f, start, limit, total, anchors...)
		return msg
	}
}
