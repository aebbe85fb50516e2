package feedtest

import (
	"fmt"
	"strconv"
	"strings"
)

// HostileFamilies names the families of hostile article bodies Hostile
// generates: each is a shape that once made a step from feed bytes to screen
// super-linear (issue 12).
var HostileFamilies = []string{
	"brackets",    // runs of "[" (html-to-markdown's escaping)
	"emphasis",    // runs of "*", "_" and backticks
	"blockquotes", // nested, never closed <blockquote>s
	"lists",       // nested, never closed <ul><li>s
	"longword",    // one unbroken word
	"longurl",     // one unbroken URL-shaped word
	"cjk",         // CJK text without spaces
	"combining",   // a letter with a long run of combining marks, repeated
	"hyphens",     // "a-a-a-…"
	"table",       // a table with many rows and cells
	"paragraphs",  // ordinary news paragraphs, with links
	"links",       // a paragraph of many links
}

// Hostile returns an HTML article body of the given family (see
// HostileFamilies) about n bytes long. It panics on an unknown family.
func Hostile(family string, n int) string {
	var b strings.Builder
	b.Grow(n + 64)
	repeat := func(s string) {
		for b.Len() < n {
			b.WriteString(s)
		}
	}
	switch family {
	case "brackets":
		b.WriteString("<p>")
		repeat("[")
	case "emphasis":
		b.WriteString("<p>")
		repeat("*_`a*_`**__``")
	case "blockquotes":
		repeat("<blockquote>q ")
	case "lists":
		repeat("<ul><li>i ")
	case "longword":
		b.WriteString("<p>")
		repeat("Donaudampfschifffahrtsgesellschaftskapitän")
	case "longurl":
		b.WriteString("<p>https://example.com/")
		repeat("nicely/in/the/terminal/index.html")
	case "cjk":
		b.WriteString("<p>")
		repeat("新闻报道中国经济增长速度放缓东京大阪")
	case "combining":
		b.WriteString("<p>")
		repeat("e" + strings.Repeat("\u0301", 50))
	case "hyphens":
		b.WriteString("<p>")
		repeat("a-")
	case "table":
		b.WriteString("<table>")
		for row := 0; b.Len() < n; row++ {
			b.WriteString("<tr>")
			for c := 0; c < 8; c++ {
				b.WriteString("<td>r" + strconv.Itoa(row) + "c" + strconv.Itoa(c) + "</td>")
			}
			b.WriteString("</tr>")
		}
		b.WriteString("</table>")
	case "paragraphs":
		for i := 0; b.Len() < n; i++ {
			b.WriteString("<p>The ministry said on Thursday that talks would resume next week, according to <a href=\"https://news.example/a/")
			b.WriteString(strconv.Itoa(i))
			b.WriteString("\">a statement</a> published by officials. Markets were calm and analysts expected little change.</p>\n")
		}
	case "links":
		b.WriteString("<p>")
		for i := 0; b.Len() < n; i++ {
			b.WriteString("<a href=\"https://news.example/l/" + strconv.Itoa(i) + "\">l" + strconv.Itoa(i) + "</a> ")
		}
	default:
		panic("feedtest: unknown hostile family " + family)
	}
	return b.String()
}

// HostileURLs are URLs with each class of character that must not reach the
// screen as it is (issue 12 items 1 and 2), by class.
var HostileURLs = map[string]string{
	"C1 CSI in host":      "http://x%C2%9B31mREDPWN.invalid/",
	"OSC in host":         "http://x%C2%9D0;PWNTITLE%C2%9C.invalid/",
	"ESC in path":         "http://news.example/a%1B[2Jb",
	"raw ESC":             "http://news.example/a\x1b[2Jb",
	"raw C1":              "http://news.example/a\u009b2Jb",
	"RLO encoded":         "http://a%E2%80%AEgnp.exe.invalid/",
	"RLO raw in path":     "http://news.example/a\u202egnp.exe",
	"RLO raw in host":     "http://a\u202egnp.exe.invalid/",
	"isolate":             "http://news.example/\u2066x\u2069",
	"zero width":          "http://news.exa\u200bmple/",
	"BOM":                 "http://news.example/\ufeffa",
	"line separator":      "http://news.example/a\u2028b",
	"paragraph sep":       "http://news.example/a\u2029b",
	"tag characters":      "http://news.example/\U000E0001\U000E0041",
	"non-ASCII host":      "http://bаnk.example/login", // Cyrillic а
	"invalid UTF-8":       "http://news.example/\xff\xfe",
	"newline":             "http://news.example/a\nb",
	"not a URL":           "\x1b]0;title\x07 \u202e",
	"noncharacter":        "http://news.example/\ufdd0",
	"private use":         "http://news.example/\ue000",
	"ideographic space":   "http://news.example/a\u3000b",
	"encoded tag in host": "http://x%F3%A0%80%81.invalid/",
}

// HostileSizes are the sizes the hostile benchmarks run at: growth from the
// second to the third shows whether a step is linear.
var HostileSizes = []int{10_000, 100_000, 1_000_000}

// HostileFeed is an RSS feed of one item whose body is Hostile(family, n).
func HostileFeed(base, family string, n int) []byte {
	return RSS("Hostile "+family, base, []Item{{
		GUID: family, Title: "Hostile " + family, Link: base + "/" + family,
		Description: Hostile(family, n),
	}})
}

// HostileCapFeed is an RSS feed of hostile articles of one family that fills
// the 16 MiB feed cap: as many articles of up to 2 MiB (the article cap) as
// fit, escaped, in 15.5 MiB.
func HostileCapFeed(base, family string) []byte {
	const room = 31 << 19 // 15.5 MiB
	n := 2 << 20
	one := len(HostileFeed(base, family, n))
	if one > room {
		n = n * (room - 1024) / one
		one = len(HostileFeed(base, family, n))
	}
	count := max(1, min(7, room/one))
	body := Hostile(family, n)
	items := make([]Item, count)
	for i := range items {
		items[i] = Item{GUID: fmt.Sprint(i), Title: fmt.Sprintf("Hostile %s %d", family, i),
			Link: fmt.Sprintf("%s/h/%d", base, i), Description: body}
	}
	return RSS("Hostile "+family, base, items)
}
