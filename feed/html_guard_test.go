package feed

import (
	"strings"
	"testing"

	"github.com/brief-reader/brief/internal/feedtest"
)

// Every hostile family converts within the caps: Markdown and text bounded,
// links bounded, and a note on the body when something was cut.
func TestHostileFamiliesStayWithinCaps(t *testing.T) {
	for _, f := range feedtest.HostileFamilies {
		b := ConvertHTML(feedtest.Hostile(f, 1<<20), "https://x.example/")
		if len(b.Markdown) > MaxMarkdownSize+100 || len(b.Text) > MaxMarkdownSize {
			t.Errorf("%s: Markdown %d, text %d bytes", f, len(b.Markdown), len(b.Text))
		}
		if len(b.Links) > MaxLinks {
			t.Errorf("%s: %d links", f, len(b.Links))
		}
	}
	b := ConvertHTML(strings.Repeat("plain words without markup ", 40000), "")
	if len(b.Markdown) > MaxMarkdownSize+100 || len(b.Cut) != 1 {
		t.Errorf("plain text: Markdown %d bytes, cut %q", len(b.Markdown), b.Cut)
	}
	b = ConvertHTML(feedtest.Hostile("links", 200_000), "https://x.example/")
	if len(b.Links) != MaxLinks || len(b.Cut) != 1 || !strings.Contains(b.Cut[0], "links over the limit") {
		t.Errorf("links: %d links, cut %q", len(b.Links), b.Cut)
	}
}

// A "[" of the text is escaped without html-to-markdown's scan, in code it
// is left alone, and nesting past maxBlockDepth is flattened.
func TestBracketsAndNesting(t *testing.T) {
	b := ConvertHTML(`<p>a [1] b [[ c</p><p><code>xs[2]</code></p><pre>m[3]</pre>`, "")
	for _, want := range []string{`a \[1] b \[\[ c`, "`xs[2]`", "m[3]"} {
		if !strings.Contains(b.Markdown, want) {
			t.Errorf("Markdown %q lacks %q", b.Markdown, want)
		}
	}
	b = ConvertHTML(strings.Repeat("<blockquote>", 30)+"deep"+strings.Repeat("</blockquote>", 30), "")
	if strings.Contains(b.Markdown, strings.Repeat(">", maxBlockDepth+1)) || strings.Contains(b.Markdown, strings.Repeat("> ", maxBlockDepth+1)) {
		t.Errorf("quotes nested past %d: %q", maxBlockDepth, b.Markdown)
	}
	if !strings.Contains(b.Markdown, "deep") {
		t.Errorf("the text was lost: %q", b.Markdown)
	}
}
