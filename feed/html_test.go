package feed

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// updateHTML rewrites the golden files of the HTML fixtures. (It has its own
// name: the package's other tests may define -update.)
var updateHTML = flag.Bool("update-html", false, "rewrite testdata/html/*.golden.md")

// fixtureBase is the URL the HTML fixtures are converted against.
const fixtureBase = "https://www.example.com/news/2022/02/17/article/"

func TestConvertHTMLGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "html", "*"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, file := range files {
		if strings.HasSuffix(file, ".golden.md") {
			continue
		}
		n++
		t.Run(filepath.Base(file), func(t *testing.T) {
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			body := ConvertHTML(string(raw), fixtureBase)
			checkBodySafe(t, body)
			got := formatBody(body)
			golden := strings.TrimSuffix(file, filepath.Ext(file)) + ".golden.md"
			if *updateHTML {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./feed -run TestConvertHTMLGolden -update-html)", err)
			}
			if got != string(want) {
				t.Errorf("ConvertHTML(%s) differs from %s\n got:\n%s\nwant:\n%s", file, golden, got, want)
			}
		})
	}
	if n == 0 {
		t.Fatal("no fixtures in testdata/html")
	}
}

// formatBody writes a Body in the readable form of the golden files.
func formatBody(b Body) string {
	var s strings.Builder
	s.WriteString(b.Markdown)
	s.WriteString("\n\n---- links ----\n")
	for _, l := range b.Links {
		kind := "link"
		if l.ReadAlso {
			kind = "read-also"
		}
		url := l.URL
		if url == "" {
			url = "(title only)"
		}
		fmt.Fprintf(&s, "[%d] %s %s | %s\n", l.N, kind, url, l.Text)
	}
	s.WriteString("---- text ----\n")
	s.WriteString(b.Text)
	s.WriteString("\n")
	return s.String()
}

func TestConvertHTMLExampleArticle(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "html", "news-article.html"))
	if err != nil {
		t.Fatal(err)
	}
	body := ConvertHTML(string(raw), fixtureBase)
	want := []Link{
		{N: 1, Text: "60% of Europeans believe NATO should come to Ukraine’s defence if Russia invades, – poll", ReadAlso: true},
		{N: 2, Text: "Russia stages pretext for attack after reports of multiple shelling incidents, – NATO", ReadAlso: true},
	}
	if !reflect.DeepEqual(body.Links, want) {
		t.Errorf("links\n got %+v\nwant %+v", body.Links, want)
	}
	for _, s := range []string{
		"**Read also:** *60% of Europeans believe NATO should come to Ukraine’s defence if Russia invades, – poll* [1]",
		"**Read also:** *Russia stages pretext for attack after reports of multiple shelling incidents, – NATO* [2]",
	} {
		if !strings.Contains(body.Markdown, s) {
			t.Errorf("Markdown lacks %q", s)
		}
	}
	if !strings.HasPrefix(body.Text, "Kremlin won’t withdraw troops") {
		t.Errorf("Text starts %q, want the first paragraph", body.Text[:40])
	}
}

func TestConvertHTML(t *testing.T) {
	tests := []struct {
		name, in, markdown, text string
	}{
		{"empty", "", "", ""},
		{"only spaces", " \n\t ", "", ""},
		{"paragraphs", "<p>One.</p><p>Two.</p>", "One.\n\nTwo.", "One.\n\nTwo."},
		{"plain text", "Line one\nline two\n\nSecond para", "Line one  \nline two\n\nSecond para", "Line one\nline two\n\nSecond para"},
		{"plain text with entities", "It&#8217;s 5 &lt; 6", "It’s 5 &lt; 6", "It’s 5 < 6"},
		{"plain text with a less-than sign", "a <3 b", "a &lt;3 b", "a <3 b"},
		{"ampersand shown as written", "<p>AT&amp;T</p>", "AT&amp;T", "AT&T"},
		{"script and style dropped", "<p>a</p><script>alert(1)</script><style>p{}</style><p>b</p>", "a\n\nb", "a\n\nb"},
		{"iframe dropped", `<p>a<iframe src="https://e.example/">x</iframe></p>`, "a", "a"},
		{"emphasis", "<p><b>bold</b> and <i>italic</i></p>", "**bold** and *italic*", "bold and italic"},
		{"heading and list", "<h2>Title</h2><ul><li>one</li><li>two</li></ul>", "## Title\n\n- one\n- two", "Title\n\none\n\ntwo"},
		{"code block", "<pre><code>x := 1\ny := 2</code></pre>", "```\nx := 1\ny := 2\n```", "x := 1\ny := 2"},
		{"image", `<p><img src="/a.png" alt="A cat"></p>`, `\[image: A cat]`, "[image: A cat]"},
		{"image without alt", `<p><img src="/a.png"></p>`, `\[image]`, "[image]"},
		{"tracking pixel", `<p>x<img src="/p.gif" width="1" height="1"></p>`, "x", "x"},
		{"markdown in text is escaped", "<p>*not bold* and [not](link)</p>", `\*not bold* and \[not](link)`, "*not bold* and [not](link)"},
		{"bidi and zero width removed", "<p>a\u202eb\u200bc</p>", "abc", "abc"},
		{"placeholder characters from the feed removed", "<p>x\uFDD01\uFDD1 y\uFDD2</p>", "x1 y", "x1 y"},
		{"comment dropped", "<p>a<!-- hidden -->b</p>", "ab", "ab"},
		{"table", "<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>", "| a | b |\n|---|---|\n| 1 | 2 |", "a\n\nb\n\n1\n\n2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := ConvertHTML(tt.in, testBase)
			if body.Markdown != tt.markdown {
				t.Errorf("Markdown\n got %q\nwant %q", body.Markdown, tt.markdown)
			}
			if body.Text != tt.text {
				t.Errorf("Text\n got %q\nwant %q", body.Text, tt.text)
			}
			checkBodySafe(t, body)
		})
	}
}

func TestPlainBody(t *testing.T) {
	body := plainBody("<p>a<script>evil()</script> <b>b*</b>\n&amp;#27; &#27;[2J</p><style>p{}</style>\nline 2")
	if want := "a b*\n&#27;\nline 2"; body.Text != want {
		t.Errorf("Text = %q, want %q", body.Text, want)
	}
	if want := "a b\\*\n\n&amp;\\#27;\n\nline 2"; body.Markdown != want {
		t.Errorf("Markdown = %q, want %q", body.Markdown, want)
	}
	checkBodySafe(t, body)
}

func TestConvertHTMLBaseURL(t *testing.T) {
	tests := []struct {
		name, base, href, want string
	}{
		{"relative path", "https://e.example/a/b", "c", "https://e.example/a/c"},
		{"absolute path", "https://e.example/a/b", "/c", "https://e.example/c"},
		{"parent", "https://e.example/a/b/c", "../d", "https://e.example/a/d"},
		{"scheme relative", "https://e.example/", "//cdn.example/x", "https://cdn.example/x"},
		{"query only", "https://e.example/a?x=1", "?y=2", "https://e.example/a?y=2"},
		{"absolute ignores base", "https://e.example/", "http://o.example/x", "http://o.example/x"},
		{"no base, relative dropped", "", "/c", ""},
		{"bad base, relative dropped", "javascript:alert(1)", "/c", ""},
		{"no base, absolute kept", "", "https://o.example/", "https://o.example/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := ConvertHTML(`<p><a href="`+tt.href+`">x</a></p>`, tt.base)
			got := ""
			if len(body.Links) == 1 {
				got = body.Links[0].URL
			}
			if got != tt.want {
				t.Errorf("link %q against %q = %q, want %q", tt.href, tt.base, got, tt.want)
			}
		})
	}
}

// hostileHTML are documents built to make a converter slow or big.
func hostileHTML() []struct{ name, in string } {
	return []struct{ name, in string }{
		{"huge body, cut in a character", strings.Repeat("<p>Читайте також: <a href='/x'>т</a> ще кілька слів</p>", 40000)},
		{"deep nesting", strings.Repeat("<blockquote><div>", 50000) + "deep <a href='/d'>link</a>"},
		{"many unclosed links", strings.Repeat("<a href=/x>y", 20000)},
		{"many unclosed spans with breaks", strings.Repeat("<span>x<br>", 20000)},
		{"long line of text", strings.Repeat("word ", 100000)},
		{"many entities", strings.Repeat("&amp;#27;", 50000)},
	}
}

// BenchmarkConvertHTMLHostile measures what TestConvertHTMLLimits only
// checks the result of: the time of the hostile documents.
func BenchmarkConvertHTMLHostile(b *testing.B) {
	for _, tt := range hostileHTML() {
		b.Run(tt.name, func(b *testing.B) {
			b.SetBytes(int64(len(tt.in)))
			for range b.N {
				ConvertHTML(tt.in, testBase)
			}
		})
	}
}

func TestConvertHTMLLimits(t *testing.T) {
	t.Parallel() // CPU-bound: runs beside the corpus tests
	for _, tt := range hostileHTML() {
		t.Run(tt.name, func(t *testing.T) {
			body := ConvertHTML(tt.in, testBase) // its time: BenchmarkConvertHTMLHostile
			if len(body.Markdown) > 4*MaxHTMLSize {
				t.Errorf("Markdown is %d bytes", len(body.Markdown))
			}
			if !utf8.ValidString(body.Markdown) || !utf8.ValidString(body.Text) {
				t.Error("Markdown or Text is not valid UTF-8")
			}
			checkLinkNumbers(t, body)
		})
	}
}

func TestConvertHTMLDeepNestingKeepsLinks(t *testing.T) {
	body := ConvertHTML(strings.Repeat("<blockquote>", 1000)+`text <a href="/deep">deep link</a>`, testBase)
	if len(body.Links) != 1 || body.Links[0].URL != "https://news.example/deep" {
		t.Errorf("links = %+v, want the deep link", body.Links)
	}
	if depth := strings.Count(body.Markdown, ">"); depth > 2*maxDepth {
		t.Errorf("Markdown nests %d quotes, want at most about %d", depth, maxDepth)
	}
}

func TestTruncateUTF8(t *testing.T) {
	tests := []struct {
		s    string
		n    int
		want string
	}{
		{"abc", 5, "abc"},
		{"abc", 2, "ab"},
		{"aя", 2, "a"},
		{"aя", 3, "aя"},
		{"€€", 4, "€"},
		{"\xff\xff\xff", 2, "\xff\xff"},
	}
	for _, tt := range tests {
		if got := truncateUTF8(tt.s, tt.n); got != tt.want {
			t.Errorf("truncateUTF8(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
		}
	}
}

func TestConvertHTMLCorpus(t *testing.T) {
	t.Parallel()        // CPU-bound: runs beside the other corpus tests
	dir := corpusDir(t) // fails in CI when missing
	n := 0
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		n++
		body := ConvertHTML(string(raw), "https://corpus.example/feed")
		checkBodySafe(t, body)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("converted %d corpus files", n)
}
