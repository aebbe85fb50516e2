package feed

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// This file writes the plain text of an article body (Body.Text), and the
// Body of last resort when HTML cannot be converted.

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
