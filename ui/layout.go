package ui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// This file is the root's layout: which panes are on screen, their widths,
// and the drawing of the header, the panes (or an overlay) and the status bar.

// wide reports whether the list and the reader sit side by side.
func (m Model) wide() bool { return m.width >= wideLayout }

// sidebar reports whether the feed chooser stays on screen beside them.
func (m Model) sidebar() bool { return m.width >= sidebarLayout }

// layout returns the widths of the feed chooser, the list and the reader.
// Narrow: each takes the whole width, one at a time. Wide: the list and the
// reader share the width (the chooser takes the list's place while it has
// the focus), and from sidebarLayout columns the chooser stays on the left.
func (m Model) layout() (feeds, list, reader int) {
	if !m.wide() {
		return m.width, m.width, m.width
	}
	rest := m.width - 1 // one separator
	if m.sidebar() {
		feeds = 24
		if m.width >= 180 {
			feeds = 28
		}
		rest -= feeds + 1
	}
	reader = max(60, min(100, rest*11/20))
	if !m.sidebar() {
		// Without the chooser beside them the list shares half: its titles
		// need the room as much as the article does.
		reader = max(60, rest/2)
	}
	if !m.reader.hasArticle() {
		// Nothing to read yet: the list takes the room, the reader only
		// says how to open an article.
		reader = emptyReader
	}
	list = rest - reader
	if !m.sidebar() {
		feeds = list
	}
	return feeds, list, reader
}

// emptyReader is the reader's width beside the list while no article is
// open (from wideLayout columns).
const emptyReader = 36

// columns are the panes on screen, left to right.
func (m Model) columns() []pane {
	switch {
	case m.sidebar():
		return []pane{paneFeeds, paneList, paneReader}
	case m.wide() && m.focus == paneFeeds:
		return []pane{paneFeeds, paneReader}
	case m.wide():
		return []pane{paneList, paneReader}
	case m.focus == paneReader && m.reader.hasArticle(), m.overlay == overlayPicker:
		return []pane{paneReader}
	case m.focus == paneFeeds:
		return []pane{paneFeeds}
	}
	return []pane{paneList}
}

func (m Model) bodyHeight() int {
	return max(1, m.height-lipgloss.Height(m.headerView())-lipgloss.Height(m.statusView()))
}

// View draws the header, the panes (or an overlay) and the status bar.
func (m Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	header := m.headerView()
	footer := m.statusView()
	if m.search.active {
		footer = m.search.View()
	}
	switch m.height {
	case 1:
		return pad(header, m.width)
	case 2:
		return pad(header, m.width) + "\n" + footer
	}
	return header + "\n" + m.bodyView() + "\n" + footer
}

func (m Model) bodyView() string {
	bh := m.bodyHeight()
	switch m.overlay {
	case overlayHelp:
		return m.help.View()
	case overlayErrors:
		return m.errs.View()
	case overlaySubs:
		return m.subs.View()
	}
	var cols [][]string
	for _, p := range m.columns() {
		var v string
		switch {
		case p == paneFeeds:
			v = m.feeds.View()
		case p == paneList:
			v = m.list.View()
		case m.overlay == overlayPicker:
			v = m.picker.View()
		default:
			v = m.reader.View()
		}
		cols = append(cols, strings.Split(v, "\n"))
	}
	sep := m.styles.Separator.Render("│")
	var b strings.Builder
	for i := range bh {
		if i > 0 {
			b.WriteByte('\n')
		}
		for c, col := range cols {
			if c > 0 {
				b.WriteString(sep)
			}
			if i < len(col) {
				b.WriteString(col[i])
			}
		}
	}
	return b.String()
}
