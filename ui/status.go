package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/store"
)

// headerView is the top line: brief, the list's filter and its counts.
func (m Model) headerView() string {
	s := m.styles
	parts := []string{s.App.Render(" brief"), s.Header.Render(m.feeds.activeLabel())}
	if q := searchText(m.list.Filter()); q != "" {
		parts = append(parts, s.Header.Render("search “"+feed.CleanText(q)+"”"))
	}
	if counts := m.list.position(); counts != "" {
		parts = append(parts, s.HeaderDim.Render(counts))
	}
	parts = append(parts, s.HeaderDim.Render(thousands(m.feeds.unread())+" unread"))
	if p := m.reader.scrollPosition(); p != "" && (m.focus == paneReader || m.wide()) && m.overlay == overlayNone {
		parts = append(parts, s.HeaderDim.Render("article "+p))
	}
	if o := m.list.Filter().Sort; o != "" && o != store.SortNewest {
		parts = append(parts, s.HeaderDim.Render("by "+o.String()))
	}
	if m.list.view.HideRead {
		parts = append(parts, s.HeaderDim.Render("read hidden"))
	}
	return pad(strings.Join(parts, s.HeaderDim.Render(" · ")), m.width)
}

// statusView is the bottom line: the start-up notice (unless the empty list
// shows it already, whole), refresh progress or a fetch with a spinner, the
// last message, and on the right where the selection leads. An error message
// wins the space: the destination only gets what the error leaves, and is
// dropped when that is too little.
func (m Model) statusView() string {
	s := m.styles
	var left []string
	if m.notice != "" && !m.list.showsNotice() {
		left = append(left, s.StatusOK.Render(m.notice))
	}
	if m.refresh.running {
		left = append(left, m.spin.View()+" "+s.Status.Render(m.refresh.progressText()))
	}
	if u := m.reader.fetching(); u != "" {
		left = append(left, m.spin.View()+" "+s.Status.Render("fetching "+hostPath(u)+" in reader mode…"))
	}
	if m.num.active {
		left = append(left, m.num.View())
	}
	if m.confirm.active {
		left = append(left, m.confirm.View())
	}
	isError := false
	if m.status.text != "" {
		st := s.Status
		switch m.status.kind {
		case statusError:
			st, isError = s.StatusError, true
		case statusOK:
			st = s.StatusOK
		}
		left = append(left, st.Render(m.status.text))
	}
	var right, note string
	if m.reader.fetching() == "" && !m.num.active && !m.confirm.active {
		right, note = m.destination()
	}
	if len(left) == 0 {
		left = append(left, s.StatusDim.Render(m.hint()))
	}
	l := " " + strings.Join(left, s.StatusDim.Render(" · "))
	lw := ansi.StringWidth(l)
	if right != "" {
		full := 2 + ansi.StringWidth(right) + 1
		if note != "" {
			full += 1 + ansi.StringWidth(note)
		}
		var rw int
		switch {
		case isError:
			if rw = min(full, m.width-lw-1); rw < minDestination {
				rw = 0
			}
		default:
			rw = min(full, max(20, m.width*11/20), m.width)
			if lw+rw+1 < m.width {
				rw = min(full, m.width-lw-1)
			}
		}
		right = m.destinationView(right, note, rw)
	}
	room := m.width - ansi.StringWidth(right)
	if lw > room || (right != "" && lw >= room) {
		more := ""
		if m.status.text != "" {
			more = s.StatusDim.Render(wholeHint(m.keys)) // e shows the message whole
			// The hint gives way when it would cut the message's first part
			// (its reason) that fits without it.
			first, _, _ := strings.Cut(m.status.text, " · ")
			if end := strings.Index(l, first) + len(first); end > 0 && ansi.StringWidth(l[:end]) <= room-1 && ansi.StringWidth(l[:end]) > room-1-ansi.StringWidth(more) {
				more = ""
			}
		}
		l = ansi.Truncate(l, max(0, room-1-ansi.StringWidth(more)), "…") + more
	}
	return pad(l, room) + right
}

// wholeHint ends a status line cut short: the errors view shows the
// message whole.
func wholeHint(k KeyMap) string { return " (" + keyOf(k.Errors) + ": whole)" }

// minDestination is the least room worth giving the destination beside an
// error: less than this shows too little of the URL to help.
const minDestination = 30

// destinationView draws "→ dest note " in w cells (nothing when w is 0).
// A destination too long is cut at its end; the note (cached, failed) stays
// whole while it can.
func (m Model) destinationView(dest, note string, w int) string {
	s := m.styles
	if w <= 0 {
		return ""
	}
	if note != "" {
		note = " " + note
	}
	room := w - 3 - ansi.StringWidth(note) // "→ ", the trailing space
	if room < 8 {
		note, room = "", w-3
	}
	if room < 1 {
		return ""
	}
	dest = ansi.Truncate(dest, room, "…")
	return s.StatusDim.Render("→ ") + s.Status.Render(dest) + s.StatusDim.Render(note) + " "
}

// destination is where the selection leads (the selected link in the
// reader, or the article under the list cursor) and a note on it. Overlays
// have none.
func (m Model) destination() (dest, note string) {
	if m.overlay != overlayNone {
		return "", ""
	}
	switch m.focus {
	case paneReader:
		return m.reader.destination()
	case paneList:
		return m.list.destination(), ""
	}
	return "", ""
}

// hint is the status line when there is nothing else to say: the keys of
// the overlay on screen, else of the focused pane.
func (m Model) hint() string {
	switch {
	case m.overlay == overlayHelp:
		return m.help.hint()
	case m.overlay == overlayErrors:
		return m.errs.hint(m.fetcher != nil)
	case m.overlay == overlayPicker:
		return m.picker.hint()
	case m.overlay == overlaySubs:
		return m.subs.hint()
	case m.focus == paneReader:
		return m.reader.hint()
	case m.focus == paneFeeds:
		return m.feeds.hint()
	}
	return m.list.hint()
}

// errText is an error as the status line shows it: without the "feed: " or
// "store: " its package puts in front (the user does not care which part of
// brief failed).
func errText(err error) string {
	if err == nil {
		return ""
	}
	msg := err.Error()
	for _, p := range []string{"feed: ", "store: "} {
		msg = strings.TrimPrefix(msg, p)
	}
	return msg
}
