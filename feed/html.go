package feed

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/base"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/commonmark"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/strikethrough"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/table"
	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// MaxHTMLSize is the largest article body ConvertHTML reads: longer input is
// cut (at a character boundary) before it is converted, so that a hostile or
// broken feed cannot make a conversion take unbounded time or memory.
const MaxHTMLSize = 2 << 20

// ConvertHTML turns an untrusted article body (HTML, or plain text without
// tags) into a Body that is safe to render on a terminal:
//
//   - the HTML is cleaned with a bluemonday policy for user content: no
//     script, style, iframe, object or form, no event handlers or styles;
//   - tracking pixels (images with a width or height of 2 or less) are
//     dropped and every other image becomes the text "[image: alt]";
//   - links are resolved against baseURL; each http or https link is written
//     as "text [N]", numbered from 1 in reading order, and listed in
//     Body.Links (the URL is not written into the Markdown); other links
//     keep only their text;
//   - "Read also" links (see ReadAlsoMarkers) are flagged, and a "Read also"
//     line without a link becomes a title-only link with its own number;
//   - the Markdown contains no control characters other than newlines and
//     tabs, and no character reference that would decode into one when the
//     Markdown is rendered: an "&" of the text is written "&amp;" (outside
//     code blocks), so "&#27;" in an article shows as text, and an unescaped
//     "[N]" outside code is always a link number;
//   - Body.Text is the plain text, for search and as a title of last resort.
//
// Input longer than MaxHTMLSize is cut. ConvertHTML never fails and never
// panics: when the HTML cannot be parsed or converted, the body's plain text
// (without links) is used.
func ConvertHTML(rawHTML, baseURL string) (body Body) {
	rawHTML = truncateUTF8(rawHTML, MaxHTMLSize)
	defer func() {
		if recover() != nil { // a bug in a library must not take a refresh down
			body = plainBody(rawHTML)
		}
	}()
	return convertHTML(rawHTML, baseURL)
}

// plainBody is the Body of last resort: the text of the HTML s, without
// markup or links.
func plainBody(s string) Body {
	var lines []string
	for _, line := range strings.Split(textOnly(s), "\n") {
		if line = CleanText(line); line != "" {
			lines = append(lines, line)
		}
	}
	text := strings.Join(lines, "\n")
	md, _ := finishMarkdown(escapeMarkdownText(strings.Join(lines, "\n\n")), nil)
	return Body{Markdown: md, Text: text}
}

// convertHTML does the work of ConvertHTML on input already cut to size.
func convertHTML(rawHTML, baseURL string) Body {
	if strings.TrimSpace(rawHTML) == "" {
		return Body{}
	}
	if !looksLikeHTML(rawHTML) {
		rawHTML = plainTextToHTML(rawHTML)
	}
	cleaned := htmlPolicy().Sanitize(rawHTML)
	doc, err := parseHTML(cleaned)
	if err != nil {
		return plainBody(cleaned)
	}
	base := parseBase(baseURL)
	prepareTree(doc, base)
	markReadAlso(doc)
	links := numberLinks(doc)
	mergeText(doc)
	text := plainText(doc)
	markAmpersands(doc)
	md := toMarkdown(doc, text)
	md, links = finishMarkdown(md, links)
	return Body{Markdown: md, Text: text, Links: links}
}

// truncateUTF8 cuts s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && cut > n-utf8.UTFMax && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

// tagPattern finds something that looks like an HTML tag, comment or
// doctype.
var tagPattern = regexp.MustCompile(`<(?:/?[a-zA-Z][a-zA-Z0-9:-]*[\s/>]|!--|!DOCTYPE|!doctype)`)

// looksLikeHTML reports whether s holds HTML tags rather than plain text.
func looksLikeHTML(s string) bool {
	return tagPattern.MatchString(s)
}

// plainTextToHTML wraps a plain-text body in paragraphs: blank lines separate
// paragraphs, single newlines become line breaks. Character references are
// left alone, so that text such as "It&#8217;s" still decodes.
func plainTextToHTML(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.ReplaceAll(s, "<", "&lt;")
	var b strings.Builder
	for _, para := range splitParagraphs(s) {
		b.WriteString("<p>")
		b.WriteString(strings.ReplaceAll(para, "\n", "<br>"))
		b.WriteString("</p>\n")
	}
	return b.String()
}

// splitParagraphs splits s at blank lines and drops empty paragraphs.
func splitParagraphs(s string) []string {
	var paras []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			paras = append(paras, strings.Join(cur, "\n"))
			cur = nil
		}
	}
	for _, line := range strings.Split(s, "\n") {
		if strings.TrimSpace(line) == "" {
			flush()
			continue
		}
		cur = append(cur, strings.TrimSpace(line))
	}
	flush()
	return paras
}

var (
	policyOnce sync.Once
	policy     *bluemonday.Policy
)

// htmlPolicy returns the bluemonday policy for article bodies: bluemonday's
// policy for user-generated content (no script, style, iframe, object, form,
// event handler or style attribute), with any text allowed in alt and title
// (they are cleaned later) and the image sizes kept to find tracking pixels.
func htmlPolicy() *bluemonday.Policy {
	policyOnce.Do(func() {
		p := bluemonday.UGCPolicy()
		anything := regexp.MustCompile(`(?s)^.*$`)
		p.AllowAttrs("alt", "title").Matching(anything).OnElements("img")
		p.AllowAttrs("title").Matching(anything).OnElements("a", "abbr")
		p.AllowAttrs("width", "height").Matching(anything).OnElements("img")
		p.RequireNoFollowOnLinks(false)
		policy = p
	})
	return policy
}

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

// toMarkdown converts the prepared tree to Markdown; when the converter
// fails, the plain text (escaped) stands in.
func toMarkdown(doc *html.Node, text string) string {
	conv := getConverter()
	defer putConverter(conv)
	out, err := conv.ConvertNode(doc)
	if err != nil {
		return escapeMarkdownText(text)
	}
	return string(out)
}

// converters holds idle Markdown converters. Building one registers every
// plugin (about as costly as converting a short article), so they are reused.
// A converter may be shared by goroutines, but it takes a read lock for every
// node and character it converts: goroutines on different cores sharing one
// would contend on that lock, so each conversion borrows its own. Unlike a
// sync.Pool, the free list survives garbage collections.
var converters = make(chan *converter.Converter, 16)

// getConverter returns an idle converter, or a new one.
func getConverter() *converter.Converter {
	select {
	case c := <-converters:
		return c
	default:
		return newConverter()
	}
}

// putConverter returns c to the idle converters, or drops it when there are
// enough.
func putConverter(c *converter.Converter) {
	select {
	case converters <- c:
	default:
	}
}

// newConverter builds the HTML-to-Markdown converter ConvertHTML uses:
// CommonMark with strikethrough and tables.
func newConverter() *converter.Converter {
	return converter.NewConverter(converter.WithPlugins(
		base.NewBasePlugin(),
		commonmark.NewCommonmarkPlugin(),
		strikethrough.NewStrikethroughPlugin(),
		table.NewTablePlugin(),
	))
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

// escapeMarkdownText escapes the characters of plain text that Markdown
// would read as syntax; "&" becomes "&amp;" so that no character reference
// survives.
func escapeMarkdownText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
			continue
		case r < utf8.RuneSelf && strings.ContainsRune("\\`*_{}[]()#+-.!|<>~", r):
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// finishMarkdown replaces the link placeholders in md by "[N]", renumbering
// the links in the order their numbers appear (a link whose text the
// converter dropped is dropped too), defuses character references that would
// decode into control characters, and removes any control character left.
func finishMarkdown(md string, links []Link) (string, []Link) {
	md = CleanMultiline(md)
	md = defuseReferences(md)
	md = strings.ReplaceAll(md, string(markAmp), "&amp;")
	var b strings.Builder
	b.Grow(len(md) + 4*len(links))
	var out []Link
	seen := make(map[int]bool, len(links))
	for {
		i := strings.IndexRune(md, markOpen)
		if i < 0 {
			b.WriteString(md)
			break
		}
		b.WriteString(md[:i])
		rest := md[i+utf8.RuneLen(markOpen):]
		j := strings.IndexRune(rest, markClose)
		if j < 0 {
			md = rest
			continue
		}
		n, err := strconv.Atoi(rest[:j])
		md = rest[j+utf8.RuneLen(markClose):]
		if err != nil || n < 1 || n > len(links) || seen[n] {
			continue
		}
		seen[n] = true
		l := links[n-1]
		l.N = len(out) + 1
		out = append(out, l)
		b.WriteString("[" + strconv.Itoa(l.N) + "]")
		if md != "" && (md[0] == '(' || md[0] == '[' || md[0] == ':') {
			b.WriteByte('\\') // "[N](…)" must not become a Markdown link
		}
	}
	return strings.TrimSpace(b.String()), out
}

// maxDepth is the deepest element nesting kept: deeper elements are
// replaced by their content, so that hostile nesting (thousands of nested
// quotes or lists) cannot blow up the Markdown or its rendering.
const maxDepth = 40

// prepareTree cleans every text node of doc, removes comments, flattens
// nesting deeper than maxDepth, drops tracking pixels, replaces images by
// their text and resolves links against base (dropping the href of links
// that cannot be followed).
func prepareTree(doc *html.Node, base *url.URL) {
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
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
					walk(c, depth+1)
				default:
					walk(c, depth+1)
				}
			case html.DocumentNode:
				walk(c, depth)
			default: // comments, doctypes
				n.RemoveChild(c)
			}
			c = next
		}
	}
	walk(doc, 0)
}

// prepareAnchor replaces the href of a by the resolved, checked URL, or
// removes it when the link cannot be followed.
func prepareAnchor(a *html.Node, base *url.URL) {
	href, _ := attr(a, "href")
	resolved := resolveLink(href, base)
	kept := a.Attr[:0]
	for _, at := range a.Attr {
		if at.Key != "href" {
			kept = append(kept, at)
		}
	}
	a.Attr = kept
	if resolved != "" {
		a.Attr = append(a.Attr, html.Attribute{Key: "href", Val: resolved})
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

// plainText returns the text of doc: one paragraph per block, separated by
// blank lines, line breaks kept, spaces collapsed, link numbers left out.
func plainText(doc *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode && isInPre(n):
			b.WriteString(n.Data)
			return
		case n.Type == html.TextNode:
			b.WriteString(spaceReplacer.Replace(n.Data))
			return
		case n.Type == html.ElementNode && n.DataAtom == atom.Br:
			b.WriteByte('\n')
			return
		}
		block := isBlock(n)
		if block {
			b.WriteString("\n\n")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if block {
			b.WriteString("\n\n")
		}
	}
	walk(doc)
	text := removePlaceholders(b.String())
	var out []string
	blank := false
	for _, line := range strings.Split(text, "\n") {
		line = CleanText(line)
		if line == "" {
			blank = len(out) > 0
			continue
		}
		if blank {
			out = append(out, "")
			blank = false
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// spaceReplacer turns the line breaks and tabs of HTML text into spaces.
var spaceReplacer = strings.NewReplacer("\n", " ", "\t", " ")

// isInPre reports whether n is inside a <pre> element.
func isInPre(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && p.DataAtom == atom.Pre {
			return true
		}
	}
	return false
}

// removePlaceholders removes every link placeholder (markOpen, ASCII
// digits, markClose) from s, with the space before it, if any.
func removePlaceholders(s string) string {
	open := string(markOpen)
	i := strings.Index(s, open)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	last := 0 // s[last:] is not written yet
	for i >= 0 {
		j := i + len(open)
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		next := j
		if strings.HasPrefix(s[j:], string(markClose)) {
			start := i
			if start > last && s[start-1] == ' ' {
				start--
			}
			b.WriteString(s[last:start])
			last = j + len(string(markClose))
			next = last
		}
		k := strings.Index(s[next:], open)
		if k < 0 {
			break
		}
		i = next + k
	}
	b.WriteString(s[last:])
	return b.String()
}
