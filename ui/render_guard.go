package ui

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/mattn/go-runewidth"
)

// This file prepares an article's Markdown for glamour and reads the link
// markers back out of its output. glamour (through goldmark and reflow) is
// super-linear on some shapes of text: reflow measures the word it is
// building once per character (quadratic in the length of a word), goldmark
// tries every "[" as the start of a link, and each level of a quote re-wraps
// every line inside it. guardMarkdown reshapes the input so that none of
// those costs can grow, in one linear pass:
//
//   - words longer than a line are broken into pieces that fit, so that they
//     wrap instead of being cut at the pane's edge (nothing is lost), and
//     code lines longer than a line are split;
//   - every "[" becomes an inert stand-in, put back after rendering;
//   - a link's "[N]" marker becomes a sentinel that glamour cannot split or
//     confuse with text, so markers are found by link identity: a "[1]"
//     written in the article, or inside code, is never taken for link 1;
//   - quotes nested deeper than maxQuoteDepth are flattened;
//   - more than maxMarks combining marks on one character are dropped.
//
// The stand-ins are Unicode noncharacters that ConvertHTML removes from
// every input, so a feed cannot forge one; any already in the Markdown is
// dropped.
const (
	sentBracket = '\uFDE0' // a "[" of the text or of code
	sentOpen    = '\uFDE1' // starts link marker N: sentOpen, digits, sentClose
	sentClose   = '\uFDE2'
	sentTilde   = '\uFDE3' // a "~" the Markdown escaped: glamour shows "\~" with its backslash
	sentDigit0  = '\uFDE4' // sentDigit0+d stands for the digit d in a marker

	// maxQuoteDepth is the deepest quote nesting rendered.
	maxQuoteDepth = 8
	// maxMarks is the most combining marks kept on one character.
	maxMarks = 8
)

// isSentinel reports whether r is one of the render stand-ins.
func isSentinel(r rune) bool { return r >= 0xFDE0 && r <= 0xFDEF }

// guardMarkdown returns md reshaped for rendering at wrap cells (see the
// comment at the top of this file); links reports whether N is a link of
// the article, whose first marker outside code becomes a sentinel.
func guardMarkdown(md string, wrap int, links func(n int) bool) string {
	g := guard{wrap: wrap, links: links, placed: map[int]bool{}}
	g.b.Grow(len(md) + len(md)/16)
	for rest := md; ; {
		line, after, more := strings.Cut(rest, "\n")
		g.line(line)
		if !more {
			break
		}
		g.b.WriteByte('\n')
		rest = after
	}
	return g.b.String()
}

type guard struct {
	b      strings.Builder
	wrap   int
	links  func(int) bool
	placed map[int]bool
	fence  string // the open code fence ("```", "~~~~"…), or ""
}

// line writes one line of Markdown.
func (g *guard) line(line string) {
	// The block prefix: quote markers and indentation.
	i, quotes := 0, 0
	var prefix strings.Builder
prefix:
	for ; i < len(line); i++ {
		switch {
		case line[i] == ' ' || line[i] == '\t':
			prefix.WriteByte(line[i])
		case line[i] == '>' && g.fence == "":
			if quotes++; quotes <= maxQuoteDepth {
				prefix.WriteByte('>')
			}
		default:
			break prefix
		}
	}
	g.b.WriteString(prefix.String())
	rest := line[i:]
	// Room for a line of text here: the margins, two cells per quote level
	// and the indentation, and a list marker.
	room := max(8, g.wrap-4-2*min(quotes, maxQuoteDepth)-(i-quotes))
	if g.fence != "" || isFence(rest) {
		g.codeLine(rest, room)
		return
	}
	if len(rest) <= maxParagraphLine || strings.HasPrefix(rest, "|") {
		g.inline(rest, room)
		return
	}
	// A very long paragraph is cut into paragraphs (at spaces), so that
	// renderBlockSize blocks can be cut between them: glamour re-wraps a
	// paragraph once per quote level around it, and a render can only stop
	// or fall back to plain text between blocks.
	blank := "\n" + strings.TrimRight(prefix.String(), " \t") + "\n" + prefix.String()
	for first := true; rest != ""; first = false {
		piece := rest
		if len(piece) > maxParagraphLine {
			cut := strings.LastIndexByte(piece[:maxParagraphLine], ' ')
			if cut <= 0 {
				cut = len(truncateRunes(piece, maxParagraphLine))
			}
			piece = piece[:cut]
		}
		rest = strings.TrimLeft(rest[len(piece):], " ")
		if !first {
			g.b.WriteString(blank)
		}
		g.inline(piece, room)
	}
}

// maxParagraphLine is the longest line of a paragraph rendered as one: a
// longer one is cut into paragraphs of at most this many bytes.
const maxParagraphLine = 4 << 10

// truncateRunes cuts s to at most n bytes at a character boundary (at least
// one character).
func truncateRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	if cut == 0 {
		_, size := utf8.DecodeRuneInString(s)
		return s[:size]
	}
	return s[:cut]
}

// isFence reports whether s opens a fenced code block.
func isFence(s string) bool {
	return strings.HasPrefix(s, "```") || strings.HasPrefix(s, "~~~")
}

// fenceOf returns the fence that s starts with ("```", "~~~~"…).
func fenceOf(s string) string {
	n := 0
	for n < len(s) && s[n] == s[0] {
		n++
	}
	return s[:n]
}

// codeLine writes a line of a fenced code block (or its fence), split into
// lines of at most room cells.
func (g *guard) codeLine(s string, room int) {
	switch {
	case g.fence == "":
		g.fence = fenceOf(s)
		g.b.WriteString(strings.Map(stripSentinel, s))
		return
	case strings.HasPrefix(strings.TrimSpace(s), g.fence):
		g.fence = ""
		g.b.WriteString(strings.Map(stripSentinel, s))
		return
	}
	w := 0
	for _, r := range s {
		if isSentinel(r) {
			continue
		}
		rw := runewidth.RuneWidth(r)
		if w+rw > room {
			g.b.WriteByte('\n')
			w = 0
		}
		if r == '[' {
			r = sentBracket
		}
		g.b.WriteRune(r)
		w += rw
	}
}

func stripSentinel(r rune) rune {
	if isSentinel(r) {
		return -1
	}
	return r
}

// inline writes a line of text: markers to sentinels, "[" to stand-ins,
// words longer than room cells broken.
func (g *guard) inline(s string, room int) {
	spans := codeSpans(s)
	word, marks := 0, 0 // cells of the current word; marks on the last character
	brk := func(w int) {
		if word > 0 && word+w > room {
			g.b.WriteByte(' ')
			word = 0
		}
		word += w
	}
	for i := 0; i < len(s); {
		inCode := len(spans) > 0 && i >= spans[0][0]
		if inCode && i >= spans[0][1] {
			spans = spans[1:]
			inCode = len(spans) > 0 && i >= spans[0][0]
		}
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			g.b.WriteByte(c)
			word, marks = 0, 0
			i++
			continue
		case c == '\\' && !inCode && i+1 < len(s) && s[i+1] == '[':
			brk(1)
			g.b.WriteRune(sentBracket) // "\[": the stand-in needs no escape
			i += 2
			continue
		case c == '\\' && !inCode && i+1 < len(s) && s[i+1] == '~':
			// The whole run of tildes is text: none may start a strikethrough.
			for i < len(s) && (s[i] == '~' || s[i] == '\\' && i+1 < len(s) && s[i+1] == '~') {
				if s[i] == '\\' {
					i++
				}
				brk(1)
				g.b.WriteRune(sentTilde)
				i++
			}
			continue
		case c == '\\' && !inCode && i+1 < len(s) && s[i+1] < utf8.RuneSelf && s[i+1] > ' ':
			brk(1)
			g.b.WriteString(s[i : i+2]) // an escape is one character: never split
			i += 2
			continue
		case c == '[':
			if n, end, ok := g.marker(s, i, inCode); ok {
				brk(end - i)
				g.b.WriteRune(sentOpen)
				for _, d := range strconv.Itoa(n) {
					g.b.WriteRune(sentDigit0 + d - '0')
				}
				g.b.WriteRune(sentClose)
				i = end
				continue
			}
			brk(1)
			g.b.WriteRune(sentBracket)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case isSentinel(r):
			continue
		case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r):
			if marks++; marks > maxMarks {
				continue
			}
			g.b.WriteRune(r) // a mark is part of the character before it
			continue
		}
		marks = 0
		brk(runewidth.RuneWidth(r))
		g.b.WriteRune(r)
	}
}

// marker reports whether s[i:] starts with the marker "[N]" of a link not
// placed yet, outside code; end is the index after "]".
func (g *guard) marker(s string, i int, inCode bool) (n, end int, ok bool) {
	if inCode {
		return 0, 0, false
	}
	j := i + 1
	for j < len(s) && j-i <= 5 && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	if j == i+1 || j >= len(s) || s[j] != ']' {
		return 0, 0, false
	}
	n, err := strconv.Atoi(s[i+1 : j])
	if err != nil || g.placed[n] || !g.links(n) {
		return 0, 0, false
	}
	g.placed[n] = true
	return n, j + 1, true
}

// codeSpans returns the byte ranges [start, end) of the inline code spans of
// a line: a run of backticks up to the next run of the same length. It is
// linear: each run is looked at once, and each run length keeps a pointer to
// its next unused run.
func codeSpans(s string) [][2]int {
	if strings.IndexByte(s, '`') < 0 {
		return nil
	}
	type run struct{ start, n int }
	var runs []run
	for i := 0; i < len(s); {
		if s[i] == '\\' && i+1 < len(s) {
			i += 2
			continue
		}
		if s[i] != '`' {
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] == '`' {
			j++
		}
		runs = append(runs, run{i, j - i})
		i = j
	}
	byLen := map[int][]int{} // run length → indexes into runs, in order
	for k, r := range runs {
		byLen[r.n] = append(byLen[r.n], k)
	}
	var spans [][2]int
	used := map[int]int{} // run length → how many of byLen[n] are consumed
	for k := 0; k < len(runs); {
		r := runs[k]
		list := byLen[r.n]
		// skip the entries up to and including this run
		for used[r.n] < len(list) && list[used[r.n]] <= k {
			used[r.n]++
		}
		if used[r.n] >= len(list) {
			k++
			continue
		}
		closer := list[used[r.n]]
		used[r.n]++
		spans = append(spans, [2]int{r.start, runs[closer].start + runs[closer].n})
		k = closer + 1
	}
	return spans
}

// readMarkers puts the stand-ins of the rendered, sanitised lines back:
// each marker sentinel becomes "[N]", recorded where it stands, each
// bracket stand-in "[".
func readMarkers(lines []string) map[int]markerPos {
	found := map[int]markerPos{}
	for li, l := range lines {
		if !strings.ContainsFunc(l, isSentinel) {
			continue
		}
		var b strings.Builder
		b.Grow(len(l))
		for i := 0; i < len(l); {
			r, size := utf8.DecodeRuneInString(l[i:])
			switch {
			case r == sentBracket:
				b.WriteByte('[')
			case r == sentOpen:
				col := ansi.StringWidth(b.String())
				n, j := 0, i+size
				for j < len(l) {
					d, ds := utf8.DecodeRuneInString(l[j:])
					if d < sentDigit0 || d > sentDigit0+9 {
						break
					}
					n = 10*n + int(d-sentDigit0)
					j += ds
				}
				if c, cs := utf8.DecodeRuneInString(l[j:]); c == sentClose {
					text := "[" + strconv.Itoa(n) + "]"
					b.WriteString(text)
					found[n] = markerPos{line: li, col: col, width: len(text)}
					i = j + cs
					continue
				}
				b.WriteByte('[')
			case r >= sentDigit0 && r <= sentDigit0+9:
				b.WriteByte(byte('0' + r - sentDigit0))
			case r == sentClose:
				b.WriteByte(']')
			case r == sentTilde:
				b.WriteByte('~')
			case isSentinel(r):
			default:
				b.WriteString(l[i : i+size])
			}
			i += size
		}
		lines[li] = b.String()
	}
	return found
}

// renderBlockSize is the size of the blocks of Markdown rendered one at a
// time: small enough that a superseded render stops soon and glamour's
// working memory stays small, large enough that glamour's per-call cost
// does not matter.
const renderBlockSize = 16 << 10

// renderBudget is how long an article may take to render before the rest
// of it is shown as plain text.
const renderBudget = 3 * time.Second

// splitBlocks cuts guarded Markdown into pieces of about size bytes at
// blank lines outside code blocks, where a Markdown block always ends, so
// that each piece renders as it would in the whole.
func splitBlocks(md string, size int) []string {
	if len(md) <= size {
		return []string{md}
	}
	var out []string
	fence := ""
	start := 0
	for i := 0; i < len(md); {
		end := strings.IndexByte(md[i:], '\n')
		if end < 0 {
			break
		}
		line := md[i : i+end]
		next := i + end + 1
		t := strings.TrimLeft(line, " >")
		switch {
		case fence != "" && strings.HasPrefix(t, fence):
			fence = ""
		case fence == "" && isFence(t):
			fence = fenceOf(t)
		case fence == "" && t == "" && i-start >= size:
			// A blank line, or a quote's blank line: a quote cut there is
			// two quotes at the same depth, drawn alike.
			if line == "" {
				out = append(out, md[start:i])
			} else {
				out = append(out, md[start:next])
			}
			start = next
		}
		i = next
	}
	return append(out, md[start:])
}

// plainBlock is a block of guarded Markdown as plain text: escapes undone,
// each line wrapped to wrap cells with glamour's margin.
func plainBlock(block string, wrap int) string {
	var b strings.Builder
	for _, line := range strings.Split(block, "\n") {
		var u strings.Builder
		for i := 0; i < len(line); i++ {
			if line[i] == '\\' && i+1 < len(line) && strings.IndexByte("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", line[i+1]) >= 0 {
				i++
			}
			u.WriteByte(line[i])
		}
		for _, l := range strings.Split(ansi.Wordwrap(u.String(), wrap-2, ""), "\n") {
			b.WriteString("  ")
			b.WriteString(l)
			b.WriteByte('\n')
		}
	}
	return b.String()
}
