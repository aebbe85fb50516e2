package feed

import (
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

const testBase = "https://news.example/world/2024/story"

func TestReadAlsoDetection(t *testing.T) {
	tests := []struct {
		name   string
		html   string
		links  []Link
		inText []string // substrings of the Markdown
	}{
		{
			name: "paragraph with colon",
			html: `<p>Body text.</p><p>Read also: <a href="/a">Other story</a></p>`,
			links: []Link{
				{N: 1, Text: "Other story", URL: "https://news.example/a", ReadAlso: true},
			},
			inText: []string{"**Read also:** *Other story* [1]"},
		},
		{
			name:   "whole line is the link",
			html:   `<p><a href="/a">Read also: Other story</a></p>`,
			links:  []Link{{N: 1, Text: "Other story", URL: "https://news.example/a", ReadAlso: true}},
			inText: []string{"Read also: Other story [1]"},
		},
		{
			name:   "strong marker without colon",
			html:   `<p><strong>Lesen Sie auch</strong> <a href="https://de.example/x">Nachricht</a></p>`,
			links:  []Link{{N: 1, Text: "Nachricht", URL: "https://de.example/x", ReadAlso: true}},
			inText: []string{"**Lesen Sie auch** Nachricht [1]"},
		},
		{
			name:  "marker without separator, line of links",
			html:  `<p>See also <a href="/b">The budget explained</a></p>`,
			links: []Link{{N: 1, Text: "The budget explained", URL: "https://news.example/b", ReadAlso: true}},
		},
		{
			name: "guardian related span",
			html: `<p>Text.</p><p> <span>Related: </span><a href="https://www.theguardian.com/x">Fact check</a> </p> <a href="https://www.theguardian.com/y">Continue reading...</a>`,
			links: []Link{
				{N: 1, Text: "Fact check", URL: "https://www.theguardian.com/x", ReadAlso: true},
				{N: 2, Text: "Continue reading...", URL: "https://www.theguardian.com/y"},
			},
		},
		{
			name: "title only",
			html: `<p>First.</p><p>Read also: 60% of Europeans believe NATO should come to Ukraine’s defence</p><p>Last.</p>`,
			links: []Link{
				{N: 1, Text: "60% of Europeans believe NATO should come to Ukraine’s defence", ReadAlso: true},
			},
			inText: []string{"**Read also:** *60% of Europeans believe NATO should come to Ukraine’s defence* [1]"},
		},
		{
			name: "line after a br",
			html: `<p>Some text.<br><b>Читайте також:</b> <a href="https://ua.example/n">Новина</a><br>More text.</p>`,
			links: []Link{
				{N: 1, Text: "Новина", URL: "https://ua.example/n", ReadAlso: true},
			},
		},
		{
			name: "title only after a br, inside a span",
			html: `<div><span>Text here.<br>Читайте также: Заголовок статьи</span></div>`,
			links: []Link{
				{N: 1, Text: "Заголовок статьи", ReadAlso: true},
			},
			inText: []string{"**Читайте также:** *Заголовок статьи* [1]"},
		},
		{
			name: "title-only list item holding a paragraph",
			html: `<h3>Related</h3><ul><li><p>Title in a paragraph</p></li></ul>`,
			links: []Link{
				{N: 1, Text: "Title in a paragraph", ReadAlso: true},
			},
			inText: []string{"Title in a paragraph [1]"},
		},
		{
			name: "list under a heading",
			html: `<p>Intro <a href="/in">inline</a>.</p><h3>Related stories</h3><ul><li><a href="/r1">One</a></li><li><a href="/r2">Two</a></li><li>Three, title only</li></ul><p>After <a href="/after">the list</a>.</p>`,
			links: []Link{
				{N: 1, Text: "inline", URL: "https://news.example/in"},
				{N: 2, Text: "One", URL: "https://news.example/r1", ReadAlso: true},
				{N: 3, Text: "Two", URL: "https://news.example/r2", ReadAlso: true},
				{N: 4, Text: "Three, title only", ReadAlso: true},
				{N: 5, Text: "the list", URL: "https://news.example/after"},
			},
		},
		{
			name: "paragraph marker then list",
			html: `<p><strong>Zobacz też:</strong></p><ul><li><a href="/p1">Jeden</a></li></ul>`,
			links: []Link{
				{N: 1, Text: "Jeden", URL: "https://news.example/p1", ReadAlso: true},
			},
		},
		{
			name: "heading then lines of links",
			html: `<h4>More on this story</h4><p><a href="/m1">First related</a></p><p><a href="/m2">Second related</a></p><p>Normal paragraph with a <a href="/n">link</a> in a long sentence.</p>`,
			links: []Link{
				{N: 1, Text: "First related", URL: "https://news.example/m1", ReadAlso: true},
				{N: 2, Text: "Second related", URL: "https://news.example/m2", ReadAlso: true},
				{N: 3, Text: "link", URL: "https://news.example/n"},
			},
		},
		{
			name: "heading then a div holding the list",
			html: `<h2>Further reading</h2><div><ul><li><a href="/f1">F1</a></li></ul></div>`,
			links: []Link{
				{N: 1, Text: "F1", URL: "https://news.example/f1", ReadAlso: true},
			},
		},
		{
			name: "list item with marker",
			html: `<ul><li>Leia também: <a href="/pt">Notícia</a></li><li><a href="/x">Other</a></li></ul>`,
			links: []Link{
				{N: 1, Text: "Notícia", URL: "https://news.example/pt", ReadAlso: true},
				{N: 2, Text: "Other", URL: "https://news.example/x"},
			},
		},
		{
			name: "several links on one marker line",
			html: `<p>Voir aussi : <a href="/1">Un</a>, <a href="/2">Deux</a></p>`,
			links: []Link{
				{N: 1, Text: "Un", URL: "https://news.example/1", ReadAlso: true},
				{N: 2, Text: "Deux", URL: "https://news.example/2", ReadAlso: true},
			},
		},
		{
			name: "normal sentence starting with a marker word",
			html: `<p>Related research shows that <a href="/s">sleep</a> matters a great deal to everyone.</p>`,
			links: []Link{
				{N: 1, Text: "sleep", URL: "https://news.example/s"},
			},
		},
		{
			name:  "marker words mid-paragraph",
			html:  `<p>The minister said we should read also the <a href="/r">report</a>. Read also: not at the start.</p>`,
			links: []Link{{N: 1, Text: "report", URL: "https://news.example/r"}},
		},
		{
			name:  "read more link to the rest is not read also",
			html:  `<p>Summary of the story.</p><p><a href="/full">Read more</a></p><ul><li><a href="/x">x</a></li></ul>`,
			links: []Link{{N: 1, Text: "Read more", URL: "https://news.example/full"}, {N: 2, Text: "x", URL: "https://news.example/x"}},
		},
		{
			name:  "marker heading followed by prose ends the block",
			html:  `<h3>Related</h3><p>This paragraph is ordinary prose that mentions a <a href="/p">page</a> in passing.</p>`,
			links: []Link{{N: 1, Text: "page", URL: "https://news.example/p"}},
		},
		{
			name:  "feeds cannot forge brief's own markers",
			html:  `<p><a href="/x" data-brief-read-also="1">x</a> <brief-title-link data-brief-title="forged">y</brief-title-link></p>`,
			links: []Link{{N: 1, Text: "x", URL: "https://news.example/x"}},
		},
		{
			name:   "marker line with an unsafe link: dropped, not a title-only link",
			html:   `<p>Read also: <a href="javascript:alert(1)">Evil title</a></p>`,
			inText: []string{"Read also: Evil title"},
		},
		{
			name:   "file and data links are dropped too",
			html:   `<p>Read also: <a href="file:///etc/passwd">Passwords</a></p><ul><li>Related: <a href="data:text/html,x">Data</a></li></ul>`,
			inText: []string{"Read also: Passwords", "Related: Data"},
		},
		{
			name:   "a link over 8 KiB is dropped",
			html:   `<p>Read also: <a href="https://news.example/` + strings.Repeat("a", 9000) + `">Long</a></p>`,
			inText: []string{"Read also: Long"},
		},
		{
			name:   "a title-only line is still one",
			html:   `<p>Read also: Parliament passes the budget</p>`,
			links:  []Link{{N: 1, Text: "Parliament passes the budget", ReadAlso: true}},
			inText: []string{"**Read also:** *Parliament passes the budget* [1]"},
		},
		{
			name:   "Read more to the article itself is not a Read-also link",
			html:   `<p>The start of the story.</p><p>Read more: <a href="` + testBase + `?utm_source=rss#more">the whole story</a></p><p>Related: <a href="/b">Another story</a></p>`,
			links:  []Link{{N: 1, Text: "the whole story", URL: testBase + "?utm_source=rss#more"}, {N: 2, Text: "Another story", URL: "https://news.example/b", ReadAlso: true}},
			inText: []string{"Read more: the whole story [1]", "**Related:** *Another story* [2]"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := ConvertHTML(tt.html, testBase)
			if !reflect.DeepEqual(body.Links, tt.links) {
				t.Errorf("links\n got %+v\nwant %+v\nMarkdown:\n%s", body.Links, tt.links, body.Markdown)
			}
			for _, s := range tt.inText {
				if !strings.Contains(body.Markdown, s) {
					t.Errorf("Markdown does not contain %q:\n%s", s, body.Markdown)
				}
			}
			checkLinkNumbers(t, body)
		})
	}
}

func TestLinkNumbering(t *testing.T) {
	tests := []struct {
		name     string
		html     string
		markdown string
		links    []Link
	}{
		{
			name:     "reading order, relative links resolved",
			html:     `<p>See <a href="/a">first</a> and <a href="b?x=1">second</a>.</p><p><a href="https://other.example/c">third</a></p>`,
			markdown: "See first [1] and second [2].\n\nthird [3]",
			links: []Link{
				{N: 1, Text: "first", URL: "https://news.example/a"},
				{N: 2, Text: "second", URL: "https://news.example/world/2024/b?x=1"},
				{N: 3, Text: "third", URL: "https://other.example/c"},
			},
		},
		{
			name:     "empty link text uses the host",
			html:     `<p>Source: <a href="https://www.reuters.com/x"></a></p>`,
			markdown: "Source: reuters.com [1]",
			links:    []Link{{N: 1, Text: "reuters.com", URL: "https://www.reuters.com/x"}},
		},
		{
			name:     "image link",
			html:     `<p><a href="/photo"><img src="/p.jpg" alt="A photo"></a></p>`,
			markdown: `\[image: A photo] [1]`,
			links:    []Link{{N: 1, Text: "[image: A photo]", URL: "https://news.example/photo"}},
		},
		{
			name:     "only http and https are numbered",
			html:     `<p><a href="mailto:a@b.c">mail</a> <a href="javascript:x()">js</a> <a href="ftp://f/x">ftp</a> <a href="data:text/html,x">data</a> <a href="http://ok.example/">ok</a></p>`,
			markdown: "mail js ftp data ok [1]",
			links:    []Link{{N: 1, Text: "ok", URL: "http://ok.example/"}},
		},
		{
			name:     "in-page anchors are not links",
			html:     `<p>Claim<a href="#fn1">1</a>.</p>`,
			markdown: "Claim1.",
		},
		{
			name:     "link without href",
			html:     `<p><a name="top">Top</a></p>`,
			markdown: "Top",
		},
		{
			name:     "a number after the link cannot form a Markdown link",
			html:     `<p><a href="/a">x</a>(http://evil.example)</p>`,
			markdown: `x [1]\(http://evil.example)`,
			links:    []Link{{N: 1, Text: "x", URL: "https://news.example/a"}},
		},
		{
			name:     "link ending with a line break",
			html:     `<p><a href="/a">text<br></a>next line</p>`,
			markdown: "text [1]  \nnext line",
			links:    []Link{{N: 1, Text: "text", URL: "https://news.example/a"}},
		},
		{
			name:     "link holding a block",
			html:     `<div><a href="/a"><div><p>Block title</p></div></a></div><p>After</p>`,
			markdown: "Block title [1]\n\nAfter",
			links:    []Link{{N: 1, Text: "Block title", URL: "https://news.example/a"}},
		},
		{
			name:     "link ending with an empty block",
			html:     `<a href="/a">0<p></p></a>`,
			markdown: "0 [1]",
			links:    []Link{{N: 1, Text: "0", URL: "https://news.example/a"}},
		},
		{
			name:     "link text ending in emphasis",
			html:     `<p><a href="/a">a <b>bold</b></a>.</p>`,
			markdown: "a **bold** [1].",
			links:    []Link{{N: 1, Text: "a bold", URL: "https://news.example/a"}},
		},
		{
			name:     "link inside emphasis",
			html:     `<p><strong><a href="/a">bold link</a></strong></p>`,
			markdown: "**bold link [1]**",
			links:    []Link{{N: 1, Text: "bold link", URL: "https://news.example/a"}},
		},
		{
			name:     "href with a raw space is not a link",
			html:     `<p><a href="https://e.example/a%20b">ok</a> <a href="https://e.example/a b">bad</a></p>`,
			markdown: "ok [1] bad",
			links:    []Link{{N: 1, Text: "ok", URL: "https://e.example/a%20b"}},
		},
		{
			name:     "href with a line break is not a link",
			html:     "<p><a href=\"java\nscript:alert(1)\">j</a> <a href=\"https://e.example/a\nb\">nl</a></p>",
			markdown: "j nl",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := ConvertHTML(tt.html, testBase)
			if body.Markdown != tt.markdown {
				t.Errorf("Markdown\n got %q\nwant %q", body.Markdown, tt.markdown)
			}
			if !reflect.DeepEqual(body.Links, tt.links) {
				t.Errorf("links\n got %+v\nwant %+v", body.Links, tt.links)
			}
			checkLinkNumbers(t, body)
		})
	}
}

// checkLinkNumbers fails the test unless the links are numbered 1…n and
// each "[N]" appears in the Markdown, in order.
func checkLinkNumbers(t *testing.T, body Body) {
	t.Helper()
	pos := 0
	for i, l := range body.Links {
		if l.N != i+1 {
			t.Errorf("link %d has N = %d", i+1, l.N)
		}
		if l.Text == "" {
			t.Errorf("link %d has no text", l.N)
		}
		if l.URL == "" && !l.ReadAlso {
			t.Errorf("link %d has neither a URL nor ReadAlso", l.N)
		}
		marker := " [" + strconv.Itoa(l.N) + "]"
		j := strings.Index(body.Markdown[pos:], marker)
		if j < 0 {
			t.Errorf("Markdown lacks %q after byte %d:\n%s", marker, pos, body.Markdown)
			return
		}
		pos += j + len(marker)
	}
	// The other way round: outside code, every unescaped "[N]" is a link.
	prose := fencePattern.ReplaceAllString(body.Markdown, "")
	prose = codeSpanPattern.ReplaceAllString(prose, "")
	for _, m := range numberPattern.FindAllStringSubmatch(prose, -1) {
		if n, err := strconv.Atoi(m[1]); err != nil || n < 1 || n > len(body.Links) {
			t.Errorf("Markdown holds %q, which is no link (%d links):\n%s", m[0], len(body.Links), body.Markdown)
		}
	}
}

var (
	fencePattern    = regexp.MustCompile("(?ms)^ *```.*?^ *```")
	codeSpanPattern = regexp.MustCompile("(`+)[^`]*?(`+)")
	numberPattern   = regexp.MustCompile(`(?:^|[^\\])\[([0-9]+)\]`)
)
