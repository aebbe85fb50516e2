package ui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// paneBase is what every pane embeds: the keys (synced by the root after
// every Update, so a binding that cannot fire is off), the styles, the
// clock, its size, and its outbox.
//
// Panes talk through messages. A pane that has something to say to the
// others (an article was marked read, the focus should move, a status line)
// tells it; the root takes the told messages after the pane's Update and
// gives each to every pane, and to itself, before that Update returns. So
// an optimistic change and the store's reply that may undo it cannot cross,
// and nothing is drawn half-done.
//
// A new pane (a prompt, a picker, a view) is a file of its own: a struct
// embedding paneBase, with Update(msg) (itsType, tea.Cmd), View, SetSize,
// its keys matched against p.keys and a small store interface of its own
// (options.go's Store embeds it). In the root it takes one line in each of
// the lists that name every pane: Model's fields and New, Model.panes,
// broadcast (when it wants data messages), setSize, and the routing of keys
// (handleKey) and of the view (bodyView); an overlay also gets an overlay
// constant. Its bindings go in keys.go. What it does to the others it tells
// as a message, handled where it matters (Model.handle for the root's part).
type paneBase struct {
	keys          KeyMap
	styles        *Styles // shared by every pane: built once, never changed
	now           func() time.Time
	width, height int
	focused       bool // the pane has the focus and nothing is over it
	out           []tea.Msg
}

func newBase(k KeyMap, s *Styles, now func() time.Time) paneBase {
	return paneBase{keys: k, styles: s, now: now}
}

// setKeys gives the pane the bindings enabled now.
func (b *paneBase) setKeys(k KeyMap) { b.keys = k }

// wheel is how a mouse event scrolls: -1 for the wheel up, 1 down, else 0.
func wheel(msg tea.MouseMsg) int {
	switch msg.Button {
	case tea.MouseButtonWheelUp:
		return -1
	case tea.MouseButtonWheelDown:
		return 1
	}
	return 0
}

// setFocus tells the pane whether it has the focus.
func (b *paneBase) setFocus(f bool) { b.focused = f }

// tell says msg to every pane (and the root) within this Update.
func (b *paneBase) tell(msg tea.Msg) { b.out = append(b.out, msg) }

// status tells the status line.
func (b *paneBase) status(kind statusKind, format string, args ...any) {
	b.tell(statusMsg{kind: kind, text: sprintf(format, args...)})
}

// take returns what the pane told since the last take.
func (b *paneBase) take() []tea.Msg {
	out := b.out
	b.out = nil
	return out
}

// markArticle flips an article's read (or starred) state: it tells the
// others at once (optimistically) and writes it in a Cmd whose markedMsg
// puts it back on failure.
func markArticle(b *paneBase, s markStore, id int64, starred, value bool) tea.Cmd {
	b.tell(articleMarkedMsg{id: id, starred: starred, value: value})
	if starred {
		return setStarred(s, id, value)
	}
	return setRead(s, id, value)
}

// browse asks the root to open target's URL in the browser (it hands the
// terminal to a terminal browser), or says why there is none.
func browse(b *paneBase, target func() (url, why string)) tea.Cmd {
	u, why := target()
	if u == "" {
		if why != "" {
			b.status(statusInfo, "%s", why)
		}
		return nil
	}
	b.tell(openURLMsg{url: u})
	return nil
}

// browseTarget is the URL o opens: the selected row's article. When there
// is none, why says why ("" when no row is selected).
func (l listPane) browseTarget() (url, why string) {
	row, ok := l.selected()
	switch {
	case !ok:
		return "", ""
	case row.URL == "":
		return "", noBrowserLink
	}
	return row.URL, ""
}

// noBrowserLink says why o does nothing on an article whose link was
// missing or refused (javascript:, file: …): only http(s) links are kept.
const noBrowserLink = "this article has no http(s) link"
