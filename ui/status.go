package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/brief-reader/brief/feed"
)

// headerView is the top line: brief, the list's filter and its counts.
func (m Model) headerView() string {
	s := m.styles
	label := m.feeds.active.label
	if label == "" {
		label = "All"
	}
	parts := []string{s.App.Render(" brief"), s.Header.Render(label)}
	if q := m.list.filter.Query; q != "" {
		parts = append(parts, s.Header.Render("search “"+feed.CleanText(q)+"”"))
	}
	var counts string
	if m.list.total > 0 {
		counts = fmt.Sprintf("%s/%s", thousands(m.list.cursor+1), thousands(m.list.total))
	} else if m.list.ready {
		counts = "0"
	}
	if counts != "" {
		parts = append(parts, s.HeaderDim.Render(counts))
	}
	parts = append(parts, s.HeaderDim.Render(thousands(m.counts.Unread)+" unread"))
	left := strings.Join(parts, s.HeaderDim.Render(" · "))
	right := ""
	if m.version != "" {
		right = s.HeaderDim.Render(feed.CleanText(m.version) + " ")
	}
	gap := m.width - ansi.StringWidth(left) - ansi.StringWidth(right)
	if gap < 1 {
		return pad(left, m.width)
	}
	return left + strings.Repeat(" ", gap) + right
}

// statusView is the bottom line: refresh progress or a fetch with a spinner,
// the last message, and on the right where the selection leads.
func (m Model) statusView() string {
	s := m.styles
	var left []string
	if m.refresh.running {
		left = append(left, m.spin.View()+" "+s.Status.Render(m.refresh.progressText()))
	}
	if m.follow.fetching != "" {
		left = append(left, m.spin.View()+" "+s.Status.Render("fetching "+hostPath(m.follow.fetching)+" in reader mode…"))
	}
	if m.numMode {
		left = append(left, s.Status.Render("follow link number: "+m.num+"▏ (enter follows, esc cancels)"))
	}
	if m.status.text != "" {
		st := s.Status
		switch m.status.kind {
		case statusError:
			st = s.StatusError
		case statusOK:
			st = s.StatusOK
		}
		left = append(left, st.Render(m.status.text))
	}
	right := ""
	if m.follow.fetching == "" && m.overlay == overlayNone && !m.numMode {
		right = m.destination()
	}
	if len(left) == 0 {
		left = append(left, s.StatusDim.Render(m.hint()))
	}
	l := " " + strings.Join(left, s.StatusDim.Render(" · "))
	if right == "" {
		return pad(l, m.width)
	}
	right = s.StatusDim.Render("→ ") + s.Status.Render(right) + " "
	rw := min(ansi.StringWidth(right), max(20, m.width*11/20), m.width)
	if lw := ansi.StringWidth(l); lw+rw+1 < m.width {
		rw = min(ansi.StringWidth(right), m.width-lw-1)
	}
	right = ansi.Truncate(right, rw, "…")
	lw := m.width - ansi.StringWidth(right)
	if ansi.StringWidth(l) >= lw {
		l = ansi.Truncate(l, lw-1, "…")
	}
	return pad(l, lw) + right
}

// destination is where the selection leads: the selected link in the reader,
// or the article under the list cursor.
func (m Model) destination() string {
	switch m.focus {
	case paneReader:
		if d := m.linkDestination(); d != "" {
			return d
		}
	case paneList:
		if r, ok := m.list.selected(); ok && r.URL != "" {
			return hostPath(r.URL)
		}
	}
	return ""
}

// hint is the status line when there is nothing else to say.
func (m Model) hint() string {
	switch {
	case m.focus == paneReader && m.reader.selected != 0:
		return "enter follows · o browser"
	case m.focus == paneReader && len(m.reader.links()) > 0:
		return "tab selects a link · esc list · ? help"
	case m.focus == paneReader:
		return "esc list · o browser · ? help"
	case m.focus == paneFeeds:
		return "enter shows · tab list · ? help"
	}
	return "enter opens · / search · ? help"
}
