package ui

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/charmbracelet/glamour"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/store"
)

// renderInput is everything an article render needs, captured by value so the
// render can run in a tea.Cmd.
type renderInput struct {
	article    store.Article
	targets    map[int]store.LinkTarget
	linksKnown bool           // targets were read (else title-only links are still being looked up)
	failed     map[int]string // links that failed this session, by N: why
	backlinks  int
	width      int
	style      string // glamour style name or JSON file
	styles     Styles
	hyperlinks bool
	budget     time.Duration // how long the body may take before the rest is plain text; 0: renderBudget
}

// renderKey identifies a render: the article, the width, the theme and the
// state of its link targets and backlinks (which change what is drawn).
type renderKey struct {
	id    int64
	width int
	style string
	meta  string
}

func (in renderInput) key() renderKey {
	ns := make([]int, 0, len(in.targets))
	for n := range in.targets {
		ns = append(ns, n)
	}
	slices.Sort(ns)
	var b strings.Builder
	for _, n := range ns {
		fmt.Fprintf(&b, "%d:%d:%t,", n, in.targets[n].ID, in.targets[n].CrossSite)
	}
	fails := slices.Sorted(maps.Keys(in.failed))
	b.WriteByte('|')
	for _, n := range fails {
		fmt.Fprintf(&b, "%d:%s,", n, in.failed[n])
	}
	fmt.Fprintf(&b, "|%d|%t|%t", in.backlinks, in.article.Starred, in.linksKnown)
	return renderKey{id: in.article.ID, width: in.width, style: in.style, meta: b.String()}
}

// markerPos is where a link's "[N]" marker stands in the rendered lines, in
// cells.
type markerPos struct {
	line, col, width int
}

// renderedDoc is an article rendered for one width: the sanitised lines, where
// each link's marker is, and the lines decorated with link styles and OSC 8
// hyperlinks (nothing selected).
type renderedDoc struct {
	key     renderKey
	base    []string          // sanitised lines, no link decoration
	lines   []string          // decorated, no selection
	markers map[int]markerPos // link N → its marker (the one selection highlights)
	extra   []markerN         // other markers decorated but not selectable (the "Read also" block)
	byLine  map[int][]markerN // line → markers on it
	links   map[int]feed.Link
	err     error // glamour failed: the body is the plain Markdown
	styles  Styles
	hyper   bool
}

type markerN struct {
	n   int
	pos markerPos
}

// renderArticle renders the header, the glamour body (sanitised) and the "Read
// also" block, finds every link marker and decorates them.
func renderArticle(in renderInput) *renderedDoc {
	d, _ := renderArticleCtx(context.Background(), in)
	return d
}

// renderArticleCtx is renderArticle, stopped with ctx's error when ctx ends
// (a newer render superseded it), with the body past renderBudget shown as
// plain text.
func renderArticleCtx(ctx context.Context, in renderInput) (*renderedDoc, error) {
	doc := &renderedDoc{key: in.key(), links: map[int]feed.Link{}, styles: in.styles, hyper: in.hyperlinks}
	for _, l := range in.article.Links {
		doc.links[l.N] = l
	}
	header := renderHeader(in)
	body, found, err := renderBodyMarked(ctx, in.article.Markdown, in.width, in.style, func(n int) bool {
		_, ok := doc.links[n]
		return ok
	}, cmp.Or(in.budget, renderBudget))
	if cerr := ctx.Err(); cerr != nil {
		return nil, cerr
	}
	doc.err = err
	block, blockMarkers := renderReadAlso(in)

	doc.base = make([]string, 0, len(header)+len(body)+len(block))
	doc.base = append(doc.base, header...)
	bodyStart := len(doc.base)
	doc.base = append(doc.base, body...)
	blockStart := len(doc.base)
	doc.base = append(doc.base, block...)

	doc.locate(bodyStart, found, blockStart, blockMarkers)
	doc.lines = make([]string, len(doc.base))
	copy(doc.lines, doc.base)
	for line := range doc.byLine {
		doc.lines[line] = doc.decorate(line, 0)
	}
	return doc, nil
}

// renderBody renders md with glamour for width cells (see renderBodyMarked),
// for an article without links.
func renderBody(md string, width int, style string) ([]string, error) {
	lines, _, err := renderBodyMarked(context.Background(), md, width, style, func(int) bool { return false }, renderBudget)
	return lines, err
}

// renderBodyMarked renders md with glamour for width cells: guarded (see
// guardMarkdown), sanitised, and with the "[N]" marker of each link (links
// reports which N are links) found where glamour put it, in body lines.
// It renders block by block (renderBlockSize), checking ctx between blocks
// (a superseded render stops there, with ctx's error); blocks left when
// budget has passed are shown as plain text, wrapped, with a note, so a
// slow article is readable at once instead of "Loading…".
func renderBodyMarked(ctx context.Context, md string, width int, style string, links func(int) bool, budget time.Duration) ([]string, map[int]markerPos, error) {
	start := time.Now()
	wrap := max(20, width-2)
	md = guardMarkdown(md, wrap, links)
	r, err := glamour.NewTermRenderer(glamourStyle(style), glamour.WithWordWrap(wrap))
	if err != nil {
		// Show the Markdown itself rather than nothing.
		err = fmt.Errorf("rendering with style %q: %w", style, err)
	}
	var b strings.Builder
	plainFrom := -1
	for i, block := range splitBlocks(md, renderBlockSize) {
		if cerr := ctx.Err(); cerr != nil {
			return nil, nil, cerr
		}
		if err == nil && plainFrom < 0 && i > 0 && time.Since(start) > budget {
			plainFrom = i
			b.WriteString("\n  (the rest of this article is shown as plain text: it took too long to render)\n")
		}
		var out string
		if err == nil && plainFrom < 0 {
			var rerr error
			out, rerr = r.Render(protectHyphens(block))
			if rerr != nil {
				err = fmt.Errorf("rendering with style %q: %w", style, rerr)
			}
			out = strings.ReplaceAll(out, "\u2011", "-")
		}
		if err != nil || plainFrom >= 0 {
			out = plainBlock(block, wrap)
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(strings.Trim(out, "\n"))
		b.WriteByte('\n')
	}
	out := feed.SanitizeRendered("\n" + b.String())
	lines := strings.Split(strings.TrimRight(out, "\n "), "\n")
	markers := readMarkers(lines)
	for i, l := range lines {
		if ansi.StringWidth(l) > width {
			lines[i] = ansi.Truncate(l, width, "")
		}
	}
	return lines, markers, err
}

// protectHyphens turns the hyphens inside words into non-breaking hyphens
// (turned back after rendering). Glamour's word wrapper breaks after a
// hyphen without counting it, so a line with "Secretary-General" came out one
// cell too long and was wrapped a second time, leaving a word alone on a line.
func protectHyphens(md string) string {
	if !strings.Contains(md, "-") {
		return md
	}
	rs := []rune(md)
	word := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	for i := 1; i+1 < len(rs); i++ {
		if rs[i] == '-' && word(rs[i-1]) && word(rs[i+1]) {
			rs[i] = '\u2011'
		}
	}
	return string(rs)
}

func renderHeader(in renderInput) []string {
	s, w, a := in.styles, in.width, in.article
	wrap := lipgloss.NewStyle().Width(w)
	var out []string
	add := func(block string) { out = append(out, strings.Split(block, "\n")...) }

	title := feed.CleanText(a.Title)
	if title == "" {
		title = "(untitled)"
	}
	add(wrap.Render(s.Title.Render(title)))
	meta := []string{}
	if ft := feed.CleanText(a.FeedTitle); ft != "" {
		meta = append(meta, ft)
	} else if a.FeedID == 0 {
		meta = append(meta, "linked page")
	}
	if au := feed.CleanText(a.Author); au != "" {
		if !strings.HasPrefix(strings.ToLower(au), "by ") {
			au = "by " + au
		}
		meta = append(meta, au)
	}
	if !a.Published.IsZero() {
		meta = append(meta, a.Published.Local().Format("Mon 2 Jan 2006 15:04"))
	}
	if a.Starred {
		meta = append(meta, "★ starred")
	}
	if len(meta) > 0 {
		add(wrap.Render(s.Meta.Render(strings.Join(meta, " · "))))
	}
	if u := feed.DisplayURLWidth(a.URL, w); u != "" {
		line := s.URL.Render(u)
		if checked, err := feed.CheckURL(a.URL); err == nil && in.hyperlinks {
			line = ansi.SetHyperlink(checked) + line + ansi.ResetHyperlink()
		}
		out = append(out, line)
	}
	if len(a.AlsoIn) > 0 {
		also := make([]string, len(a.AlsoIn))
		for i, t := range a.AlsoIn {
			also[i] = feed.CleanText(t)
		}
		out = append(out, s.Meta.Render(ansi.Truncate("also in: "+strings.Join(also, ", "), w, "…")))
	}
	if in.backlinks > 0 {
		noun := "articles"
		if in.backlinks == 1 {
			noun = "article"
		}
		out = append(out, s.Backlinks.Render(ansi.Truncate(fmt.Sprintf("Linked from %d %s · b to pick", in.backlinks, noun), w, "…")))
	}
	out = append(out, s.Rule.Render(strings.Repeat("─", w)))
	return out
}

// renderReadAlso draws the block listing the "Read also" links: the key that
// follows each, its [N], its target's title and whether it is cached; and
// where each entry's [N] stands (line within the block).
func renderReadAlso(in renderInput) ([]string, map[int]markerPos) {
	s, w := in.styles, in.width
	var links []feed.Link
	for _, l := range in.article.Links {
		if l.ReadAlso {
			links = append(links, l)
		}
	}
	if len(links) == 0 {
		return nil, nil
	}
	markers := map[int]markerPos{}
	out := []string{"", s.ReadAlsoTitle.Render("  Read also") + s.Dim.Render("  (1-9 follows)"), ""}
	for i, l := range links {
		// One number per entry: the key that follows it (1-9), else its [N].
		key := fmt.Sprintf("[%d]", l.N)
		if i < 9 {
			key = strconv.Itoa(i + 1)
		}
		title, state, stateStyle := feed.CleanText(l.Text), "will fetch", s.WillFetch
		switch t, ok := in.targets[l.N]; {
		case ok:
			if tt := feed.CleanText(t.Title); tt != "" {
				title = tt
			}
			state, stateStyle = "cached", s.Cached
			if t.CrossSite {
				state = "cached · other site"
			}
		case in.failed[l.N] != "":
			state, stateStyle = ansi.Truncate("failed: "+feed.CleanText(in.failed[l.N]), 28, "…"), s.ErrorText
		case l.URL == "" && !in.linksKnown:
			state = "…"
		case l.URL == "":
			state = "waiting" // not in the cache yet: a refresh that brings it makes it "cached"
		}
		if title == "" {
			title = feed.DisplayURL(l.URL)
		}
		prefix := fmt.Sprintf("  %s  ", key)
		sw := ansi.StringWidth(state)
		room := w - ansi.StringWidth(prefix) - sw - 2
		if room < 8 {
			room = 8
		}
		title = ansi.Truncate(title, room, "…")
		pad := max(1, w-ansi.StringWidth(prefix)-ansi.StringWidth(title)-sw)
		line := prefix + title + strings.Repeat(" ", pad) + stateStyle.Render(state)
		out = append(out, ansi.Truncate(line, w, ""))
	}
	return out, markers
}

// locate records each link's "[N]" marker: in the body where the render
// found its sentinel (body, lines counted from bodyStart); a "Read also"
// link without a marker in the body falls back to its entry in the "Read
// also" block (block, from blockStart), where the others are decorated but
// not selectable.
func (d *renderedDoc) locate(bodyStart int, body map[int]markerPos, blockStart int, block map[int]markerPos) {
	d.markers = map[int]markerPos{}
	d.byLine = map[int][]markerN{}
	for n, p := range body {
		if _, ok := d.links[n]; ok {
			p.line += bodyStart
			d.markers[n] = p
		}
	}
	for _, n := range slices.Sorted(maps.Keys(block)) {
		p := block[n]
		p.line += blockStart
		if _, ok := d.markers[n]; !ok {
			d.markers[n] = p
		} else {
			d.extra = append(d.extra, markerN{n, p})
		}
	}
	for n, p := range d.markers {
		d.byLine[p.line] = append(d.byLine[p.line], markerN{n, p})
	}
	for _, e := range d.extra {
		d.byLine[e.pos.line] = append(d.byLine[e.pos.line], e)
	}
	for line := range d.byLine {
		slices.SortFunc(d.byLine[line], func(a, b markerN) int { return b.pos.col - a.pos.col })
	}
}

// decorate returns line of the document with its markers styled, the marker
// of link selected (0: none) highlighted.
func (d *renderedDoc) decorate(line, selected int) string {
	out := d.base[line]
	for _, m := range d.byLine[line] { // right to left, so columns stay valid
		l, ok := d.links[m.n]
		if !ok {
			continue
		}
		st := d.styles.LinkMarker
		if l.ReadAlso {
			st = d.styles.ReadAlsoMarker
		}
		if m.n == selected && d.markers[m.n] == m.pos {
			st = d.styles.SelectedMarker
		}
		text := st.Render(fmt.Sprintf("[%d]", m.n))
		if d.hyper && l.URL != "" {
			if u, err := feed.CheckURL(l.URL); err == nil {
				text = ansi.SetHyperlink(u) + text + ansi.ResetHyperlink()
			}
		}
		out = splice(out, m.pos.col, m.pos.width, text)
	}
	return out
}

// splice replaces the cells [col, col+width) of a styled line with repl.
// The escape sequences before the range stay before it; after repl (which may
// end with a reset) the SGR state of the line at the end of the range is
// restored, so the rest of the line looks as it did.
func splice(line string, col, width int, repl string) string {
	var b, sgr strings.Builder
	b.Grow(len(line) + len(repl))
	state, cell, started, inserted := ansi.NormalState, 0, false, false
	for len(line) > 0 {
		seq, w, n, next := ansi.DecodeSequence(line, state, nil)
		state, line = next, line[n:]
		if cell >= col+width && !inserted {
			b.WriteString(repl)
			b.WriteString(sgr.String())
			inserted = true
		}
		if w == 0 && isSGR(seq) {
			if seq == "\x1b[0m" || seq == "\x1b[m" {
				sgr.Reset()
			}
			sgr.WriteString(seq)
		}
		switch {
		case cell < col || (w == 0 && cell == col && !started):
			b.WriteString(seq)
		case cell < col+width:
			started = true
		default:
			b.WriteString(seq)
		}
		cell += w
	}
	if !inserted {
		b.WriteString(repl)
	}
	return b.String()
}

func isSGR(seq string) bool {
	return len(seq) >= 3 && seq[0] == 0x1b && seq[1] == '[' && seq[len(seq)-1] == 'm'
}

// withSelection returns the document's lines with link n's marker highlighted.
func (d *renderedDoc) withSelection(n int) []string {
	p, ok := d.markers[n]
	if !ok {
		return d.lines
	}
	lines := slices.Clone(d.lines)
	lines[p.line] = d.decorate(p.line, n)
	return lines
}
