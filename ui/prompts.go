package ui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// searchPrompt is the "/" line at the bottom: it takes every key while it
// is open and tells searchMsg on enter.
type searchPrompt struct {
	paneBase
	input  textinput.Model
	active bool
}

func newSearchPrompt(b paneBase) searchPrompt {
	ti := textinput.New()
	ti.Prompt = "/"
	ti.Placeholder = "search titles and text"
	ti.CharLimit = 200
	ti.Cursor.SetMode(cursor.CursorStatic)
	return searchPrompt{paneBase: b, input: ti}
}

// SetSize gives the prompt the width of the screen.
func (p *searchPrompt) SetSize(w, h int) {
	p.width, p.height = w, h
	p.input.Width = max(10, w-4)
}

// open starts editing query.
func (p *searchPrompt) open(query string) tea.Cmd {
	p.active = true
	p.input.SetValue(query)
	p.input.CursorEnd()
	return p.input.Focus()
}

// Update edits the query; enter searches, esc cancels.
func (p searchPrompt) Update(msg tea.Msg) (searchPrompt, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return p, nil
	}
	switch k.Type {
	case tea.KeyEsc:
		p.active = false
		p.input.Blur()
		return p, nil
	case tea.KeyEnter:
		p.active = false
		p.input.Blur()
		p.tell(searchMsg{query: strings.TrimSpace(p.input.Value())})
		return p, nil
	}
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	return p, cmd
}

func (p searchPrompt) View() string { return pad(p.input.View(), p.width) }

// numberPrompt reads the digits of "f N enter" and tells followNumberMsg.
type numberPrompt struct {
	paneBase
	active bool
	num    string
}

// open starts reading a number.
func (p *numberPrompt) open() { p.active, p.num = true, "" }

// Update reads a digit; enter follows, esc cancels.
func (p numberPrompt) Update(msg tea.Msg) (numberPrompt, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return p, nil
	}
	switch k.Type {
	case tea.KeyEsc:
		p.active = false
	case tea.KeyBackspace:
		if p.num != "" {
			p.num = p.num[:len(p.num)-1]
		}
	case tea.KeyEnter:
		p.active = false
		if n, err := strconv.Atoi(p.num); err == nil {
			p.tell(followNumberMsg{n: n})
		}
	case tea.KeyRunes:
		if s := string(k.Runes); len(p.num) < 4 && strings.Trim(s, "0123456789") == "" {
			p.num += s
		}
	}
	return p, nil
}

// View is what the status bar says while the prompt is open.
func (p numberPrompt) View() string {
	return p.styles.Status.Render("follow link number: " + p.num + "▏ (enter follows, esc cancels)")
}
