package feed

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
)

// ErrNoArticle is wrapped by the error ExtractPage returns for a page that
// holds no readable article.
var ErrNoArticle = errors.New("no readable article")

// minArticleText is the least text, in characters, an extracted page must
// have to count as an article.
const minArticleText = 80

// maxPageSize is the most of a page ExtractPage reads; the rest is ignored.
const maxPageSize = 8 << 20

// ExtractPage extracts the article of a web page in reader mode. body is
// decoded to UTF-8 using the charset of contentType, a byte order mark or the
// page's <meta> tags; go-readability finds the title, byline, site name,
// publication time and the article's HTML, which ConvertHTML then turns into
// the Body, with pageURL as the base for relative links. Every string is
// cleaned with CleanText. A page without a readable article gives an error
// wrapping ErrNoArticle: "feed: no readable article at <url>".
func ExtractPage(body []byte, contentType, pageURL string) (Page, error) {
	pageURL = CleanText(pageURL)
	base, err := url.Parse(pageURL)
	if err != nil || base.Host == "" {
		return Page{}, fmt.Errorf("feed: reader mode needs an absolute page URL, got %s", quoteURL(CleanText(pageURL)))
	}
	if len(body) > maxPageSize {
		body = body[:maxPageSize]
	}
	doc, err := parsePage(body, contentType)
	if err != nil {
		return Page{}, fmt.Errorf("feed: reading page %s: %w", quoteURL(pageURL), err)
	}
	fullTitles := titleCandidates(doc) // before go-readability changes doc
	article, err := extractArticle(doc, base)
	if err != nil {
		return Page{}, fmt.Errorf("feed: %w at %s: %w", ErrNoArticle, pageURL, err)
	}
	if article.Node == nil {
		return Page{}, fmt.Errorf("feed: %w at %s", ErrNoArticle, pageURL)
	}
	var buf bytes.Buffer
	if err := article.RenderHTML(&buf); err != nil {
		return Page{}, fmt.Errorf("feed: rendering the article of %s: %w", pageURL, err)
	}
	page := Page{
		URL:      pageURL,
		Title:    fullTitle(CleanText(article.Title()), fullTitles),
		Author:   CleanText(article.Byline()),
		SiteName: CleanText(article.SiteName()),
		Body:     ConvertHTML(buf.String(), pageURL),
	}
	if published, err := article.PublishedTime(); err == nil && !published.IsZero() {
		page.Published = published.UTC()
	}
	if utf8.RuneCountInString(page.Body.Text) < minArticleText {
		return Page{}, fmt.Errorf("feed: %w at %s", ErrNoArticle, pageURL)
	}
	if page.Title == "" {
		page.Title = fallbackTitle(page.Body.Text)
	}
	return page, nil
}

// parsePage decodes body to UTF-8 and parses it as HTML.
func parsePage(body []byte, contentType string) (*html.Node, error) {
	r, err := charset.NewReader(bytes.NewReader(body), contentType)
	if err != nil { // unknown charset label: assume UTF-8
		r = bytes.NewReader(body)
	}
	decoded, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("decoding the charset: %w", err)
	}
	return parseHTML(string(decoded))
}

// extractArticle runs go-readability on doc (which it changes), turning a
// panic inside it into an error.
func extractArticle(doc *html.Node, base *url.URL) (article readability.Article, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("readability failed: %v", r)
		}
	}()
	parser := readability.NewParser()
	return parser.ParseAndMutate(doc, base)
}

// fallbackTitle returns the start of text as a title: its first line, cut at
// a word boundary after about 80 characters.
func fallbackTitle(text string) string {
	line, _, _ := strings.Cut(text, "\n")
	const max = 80
	if utf8.RuneCountInString(line) <= max {
		return line
	}
	runes := []rune(line)
	cut := max
	for cut > max/2 && runes[cut] != ' ' {
		cut--
	}
	return strings.TrimSpace(string(runes[:cut])) + "…"
}

// parseNestingLimit is the element nesting parseHTML flattens a document to
// when the HTML parser refuses it (it stops at 512 open elements).
const parseNestingLimit = 100

// parseHTML parses s as an HTML document. When s nests too deep for the
// parser, the elements past parseNestingLimit are dropped and parsing is
// tried again.
func parseHTML(s string) (*html.Node, error) {
	doc, err := html.Parse(strings.NewReader(s))
	if err == nil {
		return doc, nil
	}
	doc, err2 := html.Parse(strings.NewReader(flattenHTML(s, parseNestingLimit)))
	if err2 != nil {
		return nil, fmt.Errorf("parsing HTML: %w", errors.Join(err, err2))
	}
	return doc, nil
}

// flattenHTML drops the start and end tags of elements nested deeper than
// limit (counted naively, from the tags alone) and keeps everything else.
func flattenHTML(s string, limit int) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	b.Grow(len(s))
	depth := 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return b.String()
		case html.StartTagToken:
			name, _ := z.TagName()
			if isVoidElement(string(name)) || string(name) == "a" { // links are kept, and cannot nest
				b.Write(z.Raw())
				continue
			}
			depth++
			if depth > limit {
				b.WriteByte(' ')
				continue
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); string(name) == "a" {
				break
			}
			if depth > 0 {
				depth--
			}
			if depth >= limit {
				b.WriteByte(' ')
				continue
			}
		}
		b.Write(z.Raw())
	}
}

// isVoidElement reports whether name is an element that has no end tag.
func isVoidElement(name string) bool {
	switch name {
	case "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr":
		return true
	}
	return false
}

// textOnly returns the text of the HTML s, without any tag and without the
// content of script, style and similar elements.
func textOnly(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	skip := 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken, html.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style", "noscript", "template", "iframe", "object", "svg", "math", "title":
				if tt == html.StartTagToken {
					skip++
				} else if skip > 0 {
					skip--
				}
			}
			b.WriteByte(' ')
		case html.SelfClosingTagToken:
			b.WriteByte(' ')
		}
	}
}
