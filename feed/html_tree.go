package feed

import (
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// This file prepares the parsed tree of an article body for numbering its
// links and converting it to Markdown: text cleaned, comments removed, deep
// nesting flattened, images replaced by their text, links resolved, and the
// "&" of the text marked.

// Placeholders written into the tree and replaced in the Markdown. They are
// Unicode noncharacters, which are removed from the input text first, so
// they cannot be forged by a feed.
const (
	markOpen  = '\uFDD0' // starts a link number: markOpen digits markClose
	markClose = '\uFDD1'
	markAmp   = '\uFDD2' // an "&" of the text, written as "&amp;" in the Markdown
)

// isPlaceholder reports whether r is reserved for brief's own placeholders.
func isPlaceholder(r rune) bool {
	return r >= 0xFDD0 && r <= 0xFDEF
}

// cleanNodeText removes controls, invisible characters and placeholder
// characters from a text node's data.
func cleanNodeText(s string) string {
	s = CleanMultiline(s)
	if strings.ContainsFunc(s, isPlaceholder) {
		s = strings.Map(func(r rune) rune {
			if isPlaceholder(r) {
				return -1
			}
			return r
		}, s)
	}
	return s
}

// textOf returns the concatenated text of n and its descendants.
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
		case html.ElementNode:
			if n.DataAtom == atom.Br {
				b.WriteByte(' ')
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// markAmpersands replaces every "&" in the text of doc, except in <pre>
// blocks, by markAmp. The Markdown converter leaves "&" alone, but renderers
// decode character references in text and inline code (glamour does even in
// code spans), so a text that says "&#27;" or "AT&amp;T" must reach the
// Markdown as "&amp;#27;" and "AT&amp;amp;T" to be shown as it is written.
// Code blocks are shown verbatim, so their "&" stay as they are.
func markAmpersands(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.TextNode:
			if strings.Contains(c.Data, "&") {
				c.Data = strings.ReplaceAll(c.Data, "&", string(markAmp))
			}
		case c.Type == html.ElementNode && c.DataAtom == atom.Pre:
		default:
			markAmpersands(c)
		}
	}
}

// maxDepth is the deepest element nesting kept: deeper elements are
// replaced by their content, so that hostile nesting (thousands of nested
// quotes or lists) cannot blow up the Markdown or its rendering.
const maxDepth = 40

// prepareTree cleans every text node of doc, removes comments, flattens
// nesting deeper than maxDepth (and quotes and lists nested deeper than
// maxBlockDepth), drops tracking pixels, replaces images by their text and
// resolves links against base (dropping the href of links that cannot be
// followed, and of the links after the first MaxLinks). It returns how many
// links it dropped for being over MaxLinks.
func prepareTree(doc *html.Node, base *url.URL) (dropped int) {
	links := 0
	var walk func(n *html.Node, depth, blocks int)
	walk = func(n *html.Node, depth, blocks int) {
		for c := n.FirstChild; c != nil; {
			next := c.NextSibling
			switch c.Type {
			case html.TextNode:
				c.Data = cleanNodeText(c.Data)
			case html.ElementNode:
				switch {
				case c.DataAtom == atom.Img:
					replaceImage(c)
				case depth >= maxDepth && c.DataAtom != atom.Br && c.DataAtom != atom.A:
					if c.FirstChild != nil {
						next = c.FirstChild // look at the hoisted children next
					}
					unwrap(c)
				case c.DataAtom == atom.A:
					prepareAnchor(c, base)
					if _, ok := attr(c, "href"); ok {
						if links++; links > MaxLinks {
							removeAttr(c, "href")
							dropped++
						}
					}
					walk(c, depth+1, blocks)
				case isNestingBlock(c):
					if blocks >= maxBlockDepth {
						flattenBlock(c)
						walk(c, depth+1, blocks)
					} else {
						walk(c, depth+1, blocks+1)
					}
				default:
					walk(c, depth+1, blocks)
				}
			case html.DocumentNode:
				walk(c, depth, blocks)
			default: // comments, doctypes
				n.RemoveChild(c)
			}
			c = next
		}
	}
	walk(doc, 0, 0)
	return dropped
}

// removeAttr removes every attribute key of n.
func removeAttr(n *html.Node, key string) {
	kept := n.Attr[:0]
	for _, a := range n.Attr {
		if a.Key != key {
			kept = append(kept, a)
		}
	}
	n.Attr = kept
}

// prepareAnchor replaces the href of a by the resolved, checked URL, or,
// when the link cannot be followed (or the sanitiser removed its address),
// removes it and marks a as a dropped link (attrDropped).
func prepareAnchor(a *html.Node, base *url.URL) {
	href, _ := attr(a, "href")
	resolved := resolveLink(href, base)
	kept := a.Attr[:0]
	for _, at := range a.Attr {
		if at.Key != "href" && at.Key != attrDropped {
			kept = append(kept, at)
		}
	}
	a.Attr = kept
	if resolved != "" {
		a.Attr = append(a.Attr, html.Attribute{Key: "href", Val: resolved})
	} else {
		a.Attr = append(a.Attr, html.Attribute{Key: attrDropped, Val: "1"})
	}
}

// replaceImage removes a tracking pixel, or replaces the image by the text
// "[image: alt]" (or "[image]" when it has neither alt nor title text).
func replaceImage(img *html.Node) {
	if isTrackingPixel(img) {
		img.Parent.RemoveChild(img)
		return
	}
	alt, _ := attr(img, "alt")
	alt = CleanText(alt)
	if alt == "" {
		title, _ := attr(img, "title")
		alt = CleanText(title)
	}
	alt = strings.Map(func(r rune) rune {
		if isPlaceholder(r) {
			return -1
		}
		return r
	}, alt)
	text := "[image]"
	if alt != "" {
		text = "[image: " + alt + "]"
	}
	img.Parent.InsertBefore(&html.Node{Type: html.TextNode, Data: text}, img)
	img.Parent.RemoveChild(img)
}

// isTrackingPixel reports whether img is declared 2 pixels wide or high or
// smaller.
func isTrackingPixel(img *html.Node) bool {
	for _, key := range []string{"width", "height"} {
		v, ok := attr(img, key)
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		if strings.HasSuffix(v, "%") {
			continue
		}
		v = strings.TrimSuffix(v, "px")
		if n, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && n <= 2 {
			return true
		}
	}
	return false
}
