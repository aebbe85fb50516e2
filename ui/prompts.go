package ui

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/brief-reader/brief/internal/query"
)

// searchPrompt is the "/" line at the bottom: it takes every key while it
// is open and tells searchMsg on enter with the query parsed; a malformed
// query keeps it open, the cursor at the column of the problem and the
// problem beside it.
type searchPrompt struct {
	paneBase
	input  textinput.Model
	active bool
	err    *query.Error // why enter did not search; nil once the query is edited
}

func newSearchPrompt(b paneBase) searchPrompt {
	ti := textinput.New()
	ti.Prompt = "/"
	ti.Placeholder = `search: words "a phrase" title: feed: tag: is:unread age<7d -not OR (…)`
	ti.CharLimit = 200
	ti.Cursor.SetMode(cursor.CursorStatic)
	return searchPrompt{paneBase: b, input: ti}
}

// SetSize gives the prompt the width of the screen.
func (p *searchPrompt) SetSize(w, h int) {
	p.width, p.height = w, h
	p.input.Width = max(10, w-4)
}

// open starts editing text.
func (p *searchPrompt) open(text string) tea.Cmd {
	p.active, p.err = true, nil
	p.input.SetValue(text)
	p.input.CursorEnd()
	return p.input.Focus()
}

// reopen edits text again with the error the store found in it.
func (p *searchPrompt) reopen(text string, err *query.Error) tea.Cmd {
	cmd := p.open(text)
	p.fail(err)
	return cmd
}

// fail shows err and puts the cursor at its column.
func (p *searchPrompt) fail(err *query.Error) {
	p.err = err
	p.input.SetCursor(err.Col - 1)
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
		text := strings.TrimSpace(p.input.Value())
		n, err := query.Parse(text, time.Local)
		var qe *query.Error
		if errors.As(err, &qe) {
			p.input.SetValue(text)
			p.fail(qe)
			return p, nil
		}
		p.active, p.err = false, nil
		p.input.Blur()
		p.tell(searchMsg{query: text, node: n})
		return p, nil
	}
	if k.Type != tea.KeyLeft && k.Type != tea.KeyRight {
		p.err = nil
	}
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	return p, cmd
}

// View is the prompt, and the problem of the query enter refused.
func (p searchPrompt) View() string {
	if p.err == nil {
		return pad(p.input.View(), p.width)
	}
	// The query as typed, the character at the column marked, then why.
	rs := []rune(p.input.Value())
	col := min(max(p.err.Col-1, 0), len(rs))
	at := " "
	if col < len(rs) {
		at = string(rs[col])
	}
	text := p.input.Prompt + string(rs[:col]) + p.styles.StatusError.Reverse(true).Render(at)
	if col < len(rs) {
		text += string(rs[col+1:])
	}
	msg := p.styles.StatusError.Render("  " + p.err.Error())
	return pad(ansi.Truncate(text, max(10, p.width-ansi.StringWidth(msg)), "…")+msg, p.width)
}

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
