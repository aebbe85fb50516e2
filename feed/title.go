package feed

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// This file repairs the titles go-readability gives pages in reader mode. It
// takes a page's <title> and, when that holds a separator such as " – " or
// " | ", cuts it at the last one to drop a site name: "Story | Site News"
// becomes "Story". News sites also write separators inside headlines
// ("Russia stages pretext for attack…, – NATO"), and the cut title then no
// longer matches the "Read also" links that name the article. The page's
// og:title and its <h1> headings say what the full headline is.

// titleCandidates returns the og:title and the text of the <h1> elements of
// doc, cleaned with CleanText, in that order: the full forms a title may
// have been cut from.
func titleCandidates(doc *html.Node) []string {
	var og, h1 []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Meta:
				prop, ok := attr(n, "property")
				if !ok {
					prop, _ = attr(n, "name")
				}
				if strings.EqualFold(strings.TrimSpace(prop), "og:title") {
					if content, _ := attr(n, "content"); content != "" {
						og = append(og, CleanText(content))
					}
				}
				return
			case atom.H1:
				h1 = append(h1, CleanText(textOf(n)))
				return
			case atom.Script, atom.Style, atom.Template, atom.Noscript:
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return append(og, h1...)
}

// fullTitle returns the first of candidates that is a longer form of title,
// which go-readability cut at a title separator (see isCutFrom), or title
// itself when there is none.
func fullTitle(title string, candidates []string) string {
	if title == "" {
		return title
	}
	for _, c := range candidates {
		if isCutFrom(title, c) {
			return c
		}
	}
	return title
}

// isCutFrom reports whether title is full cut at a title separator, as
// go-readability cuts a page's <title>: full starts with title and goes on,
// after white space and punctuation, with one of | - – — \ / > » and a space.
// A full title longer than maxTitle characters is not taken.
func isCutFrom(title, full string) bool {
	rest, ok := strings.CutPrefix(full, title)
	if !ok || rest == "" || utf8.RuneCountInString(full) > maxTitle {
		return false
	}
	rest = strings.TrimLeft(rest, " ,;:.")
	sep, size := utf8.DecodeRuneInString(rest)
	return strings.ContainsRune(`|-–—\/>»`, sep) && strings.HasPrefix(rest[size:], " ")
}
