package feed

import (
	"fmt"
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

// convertHTML does the work of ConvertHTML on input already cut to size.
func convertHTML(rawHTML, baseURL string) Body {
	if strings.TrimSpace(rawHTML) == "" {
		return Body{}
	}
	if !looksLikeHTML(rawHTML) {
		if body, ok := convertPlainText(rawHTML); ok {
			var note string
			if body.Markdown, note = capMarkdown(body.Markdown); note != "" {
				body.Cut = []string{note}
			}
			body.Text = capText(body.Text)
			return body
		}
		rawHTML = plainTextToHTML(rawHTML)
	}
	return convertMarkup(rawHTML, baseURL)
}

// convertMarkup is the whole pipeline of ConvertHTML: it sanitises rawHTML,
// parses it once, prepares the tree, finds the "Read also" links, numbers
// the links, and writes the plain text and the Markdown.
func convertMarkup(rawHTML, baseURL string) Body {
	cleaned := htmlPolicy().Sanitize(rawHTML)
	doc, err := parseHTML(cleaned)
	if err != nil {
		return plainBody(cleaned)
	}
	base := parseBase(baseURL)
	var cut []string
	if dropped := prepareTree(doc, base); dropped > 0 {
		cut = append(cut, fmt.Sprintf("%d links over the limit of %d dropped", dropped, MaxLinks))
	}
	markReadAlso(doc, baseURL)
	links := numberLinks(doc)
	mergeText(doc)
	text := capText(plainText(doc))
	markAmpersands(doc)
	markBrackets(doc)
	md := strings.ReplaceAll(toMarkdown(doc, text), string(markBracket), `\[`)
	md, note := capMarkdown(md)
	if note != "" {
		cut = append(cut, note)
	}
	md, links = finishMarkdown(md, links)
	return Body{Markdown: md, Text: text, Links: links, Cut: cut}
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

// looksLikeHTML reports whether s holds HTML tags rather than plain text:
// a start or end tag ("<" and an optional "/", a letter, letters, digits,
// ":" or "-", and white space, "/" or ">"), a comment or a doctype.
func looksLikeHTML(s string) bool {
	for i := strings.IndexByte(s, '<'); i >= 0; {
		rest := s[i+1:]
		if strings.HasPrefix(rest, "!--") || strings.HasPrefix(rest, "!DOCTYPE") || strings.HasPrefix(rest, "!doctype") {
			return true
		}
		rest = strings.TrimPrefix(rest, "/")
		if rest != "" && isASCIILetter(rest[0]) {
			j := 1
			for j < len(rest) && (isASCIILetter(rest[j]) || rest[j] >= '0' && rest[j] <= '9' || rest[j] == ':' || rest[j] == '-') {
				j++
			}
			if j < len(rest) && strings.IndexByte(" \t\n\f\r/>", rest[j]) >= 0 {
				return true
			}
		}
		next := strings.IndexByte(s[i+1:], '<')
		if next < 0 {
			return false
		}
		i += 1 + next
	}
	return false
}

// isASCIILetter reports whether c is an ASCII letter.
func isASCIILetter(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
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
		// A link whose address is refused (javascript:, data:, …) stays an
		// <a> without href, so that a "Read also" line of such a link is
		// known to be a dropped link, not a title without one (links.go).
		p.AllowNoAttrs().OnElements("a")
		p.RequireNoFollowOnLinks(false)
		policy = p
	})
	return policy
}

// toMarkdown converts the prepared tree to Markdown; when the converter
// fails, the plain text (escaped) stands in.
func toMarkdown(doc *html.Node, text string) string {
	conv := getConverter()
	out, err := conv.ConvertNode(doc)
	putConverter(conv) // not after a panic: that converter is dropped
	if err != nil {
		return escapeMarkdownText(text)
	}
	return string(out)
}

// converters holds idle Markdown converters. Building one registers every
// plugin, which cost about a tenth of each conversion when ConvertHTML built
// a converter per call, so they are reused. A converter is safe for
// concurrent use, but it takes a read lock for every node and character it
// converts, so each conversion borrows one of its own rather than having all
// goroutines share a single lock. Unlike a sync.Pool, this free list
// survives garbage collections.
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
