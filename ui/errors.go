package ui

import (
	"strings"
	"time"

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
	errs   []store.FeedError
	loaded bool
	err    error
	seq    int
	offset int // first line shown
	width  int
	height int
}

// warningMark starts a warning, so that it stays told apart from an error
// without colours.
const warningMark = "⚠ warning: "

func (p *errorsPane) SetSize(w, h int) { p.width, p.height = w, h }

// scroll moves the view by delta lines of the content drawn with s at now.
func (p *errorsPane) scroll(delta int, s Styles, now time.Time) {
	p.offset = max(0, min(p.offset+delta, len(p.content(s, now))-p.height))
}

func (p errorsPane) content(s Styles, now time.Time) []string {
	w := p.width
	title := s.OverlayTitle.Render(" Feed errors and warnings") + s.Dim.Render("  esc closes · R refreshes every feed")
	out := []string{ansi.Truncate(title, w, ""), ""}
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
		name, u := feed.CleanText(e.Title), feed.CleanText(e.URL)
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

func (p errorsPane) View(s Styles, now time.Time) string {
	all := p.content(s, now)
	off := max(0, min(p.offset, len(all)-p.height))
	return fill(all[off:], p.width, p.height)
}
