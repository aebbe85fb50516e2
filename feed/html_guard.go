package feed

import (
	"fmt"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// This file holds the guards that keep ConvertHTML linear in its input and
// its output bounded, whatever the article: every step from feed bytes to
// Markdown is linear or works on input capped here.

const (
	// MaxMarkdownSize bounds the Markdown of one article: a longer body is
	// cut at a paragraph boundary and Body.Cut says so. It keeps every
	// later step (storing, rendering, searching) bounded per article.
	MaxMarkdownSize = 512 << 10

	// MaxLinks is the most links numbered in one article; the anchors after
	// it keep their text but lose their link.
	MaxLinks = 500

	// maxBlockDepth is the deepest nesting of quotes and lists kept: a quote
	// or list deeper than that becomes a plain block. Renderers indent each
	// level and re-wrap every line once per level, so hostile nesting made
	// rendering quadratic.
	maxBlockDepth = 8

	// markBracket stands for a "[" of the text while the tree is converted,
	// and is written "\[" in the Markdown. html-to-markdown decides whether
	// to escape a "[" by scanning the rest of its line for a "]", which is
	// quadratic on runs of "[" (a 300 KB body took 45 s); with no "[" in the
	// text it never scans.
	markBracket = '\uFDD3'
)

// isNestingBlock reports whether n is an element that indents its content
// one level when rendered: a quote or a list.
func isNestingBlock(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	switch n.DataAtom {
	case atom.Blockquote, atom.Ul, atom.Ol, atom.Dl, atom.Menu:
		return true
	}
	return false
}

// flattenBlock turns a quote or list nested too deep into plain blocks: the
// element becomes a <div> and its list items paragraphs, so its text is kept
// in reading order without another level of indentation.
func flattenBlock(n *html.Node) {
	n.Data, n.DataAtom = "div", atom.Div
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (c.DataAtom == atom.Li || c.DataAtom == atom.Dd || c.DataAtom == atom.Dt) {
			c.Data, c.DataAtom = "p", atom.P
		}
	}
}

// markBrackets replaces every "[" in the text of the tree under n, except in
// code (where the converter does not escape, and a backslash would show),
// by markBracket.
func markBrackets(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.TextNode:
			if strings.IndexByte(c.Data, '[') >= 0 {
				c.Data = strings.ReplaceAll(c.Data, "[", string(markBracket))
			}
		case c.Type == html.ElementNode && isCodeElement(c):
		default:
			markBrackets(c)
		}
	}
}

// isCodeElement reports whether the converter writes n's text verbatim, as
// code.
func isCodeElement(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Pre, atom.Code, atom.Var, atom.Samp, atom.Kbd, atom.Tt:
		return true
	}
	return false
}

// capMarkdown cuts md to at most MaxMarkdownSize bytes, at the last
// paragraph boundary before the limit (or a line, or a character), and says
// so in the text. It reports a note for Body.Cut when it cut.
func capMarkdown(md string) (string, string) {
	if len(md) <= MaxMarkdownSize {
		return md, ""
	}
	cut := truncateUTF8(md, MaxMarkdownSize)
	if i := strings.LastIndex(cut, "\n\n"); i > len(cut)/2 {
		cut = cut[:i]
	} else if i := strings.LastIndexByte(cut, '\n'); i > len(cut)/2 {
		cut = cut[:i]
	}
	if strings.Count(cut, "```")%2 == 1 { // do not leave a code block open
		cut += "\n```"
	}
	note := fmt.Sprintf("article cut at %d KiB (it has %d KiB of Markdown)", MaxMarkdownSize>>10, len(md)>>10)
	return cut + "\n\n*(" + note + ")*", note
}

// capText cuts the plain text of an article (for search, and a title of
// last resort) to MaxMarkdownSize bytes, at a character boundary: the
// search index need not hold more of an article than is shown.
func capText(s string) string {
	return truncateUTF8(s, MaxMarkdownSize)
}
