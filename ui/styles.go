package ui

import (
	"io"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// Styles is every style the UI draws with. It is built once, from the theme
// main decided before the program started, and passed down to the panes;
// nothing else in the package creates colours.
type Styles struct {
	NoColor bool

	App       lipgloss.Style // the "brief" word in the header
	Header    lipgloss.Style
	HeaderDim lipgloss.Style
	Separator lipgloss.Style // the rule between panes

	Status      lipgloss.Style
	StatusError lipgloss.Style
	StatusOK    lipgloss.Style
	StatusDim   lipgloss.Style
	Spinner     lipgloss.Style

	// Lists (feeds, articles, pickers).
	Selected     lipgloss.Style // the cursor row of the focused pane
	SelectedBlur lipgloss.Style // the cursor row of an unfocused pane
	Active       lipgloss.Style // the feed chooser's applied entry
	Section      lipgloss.Style // a section title in the feed chooser
	UnreadMark   lipgloss.Style
	StarMark     lipgloss.Style
	Unread       lipgloss.Style // an unread title
	Read         lipgloss.Style // a read title
	Dim          lipgloss.Style // feed names, dates, counts, tags
	Failing      lipgloss.Style // the mark of a feed whose last fetch failed

	// Reader.
	Title          lipgloss.Style
	Meta           lipgloss.Style
	URL            lipgloss.Style
	Backlinks      lipgloss.Style
	Rule           lipgloss.Style
	LinkMarker     lipgloss.Style // "[N]" of an ordinary link
	ReadAlsoMarker lipgloss.Style // "[N]" of a "Read also" link
	SelectedMarker lipgloss.Style // "[N]" of the selected link
	ReadAlsoTitle  lipgloss.Style // heading of the "Read also" block
	Cached         lipgloss.Style
	WillFetch      lipgloss.Style

	// Overlays.
	OverlayTitle lipgloss.Style
	ErrorText    lipgloss.Style
	WarningText  lipgloss.Style // a feed's warning, less alarming than an error
	Help         help.Styles
}

// NewStyles returns the styles for a dark or light terminal; noColor (the
// NO_COLOR convention) drops every colour and keeps only attributes that stay
// readable without one (bold, reverse, underline).
func NewStyles(dark, noColor bool) Styles {
	if noColor {
		return plainStyles()
	}
	c := palette(dark)
	s := lipgloss.NewStyle
	st := Styles{
		App:       s().Bold(true).Foreground(c.accent),
		Header:    s().Foreground(c.text),
		HeaderDim: s().Foreground(c.dim),
		Separator: s().Foreground(c.faint),

		Status:      s().Foreground(c.text),
		StatusError: s().Foreground(c.red),
		StatusOK:    s().Foreground(c.green),
		StatusDim:   s().Foreground(c.dim),
		Spinner:     s().Foreground(c.accent),

		Selected:     s().Foreground(c.selFg).Background(c.selBg),
		SelectedBlur: s().Background(c.blurBg),
		Active:       s().Foreground(c.accent).Bold(true),
		Section:      s().Foreground(c.dim).Bold(true),
		UnreadMark:   s().Foreground(c.accent),
		StarMark:     s().Foreground(c.yellow),
		Unread:       s().Foreground(c.text).Bold(true),
		Read:         s().Foreground(c.dim),
		Dim:          s().Foreground(c.dim),
		Failing:      s().Foreground(c.red).Bold(true),

		Title:          s().Foreground(c.text).Bold(true),
		Meta:           s().Foreground(c.dim),
		URL:            s().Foreground(c.link).Underline(true),
		Backlinks:      s().Foreground(c.accent),
		Rule:           s().Foreground(c.faint),
		LinkMarker:     s().Foreground(c.link),
		ReadAlsoMarker: s().Foreground(c.readAlso).Bold(true),
		SelectedMarker: s().Foreground(c.selFg).Background(c.readAlso).Bold(true),
		ReadAlsoTitle:  s().Foreground(c.readAlso).Bold(true),
		Cached:         s().Foreground(c.green),
		WillFetch:      s().Foreground(c.dim),

		OverlayTitle: s().Foreground(c.accent).Bold(true),
		ErrorText:    s().Foreground(c.red),
		WarningText:  s().Foreground(c.yellow),
	}
	st.Help = help.Styles{
		ShortKey:       s().Foreground(c.text),
		ShortDesc:      s().Foreground(c.dim),
		ShortSeparator: s().Foreground(c.faint),
		Ellipsis:       s().Foreground(c.faint),
		FullKey:        s().Foreground(c.accent),
		FullDesc:       s().Foreground(c.text),
		FullSeparator:  s().Foreground(c.faint),
	}
	return st
}

// plainStyles keep bold, reverse and underline even where the colour profile
// says "no colour" (NO_COLOR makes termenv report none), so the cursor and
// the selected link stay visible.
func plainStyles() Styles {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.ANSI)
	s := r.NewStyle
	return Styles{
		NoColor:        true,
		App:            s().Bold(true),
		Selected:       s().Reverse(true),
		SelectedBlur:   s().Underline(true),
		Active:         s().Bold(true),
		Section:        s().Bold(true),
		Unread:         s().Bold(true),
		Failing:        s().Bold(true),
		Title:          s().Bold(true),
		URL:            s().Underline(true),
		ReadAlsoMarker: s().Bold(true),
		SelectedMarker: s().Reverse(true),
		ReadAlsoTitle:  s().Bold(true),
		OverlayTitle:   s().Bold(true),
		Help:           help.Styles{FullKey: s().Bold(true)},
	}
}

type colors struct {
	text, dim, faint, accent, link, readAlso, red, green, yellow lipgloss.Color
	selFg, selBg, blurBg                                         lipgloss.Color
}

func palette(dark bool) colors {
	if dark {
		return colors{
			text: "252", dim: "245", faint: "239", accent: "212", link: "39", readAlso: "214",
			red: "203", green: "78", yellow: "220", selFg: "230", selBg: "62", blurBg: "237",
		}
	}
	return colors{
		text: "235", dim: "243", faint: "250", accent: "162", link: "25", readAlso: "166",
		red: "160", green: "28", yellow: "136", selFg: "255", selBg: "62", blurBg: "254",
	}
}
