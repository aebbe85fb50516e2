package ui

import (
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/store"
)

// pickerPane is a short list of articles to choose from: the matches of a
// title-only link, or the articles linking to the one shown.
type pickerPane struct {
	title  string
	rows   []store.ArticleRow
	cursor int
	width  int
	height int
}

func (p *pickerPane) SetSize(w, h int) { p.width, p.height = w, h }

func (p *pickerPane) move(delta int) {
	p.cursor = max(0, min(p.cursor+delta, len(p.rows)-1))
}

func (p pickerPane) selected() (store.ArticleRow, bool) {
	if p.cursor < len(p.rows) {
		return p.rows[p.cursor], true
	}
	return store.ArticleRow{}, false
}

func (p pickerPane) View(s Styles, now time.Time) string {
	w := p.width
	lines := []string{
		ansi.Truncate(s.OverlayTitle.Render(" "+p.title), w, "…"),
		s.Dim.Render(ansi.Truncate(" enter opens · esc cancels", w, "")),
		"",
	}
	room := max(1, p.height-len(lines))
	off := max(0, p.cursor-room+1)
	for i := off; i < len(p.rows) && i < off+room; i++ {
		r := p.rows[i]
		date := relTime(r.Published, now)
		src := feed.CleanText(r.FeedTitle)
		if src == "" {
			src = "linked page"
		}
		meta := " · " + src + " · " + date
		titleW := max(8, w-3-ansi.StringWidth(meta))
		title := ansi.Truncate(feed.CleanText(r.Title), titleW, "…")
		line := "  " + title + s.Dim.Render(ansi.Truncate(meta, max(0, w-2-ansi.StringWidth(title)), "…"))
		if i == p.cursor {
			plain := "  " + title + meta
			line = s.Selected.Render(plain + strings.Repeat(" ", max(0, w-ansi.StringWidth(plain))))
		}
		lines = append(lines, line)
	}
	return fill(lines, w, p.height)
}
