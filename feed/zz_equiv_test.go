package feed

// TEMPORARY: dumps outputs to compare behaviour before and after a refactor.
// Run with EQUIV_OUT=/path go test ./feed -run TestEquivDump.

import (
	"bufio"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
)

var equivFragments = []string{
	"<p>", "</p>", "<b>", "</b>", "<strong>", "</strong>", "<em>", "</em>", "<br>", "<br/>", "<hr>",
	`<a href="/rel">`, `<a href="https://x.example/a?utm_source=1">`, `<a href="javascript:alert(1)">`, `<a href="#frag">`, `<a>`, "</a>",
	`<img src="/i.png" alt="An image">`, `<img src="/p.gif" width="1" height="1">`, `<img title="t">`,
	"<pre>", "</pre>", "<code>", "</code>", "<ul>", "</ul>", "<ol>", "</ol>", "<li>", "</li>",
	"<h3>", "</h3>", "<h1>", "</h1>", "<blockquote>", "</blockquote>", "<table><tr><td>", "</td></tr></table>",
	"<script>alert(1)</script>", "<style>p{}</style>", "<!-- c -->", "<div>", "</div>", "<span>", "</span>",
	"<iframe src=x></iframe>", `<p style="color:red" onclick="x()">`, "<del>", "</del>",
	"Read also: ", "Related", "Читайте також: ", "See also", "Read more",
	"word ", "other words ", "Title of a story ", "&amp;", "&#27;", "&#x1b;", "&lt;", "&gt;", "&nbsp;", "&#8217;",
	"a < b ", " > ", "\n", "\n\n", "\r\n", "\t", "  ", "\uFDD01\uFDD1", "\x1b[31m", "\u202e", "\u200b",
	"*", "_", "[1]", "(x)", "#", "`", "|", "~", "\\", "1. ", "- ", "+", "!", "é", "日本", "\x00", "\xff",
	"http://bare.example/x ", "AT&T ", "&copy;", "&unknown;", "<", ">", "&",
}

var equivPlain = []string{
	"word ", "Other words. ", "\n", "\n\n", "\r\n", "\r", "\t", "  ", "&amp;", "&#27;", "&lt;", "&copy;",
	"AT&T ", "a < b ", "x > y ", "*bold* ", "_u_ ", "[1] ", "# h ", "1. item ", "- item ", "Read also: a title ",
	"é ", "日本 ", "\u202e", "\u200b", "\x1b[2J", "\uFDD0", "`code` ", "\\", "http://bare.example/x ",
	"\x00", "\xff", "&#0;", "&nbsp;", "&amp", "&#x", "&#", "\u00a0", "\u3000", "\f", "\v", "Hello", "world", ".", ",", "!", "?",
	"'", "\"", "-", "--- ", "===", "+", "1.", "2)", "#", ">", "|", "~", "$", "=", " ", "Related", "Related: x",
	"\u2028", "\u0085", "<", "</", "<!", "<3", "<a", "<p", "<br>", "&#8217;", "&#x1b;", "&#155;", "ﬁ", "İ", "\u0301",
}

func equivRandom(r *rand.Rand, frags []string, n int) string {
	var b strings.Builder
	for range n {
		b.WriteString(frags[r.IntN(len(frags))])
	}
	return b.String()
}

func TestEquivDump(t *testing.T) {
	out := os.Getenv("EQUIV_OUT")
	if out == "" {
		t.Skip("EQUIV_OUT not set")
	}
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	defer w.Flush()
	enc := json.NewEncoder(w)
	emit := func(kind, name string, v any) {
		if err := enc.Encode(map[string]any{"kind": kind, "name": name, "v": v}); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	var htmlInputs [][2]string

	// Corpus: Parse, and ConvertHTML on every raw body gofeed sees.
	dir := filepath.Join("..", "..", "shared", "corpus")
	for _, rel := range corpusFiles(t, dir) {
		body, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		fd, err := parseAt(body, corpusContentType(rel, body), "https://corpus.example/"+rel, now)
		emit("parse", rel, map[string]any{"feed": fd, "err": errString(err)})
		if gf, err := gofeed.NewParser().Parse(strings.NewReader(string(body))); err == nil {
			for _, it := range gf.Items {
				htmlInputs = append(htmlInputs, [2]string{it.Content, it.Link}, [2]string{it.Description, it.Link})
			}
		}
	}
	// testdata.
	for _, glob := range []string{"testdata/parse/*", "testdata/fuzz/FuzzParse/*"} {
		files, _ := filepath.Glob(glob)
		for _, p := range files {
			if strings.HasSuffix(p, ".golden.json") {
				continue
			}
			body, _ := os.ReadFile(p)
			fd, err := parseAt(body, "", "https://testdata.example/feed", now)
			emit("parse", p, map[string]any{"feed": fd, "err": errString(err)})
		}
	}
	for _, glob := range []string{"testdata/html/*", "testdata/reader/*", "testdata/fetch/*", "../../shared/examples/*"} {
		files, _ := filepath.Glob(glob)
		for _, p := range files {
			if strings.HasSuffix(p, ".golden.md") {
				continue
			}
			body, _ := os.ReadFile(p)
			htmlInputs = append(htmlInputs, [2]string{string(body), "https://news.example/world/2024/story"})
			pg, err := ExtractPage(body, "", "https://news.example/page")
			emit("page", p, map[string]any{"page": pg, "err": errString(err)})
		}
	}
	seeds, _ := filepath.Glob("testdata/fuzz/FuzzConvertHTML/*")
	for _, p := range seeds {
		data, _ := os.ReadFile(p)
		lines := strings.Split(string(data), "\n")
		var args []string
		for _, l := range lines[1:] {
			if s, ok := strings.CutPrefix(l, "string("); ok {
				if u, err := strconv.Unquote(strings.TrimSuffix(s, ")")); err == nil {
					args = append(args, u)
				}
			}
		}
		if len(args) == 2 {
			htmlInputs = append(htmlInputs, [2]string{args[0], args[1]})
		}
	}
	for _, tc := range attackCases {
		hb := hostileBodies(tc.seq)
		keys := make([]string, 0, len(hb))
		for k := range hb {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			htmlInputs = append(htmlInputs, [2]string{hb[k], testBase})
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	bases := []string{testBase, "", "javascript:x", "https://b.example"}
	for i := range 15000 {
		htmlInputs = append(htmlInputs, [2]string{equivRandom(r, equivFragments, 1+r.IntN(40)), bases[i%len(bases)]})
	}
	for i := range 10000 {
		htmlInputs = append(htmlInputs, [2]string{equivRandom(r, equivPlain, 1+r.IntN(30)), bases[i%len(bases)]})
	}
	for i, in := range htmlInputs {
		emit("html", strconv.Itoa(i), ConvertHTML(in[0], in[1]))
		emit("plain", strconv.Itoa(i), plainBody(in[0]))
		if len(in[0]) < 2000 {
			emit("parse-item", strconv.Itoa(i), func() any {
				doc := `<rss><channel><title>t</title><item><title>` + escapeXMLText(in[0][:min(len(in[0]), 200)]) +
					`</title><description>` + escapeXMLText(in[0]) + `</description></item></channel></rss>`
				fd, err := parseAt([]byte(doc), "", "https://p.example/feed", now)
				return map[string]any{"feed": fd, "err": errString(err)}
			}())
		}
	}
}

func escapeXMLText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
