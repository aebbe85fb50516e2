package ui

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/store"
)

// errorsPane lists every failing feed with its error, when it failed and
// when it may be fetched again, then the feeds whose last document had
// problems that did not fail them (items skipped, a damaged document), marked
// as warnings.
type errorsPane struct {
	paneBase
	store  errorsStore
	errs   []store.FeedError
	loaded bool
	err    error
	seq    int
	offset int    // first line shown
	last   string // the last status message, shown whole at the top
}

// warningMark starts a warning, so that it stays told apart from an error
// without colours.
const warningMark = "⚠ warning: "

func newErrorsPane(b paneBase, s errorsStore) errorsPane {
	return errorsPane{paneBase: b, store: s}
}

// SetSize gives the view its size.
func (p *errorsPane) SetSize(w, h int) { p.width, p.height = w, h }

// open shows the view from the top, with last (the last status message,
// which the status line may have cut) whole, and reads the failing feeds.
func (p *errorsPane) open(last string) tea.Cmd {
	p.offset, p.last = 0, last
	return p.load()
}

// load reads the failing feeds again.
func (p *errorsPane) load() tea.Cmd {
	p.seq++
	p.loaded = false
	return loadErrors(p.store, p.seq)
}

// Update handles the view's keys and wheel (while it is on screen) and the
// failing feeds it asked for.
func (p errorsPane) Update(msg tea.Msg) (errorsPane, tea.Cmd) {
	switch msg := msg.(type) {
	case errorsLoadedMsg:
		if msg.seq == p.seq {
			p.errs, p.err, p.loaded = msg.errs, msg.err, true
		}
	case tea.MouseMsg:
		if d := wheel(msg); d != 0 {
			p.scroll(3 * d)
		}
	case tea.KeyMsg:
		k := p.keys
		switch {
		case key.Matches(msg, k.Errors, k.Back, k.Quit):
			p.tell(closeOverlayMsg{})
		case key.Matches(msg, k.Up):
			p.scroll(-1)
		case key.Matches(msg, k.Down):
			p.scroll(1)
		case key.Matches(msg, k.PageDown):
			p.scroll(p.height - 1)
		case key.Matches(msg, k.PageUp):
			p.scroll(1 - p.height)
		case key.Matches(msg, k.Top):
			p.offset = 0
		case key.Matches(msg, k.Bottom):
			p.scroll(1 << 20)
		case key.Matches(msg, k.RefreshAll):
			p.tell(refreshRequestedMsg{})
		}
	}
	return p, nil
}

// scroll moves the view by delta lines.
func (p *errorsPane) scroll(delta int) {
	p.offset = max(0, min(p.offset+delta, len(p.content(p.styles, p.now()))-p.height))
}

// hint is the status line's hint while the view is on screen.
func (p errorsPane) hint(canRefresh bool) string {
	if canRefresh {
		return keyOf(p.keys.Back) + " closes · " + keyOf(p.keys.RefreshAll) + " refreshes every feed"
	}
	return keyOf(p.keys.Back) + " closes"
}

func (p errorsPane) content(s *Styles, now time.Time) []string {
	w := p.width
	title := s.OverlayTitle.Render(" Feed errors and warnings") + s.Dim.Render("  "+p.hint(true))
	out := []string{ansi.Truncate(title, w, ""), ""}
	if p.last != "" {
		out = append(out, "  "+s.Title.Render("Last message"))
		for _, l := range strings.Split(lipgloss.NewStyle().Width(max(10, w-4)).Render(p.last), "\n") {
			out = append(out, "    "+l)
		}
		out = append(out, "")
	}
	switch {
	case p.err != nil:
		return append(out, s.ErrorText.Render("  "+p.err.Error()))
	case !p.loaded:
		return append(out, s.Dim.Render("  Loading…"))
	case len(p.errs) == 0:
		return append(out, s.Dim.Render("  Every feed fetched fine."))
	}
	wrap := lipgloss.NewStyle().Width(max(10, w-4))
	for _, e := range p.errs {
		name, u := feed.CleanText(e.Title), feed.DisplayURL(e.URL)
		if name == "" {
			name = u
		}
		out = append(out, ansi.Truncate("  "+s.Title.Render(name), w, "…"))
		if name != u { // a feed without a title is named by its URL: once is enough
			out = append(out, ansi.Truncate("    "+s.Dim.Render(u), w, "…"))
		}
		if e.Error != "" {
			for _, l := range strings.Split(wrap.Render(feed.CleanText(e.Error)), "\n") {
				out = append(out, "    "+s.ErrorText.Render(l))
			}
		}
		if e.Warning != "" {
			for _, l := range strings.Split(wrap.Render(warningMark+feed.CleanText(e.Warning)), "\n") {
				out = append(out, "    "+s.WarningText.Render(l))
			}
		}
		if e.Error == "" {
			out = append(out, "    "+s.Dim.Render("fetched "+ago(e.At, now)), "")
			continue
		}
		when := "failed " + ago(e.At, now)
		if !e.RetryAfter.IsZero() && e.RetryAfter.After(now) && !strings.Contains(e.Error, "before") {
			when += " · not retried before " + e.RetryAfter.Local().Format("15:04")
			if e.RetryAfter.Sub(now) > 20*time.Hour {
				when = strings.Replace(when, "before ", "before "+e.RetryAfter.Local().Format("Jan 02 "), 1)
			}
		}
		out = append(out, "    "+s.Dim.Render(when), "")
	}
	return out
}

func (p errorsPane) View() string {
	all := p.content(p.styles, p.now())
	off := max(0, min(p.offset, len(all)-p.height))
	return fill(all[off:], p.width, p.height)
}
