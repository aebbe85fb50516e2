package ui

import (
	tea "github.com/charmbracelet/bubbletea"
)

// confirmPrompt asks a yes/no question in the status bar: y tells what was
// asked for, any other key cancels.
type confirmPrompt struct {
	paneBase
	active   bool
	question string
	yes      tea.Msg
}

// SetSize gives the prompt the width of the screen.
func (p *confirmPrompt) SetSize(w, h int) { p.width, p.height = w, h }

// open asks msg's question.
func (p *confirmPrompt) open(msg confirmMsg) {
	p.active, p.question, p.yes = true, msg.question, msg.yes
}

// Update answers the question with one key.
func (p confirmPrompt) Update(msg tea.Msg) (confirmPrompt, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok || !p.active {
		return p, nil
	}
	p.active = false
	if k.String() == "y" || k.String() == "Y" {
		p.tell(p.yes)
	} else {
		p.status(statusInfo, "cancelled: nothing was marked")
	}
	p.yes = nil
	return p, nil
}

// View is what the status bar says while the question is open.
func (p confirmPrompt) View() string {
	return p.styles.StatusError.Render(p.question + " (y: yes, any other key: no)")
}
