package feed

import (
	"fmt"
	stdhtml "html"
	"strings"
	"testing"

	"github.com/charmbracelet/glamour"
)

// These tests feed article bodies built to attack the terminal through
// ConvertHTML and glamour, and check that only SGR styling comes out of
// glamour even before SanitizeRendered runs.

// numericRefs writes every control, C1 or invisible rune of s as a decimal
// (or hexadecimal) character reference, and the rest as it is.
func numericRefs(s string, hex bool) string {
	var b strings.Builder
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || isInvisible(r) {
			if hex {
				fmt.Fprintf(&b, "&#x%X;", r)
			} else {
				fmt.Fprintf(&b, "&#%d;", r)
			}
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// hostileBodies returns article bodies that carry seq in every way the
// issue lists, keyed by a description.
func hostileBodies(seq string) map[string]string {
	refs := numericRefs(seq, false)
	hexRefs := numericRefs(seq, true)
	double := strings.ReplaceAll(refs, "&", "&amp;")
	triple := strings.ReplaceAll(double, "&", "&amp;")
	attr := strings.ReplaceAll(refs, `"`, "&quot;")
	first, rest := seq[:1], seq[1:]
	firstRef, restRefs := numericRefs(first, false), numericRefs(rest, false)
	return map[string]string{
		"raw text":                   "<p>before " + seq + " after</p>",
		"raw in plain text body":     "before " + seq + " after\n\nsecond paragraph",
		"decimal references":         "<p>before " + refs + " after</p>",
		"hex references":             "<p>before " + hexRefs + " after</p>",
		"references in plain text":   "before " + refs + " after",
		"double-encoded":             "<p>before " + double + " after</p>",
		"double-encoded plain text":  "before " + double + " after",
		"triple-encoded":             "<p>before " + triple + " after</p>",
		"in link text":               `<p><a href="https://e.example/a">` + refs + double + `</a></p>`,
		"in href":                    `<p><a href="https://e.example/` + attr + `">link</a></p>`,
		"in img alt":                 `<p><img src="/i.png" alt="` + attr + `"></p>`,
		"double-encoded in img alt":  `<p><img src="/i.png" alt="` + strings.ReplaceAll(attr, "&", "&amp;") + `"></p>`,
		"in img title":               `<p><img src="/i.png" title="` + attr + `"></p>`,
		"in link title":              `<p><a href="https://e.example/" title="` + attr + `">t</a></p>`,
		"split by emphasis raw":      "<p><em>" + first + "</em>" + rest + "</p>",
		"split by emphasis refs":     "<p><em>" + firstRef + "</em>" + restRefs + "</p>",
		"split markdown in text":     "<p>*" + firstRef + "*" + restRefs + " and _" + double + "_</p>",
		"reference split by element": "<p>&amp;#2<b></b>7;[2J &<i></i>#27;[2J &#<span>27</span>;</p>",
		"in inline code":             "<p><code>" + refs + double + "</code></p>",
		"in code block":              "<pre><code>" + refs + "\n" + double + "\n</code></pre>",
		"in heading":                 "<h2>" + refs + double + "</h2>",
		"in list":                    "<ul><li>" + refs + "</li><li>" + double + "</li></ul>",
		"in table":                   "<table><tr><th>" + refs + "</th></tr><tr><td>" + double + "</td></tr></table>",
		"in blockquote":              "<blockquote>" + refs + double + "</blockquote>",
		"in read also title":         "<p>Read also: " + refs + double + " title</p>",
		"in CDATA-like text":         "<p><![CDATA[" + seq + "]]></p>",
		"in comment":                 "<p>x<!-- " + seq + " --></p>",
	}
}

func TestConvertHTMLHostileThroughGlamour(t *testing.T) {
	r, err := glamour.NewTermRenderer(glamour.WithStandardStyle("dark"), glamour.WithWordWrap(80))
	if err != nil {
		t.Fatalf("glamour: %v", err)
	}
	for _, attack := range attackCases {
		for variant, in := range hostileBodies(attack.seq) {
			t.Run(attack.name+"/"+variant, func(t *testing.T) {
				body := ConvertHTML(in, testBase)
				checkBodySafe(t, body)
				out, err := r.Render(body.Markdown)
				if err != nil {
					t.Fatalf("glamour: %v", err)
				}
				checkOnlySGR(t, "glamour output before SanitizeRendered", out)
				if got := SanitizeRendered(out); got != out {
					t.Errorf("SanitizeRendered changed glamour's output:\n got %q\nfrom %q", got, out)
				}
			})
		}
	}
}

func TestConvertHTMLHostileReferences(t *testing.T) {
	r, err := glamour.NewTermRenderer(glamour.WithStandardStyle("dark"), glamour.WithWordWrap(80))
	if err != nil {
		t.Fatalf("glamour: %v", err)
	}
	refs := []string{
		"&#27;", "&#x1b;", "&#X1B;", "&#0027;", "&#000000027;", "&#155;", "&#x9b;", "&#157;", "&#x9D;",
		"&#7;", "&#8;", "&#13;", "&#0;", "&#127;", "&#133;", "&#x202E;", "&#8238;", "&#x200B;", "&#xFEFF;",
		"&#x2066;", "&#1564;", "&#xE0041;", "&#1114112;", "&#xD800;", "&Tab;", "&NewLine;", "&lrm;", "&rlm;",
		"&zwj;", "&zwnj;", "&ZeroWidthSpace;", "&NoBreak;", "&InvisibleTimes;", "&shy;",
		"&#27", "&#x1b", "&#x1B[", "&#4294967323;", "&#x10000001B;", "&#18446744073709551643;", "&#033;",
	}
	for _, ref := range refs {
		for _, in := range []string{
			"<p>a " + ref + "[2J b</p>",
			"<p>a " + strings.ReplaceAll(ref, "&", "&amp;") + "[2J b</p>",
			"<p><code>" + strings.ReplaceAll(ref, "&", "&amp;") + "</code></p>",
			"<pre>" + strings.ReplaceAll(ref, "&", "&amp;") + "</pre>",
			"a " + strings.ReplaceAll(ref, "&", "&amp;") + " b",
		} {
			t.Run(in, func(t *testing.T) {
				body := ConvertHTML(in, testBase)
				checkBodySafe(t, body)
				out, err := r.Render(body.Markdown)
				if err != nil {
					t.Fatalf("glamour: %v", err)
				}
				checkOnlySGR(t, "glamour output", out)
			})
		}
	}
}

func TestConvertHTMLDoubleEncodedStaysVisible(t *testing.T) {
	r, err := glamour.NewTermRenderer(glamour.WithStandardStyle("notty"), glamour.WithWordWrap(200))
	if err != nil {
		t.Fatalf("glamour: %v", err)
	}
	body := ConvertHTML("<p>Escape: &amp;#27;[2J and AT&amp;T &amp; co &lt;b&gt; AT&amp;amp;T &amp;#8217;</p>"+
		"<p><code>x &amp;&amp; y &amp;lt;</code></p><pre>if a &amp;&amp; b { &amp;#27; }</pre>", testBase)
	out, err := r.Render(body.Markdown)
	if err != nil {
		t.Fatalf("glamour: %v", err)
	}
	for _, want := range []string{"&#27;[2J", "AT&T & co <b>", "AT&amp;T", "&#8217;", "x && y &lt;", "if a && b {"} {
		if !strings.Contains(out, want) {
			t.Errorf("rendered text lacks %q:\n%s\nMarkdown: %q", want, out, body.Markdown)
		}
	}
}

// checkBodySafe fails the test when any part of body could carry a control
// to the terminal.
func checkBodySafe(t *testing.T, body Body) {
	t.Helper()
	checkTerminalSafe(t, "Markdown", body.Markdown, "\n\t")
	checkTerminalSafe(t, "Text", body.Text, "\n")
	for i := strings.IndexByte(body.Markdown, '&'); i >= 0; i = nextAmpersand(body.Markdown, i) {
		if ref := referenceAt(body.Markdown[i:]); ref != "" && !isSafeReference(ref) {
			t.Errorf("Markdown holds the reference %q, which decodes to %q", ref, stdhtml.UnescapeString(ref))
		}
	}
	for _, l := range body.Links {
		checkTerminalSafe(t, "link text", l.Text, "")
		if l.Text != CleanText(l.Text) {
			t.Errorf("link text %q is not clean", l.Text)
		}
		if l.URL != "" {
			if checked, err := CheckURL(l.URL); err != nil || checked != l.URL {
				t.Errorf("link URL %q does not pass CheckURL: %q, %v", l.URL, checked, err)
			}
		}
	}
	checkLinkNumbers(t, body)
}

// nextAmpersand returns the index of the next "&" in s after index i, or -1.
func nextAmpersand(s string, i int) int {
	j := strings.IndexByte(s[i+1:], '&')
	if j < 0 {
		return -1
	}
	return i + 1 + j
}
