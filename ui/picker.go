package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/store"
)

// pickerPane is a short list of articles to choose from: the matches of a
// title-only link, or the articles linking to the one shown. It opens over
// the reader on a pickMsg and tells openArticleMsg for the one chosen.
type pickerPane struct {
	paneBase
	title  string
	rows   []store.ArticleRow
	cursor int
}

// SetSize gives the picker its size.
func (p *pickerPane) SetSize(w, h int) { p.width, p.height = w, h }

// Update takes the rows of a pickMsg, and its keys and wheel while it is
// on screen.
func (p pickerPane) Update(msg tea.Msg) (pickerPane, tea.Cmd) {
	switch msg := msg.(type) {
	case pickMsg:
		p.title, p.rows, p.cursor = msg.title, msg.rows, 0
	case tea.MouseMsg:
		p.move(wheel(msg))
	case tea.KeyMsg:
		k := p.keys
		switch {
		case key.Matches(msg, k.Back, k.Quit):
			p.tell(closeOverlayMsg{})
		case key.Matches(msg, k.Up):
			p.move(-1)
		case key.Matches(msg, k.Down):
			p.move(1)
		case key.Matches(msg, k.Top):
			p.move(-len(p.rows))
		case key.Matches(msg, k.Bottom):
			p.move(len(p.rows))
		case msg.Type == tea.KeyEnter || key.Matches(msg, k.Open):
			if r, ok := p.selected(); ok {
				p.tell(closeOverlayMsg{})
				p.tell(openArticleMsg{id: r.ID})
			}
		}
	}
	return p, nil
}

func (p *pickerPane) move(delta int) {
	p.cursor = max(0, min(p.cursor+delta, len(p.rows)-1))
}

func (p pickerPane) selected() (store.ArticleRow, bool) {
	if p.cursor < len(p.rows) {
		return p.rows[p.cursor], true
	}
	return store.ArticleRow{}, false
}

// hint is the status line's hint while the picker is on screen.
func (p pickerPane) hint() string { return "enter opens · " + keyOf(p.keys.Back) + " cancels" }

func (p pickerPane) View() string {
	s, now := p.styles, p.now()
	w := p.width
	lines := []string{
		ansi.Truncate(s.OverlayTitle.Render(" "+p.title), w, "…"),
		s.Dim.Render(ansi.Truncate(" "+p.hint(), w, "")),
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
