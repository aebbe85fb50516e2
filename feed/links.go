package feed

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// This file finds the links of an article body: it recognises "Read also"
// lines and blocks (see ReadAlsoMarkers) and numbers every link in reading
// order.

const (
	attrReadAlso = "data-brief-read-also" // set on <a> elements inside a "Read also" line or block
	tagTitleOnly = "brief-title-link"     // element standing for a "Read also" title without a link
	attrTitle    = "data-brief-title"     // the title of a tagTitleOnly element
	attrDropped  = "data-brief-dropped"   // set on <a> elements whose address was refused or removed
)

// linkShare is the part of a line's text that its links must cover for the
// line to count as a line of links.
const linkShare = 0.6

// isBlock reports whether n is an element that starts a new block of text.
func isBlock(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	switch n.DataAtom {
	case atom.P, atom.Div, atom.Li, atom.Ul, atom.Ol, atom.Dl, atom.Dt, atom.Dd,
		atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Blockquote,
		atom.Section, atom.Article, atom.Aside, atom.Header, atom.Footer, atom.Nav,
		atom.Figure, atom.Figcaption, atom.Table, atom.Thead, atom.Tbody, atom.Tfoot,
		atom.Tr, atom.Td, atom.Th, atom.Caption, atom.Pre, atom.Hr, atom.Main,
		atom.Details, atom.Summary, atom.Address, atom.Center, atom.Hgroup,
		atom.Body, atom.Html, atom.Form, atom.Fieldset:
		return true
	}
	return false
}

// isList reports whether n is a ul or ol element.
func isList(n *html.Node) bool {
	return n.Type == html.ElementNode && (n.DataAtom == atom.Ul || n.DataAtom == atom.Ol)
}

// readAlsoScanner walks a document to flag "Read also" links.
type readAlsoScanner struct {
	splits map[*html.Node]bool // inline elements holding a <br> or a block: scanned through
	self   string              // the article's own address, normalised: never a "Read also" link
}

// markReadAlso flags the links of "Read also" lines, list items and blocks
// in doc with attrReadAlso, and inserts a tagTitleOnly element after each
// "Read also" line that has no link. A link to self (the article's own
// address: a "Read more" link to the rest of it) is not flagged, and a line
// whose link was dropped (an unsafe address) gets no title-only link.
func markReadAlso(doc *html.Node, self string) {
	s := readAlsoScanner{splits: map[*html.Node]bool{}, self: NormalizeURL(self)}
	s.findSplits(doc)
	s.scan(doc)
}

// findSplits records the inline elements that contain a line break or a
// block, in one pass, and reports whether n is or contains one.
func (s *readAlsoScanner) findSplits(n *html.Node) bool {
	found := false
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if s.findSplits(c) {
			found = true
		}
	}
	if found && n.Type == html.ElementNode && !isBlock(n) && n.DataAtom != atom.A {
		s.splits[n] = true
	}
	return found || (n.Type == html.ElementNode && (n.DataAtom == atom.Br || isBlock(n)))
}

// scan looks at the lines and blocks inside the block n. It reports whether
// n ended with a marker on its own (such as a "Related" heading), so that the
// caller treats the lists and lines of links after n as "Read also" links.
func (s *readAlsoScanner) scan(n *html.Node) bool {
	var line []*html.Node
	heading := false
	flush := func() {
		if len(line) > 0 {
			heading = s.line(line, heading)
			line = nil
		}
	}
	var walk func(*html.Node)
	walk = func(parent *html.Node) {
		for c := parent.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.ElementNode && c.DataAtom == atom.Br:
				flush()
			case isBlock(c):
				flush()
				heading = s.block(c, heading)
			case s.splits[c]:
				walk(c)
			default:
				line = append(line, c)
			}
		}
	}
	walk(n)
	flush()
	return heading
}

// block handles the block element c that follows a marker on its own when
// heading is true, and returns the new heading state.
func (s *readAlsoScanner) block(c *html.Node, heading bool) bool {
	if !heading {
		return s.scan(c)
	}
	if isList(c) {
		s.flagList(c)
		return false
	}
	text := CleanText(textOf(c))
	if text == "" {
		return true
	}
	if anchors := anchorsIn([]*html.Node{c}); linkDominated(text, anchors) {
		for _, li := range listItems(c) {
			s.flagList(li)
		}
		s.flagAnchors(anchors)
		return true
	}
	return s.scan(c)
}

// line handles one line of inline nodes. heading says whether a marker on
// its own came just before; the result is the heading state after the line.
func (s *readAlsoScanner) line(nodes []*html.Node, heading bool) bool {
	text := CleanText(textOfNodes(nodes))
	if text == "" {
		return heading
	}
	anchors := anchorsIn(nodes)
	m, ok := matchMarker(text)
	switch {
	case ok && m.rest == "":
		// A marker on its own introduces what follows, unless it is itself
		// a link (a "Read more" link to the rest of the article).
		return len(anchors) == 0
	case ok && (m.separated || markerEmphasized(nodes) || linkDominated(m.rest, anchors)):
		switch {
		case len(anchors) > 0:
			if flagged := s.flagAnchors(anchors); len(flagged) > 0 {
				setOff(nodes, m, flagged)
			}
		case hasDropped(nodes):
			// An unsafe link was dropped: its text is not a title to look for.
		default:
			last := nodes[len(nodes)-1]
			for i := len(nodes) - 2; i >= 0 && isTrailingSpace(last); i-- {
				last = nodes[i]
			}
			insertTitleOnly(last, m.rest)
			setOff(nodes, m, nil)
		}
		return false
	case heading && linkDominated(text, anchors):
		s.flagAnchors(anchors)
		return true
	}
	return false
}

// setOff sets a "Read also" line off in the body: its marker strong and its
// title emphasised ("**Read also:** *Title* [N]" in the Markdown). The
// marker must open the line as text (not inside a link or already
// emphasised); the title is the rest of that text, or the text of anchors.
func setOff(nodes []*html.Node, m markerMatch, anchors []*html.Node) {
	var first *html.Node
	for _, n := range nodes {
		if n.Type == html.TextNode && strings.TrimSpace(n.Data) == "" {
			continue
		}
		first = n
		break
	}
	if first == nil || first.Type != html.TextNode || first.Parent == nil {
		return
	}
	data := first.Data
	lead := len(data) - len(strings.TrimLeftFunc(data, unicode.IsSpace))
	cut := len(data)
	if m.rest != "" && len(anchors) == 0 {
		word, _, _ := strings.Cut(m.rest, " ")
		i := strings.Index(data[lead:], word)
		if i <= 0 {
			return
		}
		cut = lead + i
	}
	marker := strings.TrimRightFunc(data[lead:cut], unicode.IsSpace)
	if marker == "" {
		return
	}
	parent := first.Parent
	if lead > 0 {
		parent.InsertBefore(&html.Node{Type: html.TextNode, Data: data[:lead]}, first)
	}
	parent.InsertBefore(wrapText(atom.Strong, marker), first)
	rest := data[lead+len(marker):]
	if title := strings.TrimSpace(rest); title != "" {
		parent.InsertBefore(&html.Node{Type: html.TextNode, Data: rest[:len(rest)-len(strings.TrimLeftFunc(rest, unicode.IsSpace))]}, first)
		parent.InsertBefore(wrapText(atom.Em, strings.TrimRightFunc(strings.TrimLeftFunc(rest, unicode.IsSpace), unicode.IsSpace)), first)
		if trail := rest[len(strings.TrimRightFunc(rest, unicode.IsSpace)):]; trail != "" {
			parent.InsertBefore(&html.Node{Type: html.TextNode, Data: trail}, first)
		}
	} else if rest != "" {
		parent.InsertBefore(&html.Node{Type: html.TextNode, Data: rest}, first)
	}
	parent.RemoveChild(first)
	for _, a := range anchors {
		if CleanText(textOf(a)) == "" {
			continue
		}
		em := &html.Node{Type: html.ElementNode, Data: "em", DataAtom: atom.Em}
		for a.FirstChild != nil {
			c := a.FirstChild
			a.RemoveChild(c)
			em.AppendChild(c)
		}
		a.AppendChild(em)
	}
}

// wrapText returns the element tag holding text.
func wrapText(tag atom.Atom, text string) *html.Node {
	n := &html.Node{Type: html.ElementNode, Data: tag.String(), DataAtom: tag}
	n.AppendChild(&html.Node{Type: html.TextNode, Data: text})
	return n
}

// markerEmphasized reports whether the line starts with an inline element
// (such as <strong>) whose whole text is a marker, which sets the marker
// apart as a colon would.
func markerEmphasized(nodes []*html.Node) bool {
	for _, n := range nodes {
		if n.Type == html.TextNode && strings.TrimSpace(n.Data) == "" {
			continue
		}
		if n.Type != html.ElementNode || n.DataAtom == atom.A {
			return false
		}
		m, ok := matchMarker(CleanText(textOf(n)))
		return ok && m.rest == ""
	}
	return false
}

// flagList flags the links of every item of the list (or list item) n and
// turns an item without a link (and without a dropped one) into a
// title-only link.
func (s *readAlsoScanner) flagList(n *html.Node) {
	items := listItems(n)
	if n.Type == html.ElementNode && n.DataAtom == atom.Li {
		items = []*html.Node{n}
	}
	for _, li := range items {
		if anchors := anchorsIn([]*html.Node{li}); len(anchors) > 0 {
			s.flagAnchors(anchors)
		} else if title := CleanText(textOf(li)); title != "" && !hasDropped([]*html.Node{li}) {
			placeAtEnd(li, titleOnly(title))
		}
	}
}

// listItems returns the li elements that are children of n.
func listItems(n *html.Node) []*html.Node {
	var items []*html.Node
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.DataAtom == atom.Li {
			items = append(items, c)
		}
	}
	return items
}

// linkDominated reports whether links make up most of text.
func linkDominated(text string, anchors []*html.Node) bool {
	if len(anchors) == 0 {
		return false
	}
	linked := 0
	for _, a := range anchors {
		linked += utf8.RuneCountInString(CleanText(textOf(a)))
	}
	return float64(linked) >= linkShare*float64(utf8.RuneCountInString(text))
}

// anchorsIn returns the <a href> elements among nodes and their descendants.
func anchorsIn(nodes []*html.Node) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.A && hasAttr(n, "href") {
			out = append(out, n)
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return out
}

// hasDropped reports whether nodes hold a dropped link (see prepareAnchor)
// with text.
func hasDropped(nodes []*html.Node) bool {
	var walk func(*html.Node) bool
	walk = func(n *html.Node) bool {
		if n.Type == html.ElementNode && n.DataAtom == atom.A && hasAttr(n, attrDropped) && CleanText(textOf(n)) != "" {
			return true
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if walk(c) {
				return true
			}
		}
		return false
	}
	for _, n := range nodes {
		if walk(n) {
			return true
		}
	}
	return false
}

// flagAnchors marks every anchor as a "Read also" link, except links to the
// article itself, and returns the anchors it marked.
func (s *readAlsoScanner) flagAnchors(anchors []*html.Node) []*html.Node {
	var flagged []*html.Node
	for _, a := range anchors {
		if href, _ := attr(a, "href"); s.self != "" && NormalizeURL(href) == s.self {
			continue
		}
		if !hasAttr(a, attrReadAlso) {
			a.Attr = append(a.Attr, html.Attribute{Key: attrReadAlso, Val: "1"})
		}
		flagged = append(flagged, a)
	}
	return flagged
}

// insertTitleOnly inserts a title-only link element after the node after.
func insertTitleOnly(after *html.Node, title string) {
	if after.Parent == nil || title == "" {
		return
	}
	after.Parent.InsertBefore(titleOnly(title), after.NextSibling)
}

// titleOnly returns a title-only link element.
func titleOnly(title string) *html.Node {
	return &html.Node{Type: html.ElementNode, Data: tagTitleOnly, Attr: []html.Attribute{{Key: attrTitle, Val: title}}}
}

// placeAtEnd inserts node at the end of the content of n: after its last
// text or inline element, inside its last block if it ends with one, and
// before any trailing line break or white space, so that a link number
// stays on the line of the text it belongs to.
func placeAtEnd(n, node *html.Node) {
	parent := n
	for {
		c := parent.LastChild
		for c != nil && isTrailingSpace(c) {
			c = c.PrevSibling
		}
		if c != nil && isBlock(c) {
			parent = c
			continue
		}
		next := parent.FirstChild
		if c != nil {
			next = c.NextSibling
		}
		parent.InsertBefore(node, next)
		return
	}
}

// isTrailingSpace reports whether n shows nothing: white space, a line
// break or an element without text.
func isTrailingSpace(n *html.Node) bool {
	return strings.TrimSpace(textOf(n)) == ""
}

// textOfNodes returns the text of all nodes.
func textOfNodes(nodes []*html.Node) string {
	var b strings.Builder
	for _, n := range nodes {
		b.WriteString(textOf(n))
	}
	return b.String()
}

// hasAttr reports whether n has the attribute key.
func hasAttr(n *html.Node, key string) bool {
	_, ok := attr(n, key)
	return ok
}

// attr returns the value of n's attribute key.
func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key && a.Namespace == "" {
			return a.Val, true
		}
	}
	return "", false
}

// numberLinks replaces every <a href> and title-only element of doc, in
// reading order, by its text followed by a numbered placeholder, and returns
// the links.
func numberLinks(doc *html.Node) []Link {
	var links []Link
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; {
			next := c.NextSibling
			switch {
			case c.Type == html.ElementNode && c.DataAtom == atom.A:
				if href, ok := attr(c, "href"); ok {
					l := Link{N: len(links) + 1, URL: href, ReadAlso: hasAttr(c, attrReadAlso)}
					l.Text = linkText(c, href, l.ReadAlso)
					links = append(links, l)
					replaceAnchor(c, l)
				} else {
					walk(c)
					unwrap(c)
				}
			case c.Type == html.ElementNode && c.Data == tagTitleOnly:
				title, _ := attr(c, attrTitle)
				l := Link{N: len(links) + 1, Text: title, ReadAlso: true}
				links = append(links, l)
				c.Parent.InsertBefore(placeholder(l.N), c)
				c.Parent.RemoveChild(c)
			default:
				walk(c)
			}
			c = next
		}
	}
	walk(doc)
	return links
}

// linkText returns the display text of the anchor a: its text, without a
// leading marker for "Read also" links, or the host of href when a has no
// text.
func linkText(a *html.Node, href string, readAlso bool) string {
	text := CleanText(textOf(a))
	if readAlso {
		if m, ok := matchMarker(text); ok && m.rest != "" {
			text = m.rest
		}
	}
	if text == "" {
		text = hostOf(href)
	}
	return text
}

// replaceAnchor puts the children of a (or, when a has no text, the link's
// host) and the placeholder for l where a was, and removes a.
func replaceAnchor(a *html.Node, l Link) {
	if CleanText(textOf(a)) == "" {
		for a.FirstChild != nil {
			a.RemoveChild(a.FirstChild)
		}
		a.AppendChild(&html.Node{Type: html.TextNode, Data: l.Text})
	}
	placeAtEnd(a, placeholder(l.N))
	unwrap(a)
}

// placeholder returns the text node that stands for " [n]" until the
// Markdown is finished.
func placeholder(n int) *html.Node {
	return &html.Node{Type: html.TextNode, Data: " " + string(markOpen) + strconv.Itoa(n) + string(markClose)}
}

// unwrap replaces n by its children.
func unwrap(n *html.Node) {
	parent := n.Parent
	if parent == nil {
		return
	}
	for n.FirstChild != nil {
		c := n.FirstChild
		n.RemoveChild(c)
		parent.InsertBefore(c, n)
	}
	parent.RemoveChild(n)
}

// mergeText joins adjacent text nodes of the tree under n, which the
// unwrapping of links leaves behind; the Markdown converter is slow on long
// runs of sibling text nodes.
func mergeText(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.TextNode {
			mergeText(c)
			continue
		}
		if c.NextSibling == nil || c.NextSibling.Type != html.TextNode {
			continue
		}
		var b strings.Builder
		b.WriteString(c.Data)
		for c.NextSibling != nil && c.NextSibling.Type == html.TextNode {
			next := c.NextSibling
			b.WriteString(next.Data)
			n.RemoveChild(next)
		}
		c.Data = b.String()
	}
}
