package ui

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"github.com/brief-reader/brief/feed"
)

// relTime is a short age: "now", "3m", "2h", "5d", "Jan 02", or the year.
func relTime(t, now time.Time) string {
	if t.IsZero() {
		return ""
	}
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "now"
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d/time.Minute))
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh", int(d/time.Hour))
	case d < 7*24*time.Hour:
		return fmt.Sprintf("%dd", int(d/(24*time.Hour)))
	case t.Year() == now.Year() || d < 300*24*time.Hour:
		return t.Local().Format("Jan 02")
	}
	return t.Local().Format("2006")
}

// ago is a longer relative time for the errors view.
func ago(t, now time.Time) string {
	if t.IsZero() {
		return "never"
	}
	r := relTime(t, now)
	if strings.HasSuffix(r, "m") || strings.HasSuffix(r, "h") || strings.HasSuffix(r, "d") {
		return r + " ago"
	}
	return r
}

// thousands formats n as 100,000.
func thousands(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// fill makes lines exactly w cells wide and h lines high.
func fill(lines []string, w, h int) string {
	if h <= 0 {
		return ""
	}
	out := make([]string, h)
	for i := range out {
		var l string
		if i < len(lines) {
			l = lines[i]
		}
		out[i] = pad(l, w)
	}
	return strings.Join(out, "\n")
}

// pad truncates or pads a styled line to exactly w cells.
func pad(l string, w int) string {
	lw := ansi.StringWidth(l)
	if lw > w {
		return ansi.Truncate(l, w, "")
	}
	return l + strings.Repeat(" ", w-lw)
}

// hostPath is a URL shortened for the status line: host and path, through
// the one display path for URLs (feed.DisplayHostPath).
func hostPath(raw string) string {
	return feed.DisplayHostPath(raw)
}

// truncateMiddle cuts s to w cells by taking out its middle ("Gen…ed 1"),
// keeping a little more of the end, where names that start alike differ.
func truncateMiddle(s string, w int) string {
	return feed.ElideMiddle(s, w)
}

// capitalize puts the first letter of s in upper case.
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%s %s", thousands(n), many)
}

// sprintf is fmt.Sprintf, but a format without arguments is taken as is.
func sprintf(format string, args ...any) string {
	if len(args) == 0 {
		return format
	}
	return fmt.Sprintf(format, args...)
}
