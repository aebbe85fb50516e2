package ui

import (
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/store"
)

// This file draws the list.

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

func (l listPane) View() string {
	s, now := l.styles, l.now()
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
		lines = append(lines, l.render(s, r, i == l.cursor, l.focused, now))
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
func (l listPane) emptyView(s *Styles) []string {
	msg := "No articles."
	switch {
	case searchText(l.filter) != "":
		msg = "Nothing matches the search."
	case l.filter.Unread:
		msg = "No unread articles."
	case l.filter.Starred:
		msg = "No starred articles (s stars one)."
	case l.filter.Ignored:
		msg = "The kill rules hide no article."
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
func (l listPane) render(s *Styles, r store.ArticleRow, cursor, focused bool, now time.Time) string {
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
