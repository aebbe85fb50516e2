package ui

import (
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/store"
)

// listPane is the article list. It never holds more than a window of rows
// around the cursor: the store is paged with offset/limit, and the total
// comes from CountArticles.
type listPane struct {
	filter store.Filter
	total  int
	cursor int // absolute index in the filtered list
	offset int // absolute index of the first visible row

	start int                // absolute index of rows[0]
	rows  []store.ArticleRow // the loaded window
	seq   int                // the latest window request; older replies are dropped
	want  [2]int             // the range the latest request covers
	ready bool               // a first window arrived

	notice string // said in the empty All list (where the starter dotfile is)

	feedW      int  // the feed column's width (0: none), from the rows and the width
	feedMiddle bool // feed names are cut in the middle: their ends would read alike

	width, height int
}

func (l *listPane) SetSize(w, h int) {
	l.width, l.height = w, h
	l.scroll()
	l.fitFeedColumn()
}

// Widths of the list row: the marks, the date, the spaces between.
const (
	rowMarks = 3 // unread, star, space
	rowDate  = 6
)

// fitFeedColumn sizes the feed column for the loaded rows: as wide as the
// longest feed name, up to 22% of the row (the title keeps the rest). When
// names must be cut and cutting their ends would make two of them read
// alike ("Generated…" for "Generated 1" and "Generated 2"), they are cut in
// the middle, which keeps the part that tells them apart.
func (l *listPane) fitFeedColumn() {
	l.feedW, l.feedMiddle = 0, false
	if l.width < 34 {
		return
	}
	longest := 0
	names := map[string]bool{}
	for _, r := range l.rows {
		n := rowFeedName(r)
		names[n] = true
		longest = max(longest, ansi.StringWidth(n))
	}
	l.feedW = min(longest, max(8, l.width*22/100))
	if longest <= l.feedW {
		return
	}
	cut := map[string]bool{}
	for n := range names {
		c := ansi.Truncate(n, l.feedW, "…")
		if cut[c] {
			l.feedMiddle = true
			return
		}
		cut[c] = true
	}
}

// rowFeedName is what the feed column says for r.
func rowFeedName(r store.ArticleRow) string {
	name := feed.CleanText(r.FeedTitle)
	if r.FeedID == 0 && name == "" {
		name = "linked"
	}
	return name
}

// selected is the row under the cursor, when it is loaded.
func (l listPane) selected() (store.ArticleRow, bool) {
	i := l.cursor - l.start
	if i >= 0 && i < len(l.rows) {
		return l.rows[i], true
	}
	return store.ArticleRow{}, false
}

func (l listPane) row(i int) (store.ArticleRow, bool) {
	i -= l.start
	if i >= 0 && i < len(l.rows) {
		return l.rows[i], true
	}
	return store.ArticleRow{}, false
}

// moveTo puts the cursor on index i, clamped.
func (l *listPane) moveTo(i int) {
	l.cursor = max(0, min(i, l.total-1))
	l.scroll()
}

func (l *listPane) scroll() {
	h := max(1, l.height)
	if l.cursor < l.offset {
		l.offset = l.cursor
	}
	if l.cursor >= l.offset+h {
		l.offset = l.cursor - h + 1
	}
	l.offset = max(0, min(l.offset, l.total-h))
}

// request starts a window load around the cursor and returns its bounds,
// or ok=false when the loaded (or requested) window already covers what is
// shown with some margin.
func (l *listPane) request(force bool) (start, limit int, ok bool) {
	if l.total == 0 && !force {
		return 0, 0, false
	}
	lo := max(0, min(l.offset, l.cursor)-windowMargin)
	hi := min(l.total, max(l.offset+l.height, l.cursor+1)+windowMargin)
	covered := func(a, b int) bool { return a <= lo && hi <= b }
	if !force && (covered(l.start, l.start+len(l.rows)) || covered(l.want[0], l.want[1])) {
		return 0, 0, false
	}
	start = max(0, l.cursor-windowSize/2)
	if l.total > 0 {
		start = min(start, max(0, l.total-windowSize))
	}
	l.seq++
	l.want = [2]int{start, start + windowSize}
	return start, windowSize, true
}

// apply takes a loaded window; it returns false for a stale one.
func (l *listPane) apply(msg windowLoadedMsg) bool {
	if msg.seq != l.seq {
		return false
	}
	l.want = [2]int{}
	if msg.err != nil {
		return true
	}
	l.ready = true
	if msg.total >= 0 {
		l.total = msg.total
	}
	l.start, l.rows = msg.start, msg.rows
	if l.total < l.start+len(l.rows) { // the count is older than the rows
		l.total = l.start + len(l.rows)
	}
	if msg.keepID != 0 {
		for i, r := range l.rows {
			if r.ID == msg.keepID {
				l.cursor = l.start + i
				break
			}
		}
	}
	l.moveTo(l.cursor)
	l.fitFeedColumn()
	return true
}

// reset starts over on a new filter.
func (l *listPane) reset(f store.Filter) {
	l.filter = f
	l.cursor, l.offset, l.start, l.rows, l.total = 0, 0, 0, nil, 0
}

// update changes a loaded row in place.
func (l *listPane) update(id int64, fn func(*store.ArticleRow)) {
	for i := range l.rows {
		if l.rows[i].ID == id {
			fn(&l.rows[i])
		}
	}
}

func (l *listPane) clickRow(y int) {
	if i := l.offset + y; i < l.total {
		l.moveTo(i)
	}
}

func (l listPane) View(s Styles, focused bool, now time.Time) string {
	lines := make([]string, 0, l.height)
	if l.ready && l.total == 0 {
		lines = append(lines, l.emptyView(s)...)
	}
	for i := l.offset; i < l.total && len(lines) < l.height; i++ {
		r, ok := l.row(i)
		if !ok {
			lines = append(lines, s.Dim.Render("  …"))
			continue
		}
		lines = append(lines, l.render(s, r, i == l.cursor, focused, now))
	}
	return fill(lines, l.width, l.height)
}

// showsNotice reports whether the list shows the notice: it is the empty
// All list.
func (l listPane) showsNotice() bool {
	return l.notice != "" && l.ready && l.total == 0 && l.filter == (store.Filter{})
}

// emptyView is what an empty list says: why it is empty and what to do. The
// All list with nothing in it is a first start (or feeds that all fail):
// it says where the feeds are listed, when main said so.
func (l listPane) emptyView(s Styles) []string {
	msg := "No articles."
	switch {
	case l.filter.Query != "":
		msg = "Nothing matches the search."
	case l.filter.Unread:
		msg = "No unread articles."
	case l.filter.Starred:
		msg = "No starred articles (s stars one)."
	case l.filter == (store.Filter{}):
		msg = "No articles yet: R refreshes every feed, e shows the ones that fail."
	}
	wrap := lipgloss.NewStyle().Width(max(10, l.width-4))
	out := []string{""}
	for _, line := range strings.Split(wrap.Render(msg), "\n") {
		out = append(out, s.Dim.Render("  "+strings.TrimRight(line, " ")))
	}
	if l.showsNotice() {
		out = append(out, "")
		for _, line := range strings.Split(wrap.Render(capitalize(l.notice)+"."), "\n") {
			out = append(out, s.Status.Render("  "+strings.TrimRight(line, " ")))
		}
	}
	return out
}

// render draws one row: unread mark, star, title, feed, relative date.
func (l listPane) render(s Styles, r store.ArticleRow, cursor, focused bool, now time.Time) string {
	w := l.width
	date := relTime(r.Published, now)
	feedName := rowFeedName(r)
	feedW := l.feedW
	titleW := max(4, w-rowMarks-1-feedW-1-rowDate)
	if feedW == 0 {
		titleW = max(4, w-rowMarks-1-rowDate)
	}
	title := ansi.Truncate(feed.CleanText(r.Title), titleW, "…")
	title += strings.Repeat(" ", max(0, titleW-ansi.StringWidth(title)))
	if l.feedMiddle {
		feedName = truncateMiddle(feedName, feedW)
	} else {
		feedName = ansi.Truncate(feedName, feedW, "…")
	}
	feedName += strings.Repeat(" ", max(0, feedW-ansi.StringWidth(feedName)))
	date = strings.Repeat(" ", max(0, 6-len(date))) + date

	unread, star := " ", " "
	if !r.Read {
		unread = "●"
	}
	if r.Starred {
		star = "★"
	}
	if cursor {
		st := s.SelectedBlur
		if focused {
			st = s.Selected
		}
		parts := unread + star + " " + title + " "
		if feedW > 0 {
			parts += feedName + " "
		}
		return st.Render(ansi.Truncate(parts+date, w, ""))
	}
	titleStyle := s.Read
	if !r.Read {
		titleStyle = s.Unread
	}
	out := s.UnreadMark.Render(unread) + s.StarMark.Render(star) + " " + titleStyle.Render(title) + " "
	if feedW > 0 {
		out += s.Dim.Render(feedName) + " "
	}
	return out + s.Dim.Render(date)
}
