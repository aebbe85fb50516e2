package ui

import (
	"github.com/charmbracelet/glamour"
	"github.com/charmbracelet/glamour/ansi"
	"github.com/charmbracelet/glamour/styles"
)

// glamourStyle returns the glamour option for a style name or JSON file.
// "notty" (what NO_COLOR selects) is brief's own style without colours, not
// glamour's: glamour's notty style writes the Markdown markers themselves
// ("**bold**", "## Heading"), where NO_COLOR asks only for no colour.
func glamourStyle(style string) glamour.TermRendererOption {
	if style == styles.NoTTYStyle {
		return glamour.WithStyles(noColorStyle())
	}
	return glamour.WithStylePath(style)
}

// noColorStyle is glamour's ASCII style with the Markdown markers replaced by
// text attributes (bold, italic, crossed out), which NO_COLOR allows.
func noColorStyle() ansi.StyleConfig {
	s := styles.ASCIIStyleConfig
	yes := true
	s.Strong = ansi.StylePrimitive{Bold: &yes}
	s.Emph = ansi.StylePrimitive{Italic: &yes}
	s.Strikethrough = ansi.StylePrimitive{CrossedOut: &yes}
	s.Code = ansi.StyleBlock{}
	s.Heading = ansi.StyleBlock{StylePrimitive: ansi.StylePrimitive{BlockSuffix: "\n", Bold: &yes}}
	for _, h := range []*ansi.StyleBlock{&s.H1, &s.H2, &s.H3, &s.H4, &s.H5, &s.H6} {
		*h = ansi.StyleBlock{}
	}
	s.H1.Underline = &yes
	return s
}
