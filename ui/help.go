package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// helpPane is the help overlay: every key that can fire now, from the key
// map, in three columns.
type helpPane struct {
	paneBase
	help help.Model
}

func newHelpPane(b paneBase) helpPane {
	h := help.New()
	h.Styles = b.styles.Help
	h.FullSeparator = "   "
	return helpPane{paneBase: b, help: h}
}

// SetSize gives the overlay its size.
func (p *helpPane) SetSize(w, h int) {
	p.width, p.height = w, h
	p.help.Width = w
}

// Update closes the overlay on ?, esc or q.
func (p helpPane) Update(msg tea.Msg) (helpPane, tea.Cmd) {
	if msg, ok := msg.(tea.KeyMsg); ok && key.Matches(msg, p.keys.Help, p.keys.Back, p.keys.Quit) {
		p.tell(closeOverlayMsg{})
	}
	return p, nil
}

func (p helpPane) View() string {
	s := p.styles
	title := s.OverlayTitle.Render(" Keys") + s.Dim.Render("  esc or ? closes")
	body := p.help.FullHelpView(p.keys.FullHelp())
	lines := append([]string{title, ""}, strings.Split(body, "\n")...)
	for i := 2; i < len(lines); i++ {
		lines[i] = " " + lines[i]
	}
	return fill(lines, p.width, p.height)
}

// hint is the status line's hint while the overlay is on screen.
func (p helpPane) hint() string { return keyOf(p.keys.Back) + " or " + keyOf(p.keys.Help) + " closes" }
