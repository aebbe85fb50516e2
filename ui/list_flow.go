package ui

import (
	"slices"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/brief-reader/brief/store"
)

// This file is the list's part of the reading flow: stepping to the next
// (unread) article, and the view (sort, read articles hidden).

// View is how the list is shown: its sort, and whether read articles are
// hidden. main keeps it across runs (Options.View, Options.SaveView).
type View struct {
	Sort     store.Sort
	HideRead bool
}

// apply is f as the view shows it.
func (v View) apply(f store.Filter) store.Filter {
	f.Sort = v.Sort
	if v.HideRead {
		f.Unread = true
	}
	return f
}

// maxStepLoads bounds the windows one step reads (a next unread in a long
// list of read articles): 1,000 windows are 200,000 rows.
const maxStepLoads = 1000

// step moves the cursor msg.delta rows, or to the next unread row that way,
// and opens the article there when msg.open. When the rows that way are
// not loaded yet it loads them and goes on when they arrive.
func (l *listPane) step(msg stepArticleMsg) tea.Cmd {
	if !l.ready || msg.delta == 0 {
		return nil
	}
	cur, _ := l.selected()
	for i := l.cursor + msg.delta; ; i += msg.delta {
		r, ok := l.row(i)
		if !ok {
			if i < 0 || i >= l.total || msg.loads >= maxStepLoads {
				break
			}
			// Not loaded: load around it and go on from there.
			l.moveTo(i - msg.delta)
			p := msg
			p.loads++
			l.pending = &p
			start, limit, _ := l.request(true)
			return loadWindow(l.store, l.filter, start, limit, false, 0, l.seq)
		}
		if msg.unread && (r.Read || r.ID == cur.ID) {
			continue
		}
		l.moveTo(i)
		if msg.open {
			l.tell(openArticleMsg{id: r.ID})
		}
		return l.ensureWindow()
	}
	switch {
	case msg.unread:
		l.status(statusInfo, "no unread articles after this one")
	case msg.delta > 0:
		l.status(statusInfo, "this is the last article of the list")
	default:
		l.status(statusInfo, "this is the first article of the list")
	}
	return nil
}

// cycleSort shows the list in the next order, keeping the cursor on its
// article when it is still shown.
func (l *listPane) cycleSort() tea.Cmd {
	i := slices.Index(store.Sorts, store.Sort(l.view.Sort.String()))
	v := l.view
	v.Sort = store.Sorts[(i+1)%len(store.Sorts)]
	l.status(statusInfo, "sorted by %s", sortWords(v.Sort))
	return l.setView(v)
}

// toggleRead hides the read articles, or shows them again.
func (l *listPane) toggleRead() tea.Cmd {
	v := l.view
	v.HideRead = !v.HideRead
	if v.HideRead {
		l.status(statusInfo, "read articles hidden (%s shows them)", keyOf(l.keys.HideRead))
	} else {
		l.status(statusInfo, "read articles shown")
	}
	return l.setView(v)
}

// setView shows the list in view v from its top, and tells it (main saves it).
func (l *listPane) setView(v View) tea.Cmd {
	l.view = v
	l.tell(viewChangedMsg{view: v})
	return l.setFilter(l.base)
}

// sortWords says a sort in the status line.
func sortWords(o store.Sort) string {
	switch o {
	case store.SortOldest:
		return "date, oldest first"
	case store.SortFeed:
		return "feed"
	case store.SortTitle:
		return "title"
	}
	return "date, newest first"
}
