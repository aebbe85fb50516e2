// Package query is brief's one query language, used by the / search, saved
// views, kill rules and brief search: words and "phrases" (full-text),
// title:, author:, feed:, tag:, account:, is:unread|read|starred,
// has:readalso, age<7d, after:/before:YYYY-MM-DD, - for not, OR and
// parentheses. It parses text into a syntax tree whose nodes remember the
// column they came from; turning a tree into SQL is the store's job (it owns
// the schema), always with bound parameters.
package query

import (
	"fmt"
	"strings"
	"time"
	"unicode"
)

// Node is one node of a parsed query.
type Node interface {
	// Col is the 1-based column (in runes) of the text the node came from.
	Col() int
	String() string
}

// And matches what every one of X matches.
type And struct {
	X   []Node
	col int
}

// Or matches what any one of X matches.
type Or struct {
	X   []Node
	col int
}

// Not matches what X does not.
type Not struct {
	X   Node
	col int
}

// Field names of Text.
const (
	Any    = ""      // title and text
	Title  = "title" // title only
	Author = "author"
	Feed   = "feed"
	Tag    = "tag"
	Acct   = "account"
)

// Text matches Value in a field: full-text words (Field Any or Title; a
// Phrase keeps its words together and in order), a substring of the author
// or of the feed's title or URL (Author, Feed), a tag or an account name
// (Tag, Acct; whole, case-insensitive).
type Text struct {
	Field  string
	Value  string
	Phrase bool // written in double quotes
	col    int
}

// Flags of Flag.
const (
	Unread   = "unread"
	Read     = "read"
	Starred  = "starred"
	ReadAlso = "readalso" // has:readalso: the article has a "Read also" link
)

// Flag matches articles with a state (is:unread, is:read, is:starred) or a
// property (has:readalso).
type Flag struct {
	Name string
	col  int
}

// Age matches articles younger (Newer) or older than D: age<7d, age>30d.
type Age struct {
	Newer bool
	D     time.Duration
	col   int
}

// Date matches articles dated on or after the start of Day (after:), or
// before it (before:). Day is midnight in the time zone Parse was given.
type Date struct {
	Before bool
	Day    time.Time
	col    int
}

func (n *And) Col() int  { return n.col }
func (n *Or) Col() int   { return n.col }
func (n *Not) Col() int  { return n.col }
func (n *Text) Col() int { return n.col }
func (n *Flag) Col() int { return n.col }
func (n *Age) Col() int  { return n.col }
func (n *Date) Col() int { return n.col }

// String writes the query back in the language (normalised: explicit
// parentheses around every OR inside an AND).
func (n *And) String() string { return join(n.X, " ") }
func (n *Or) String() string  { return join(n.X, " OR ") }
func (n *Not) String() string { return "-" + group(n.X) }
func (n *Text) String() string {
	v := n.Value
	if n.Phrase || needsQuotes(v) {
		v = `"` + strings.ReplaceAll(v, `"`, "") + `"`
	}
	if n.Field == Any {
		return v
	}
	return n.Field + ":" + v
}
func (n *Flag) String() string {
	if n.Name == ReadAlso {
		return "has:" + n.Name
	}
	return "is:" + n.Name
}
func (n *Age) String() string {
	op := ">"
	if n.Newer {
		op = "<"
	}
	return "age" + op + formatDuration(n.D)
}
func (n *Date) String() string {
	k := "after:"
	if n.Before {
		k = "before:"
	}
	return k + n.Day.Format(time.DateOnly)
}

func join(xs []Node, sep string) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = group(x)
	}
	return strings.Join(parts, sep)
}

// group parenthesises the compound nodes.
func group(n Node) string {
	switch n.(type) {
	case *And, *Or:
		return "(" + n.String() + ")"
	}
	return n.String()
}

// needsQuotes reports whether v, written bare, would not read back as itself.
func needsQuotes(v string) bool {
	lv := strings.ToLower(v)
	return v == "" || v == "OR" || v == "AND" || strings.HasPrefix(v, "-") || strings.ContainsAny(v, "():\"") ||
		strings.IndexFunc(v, unicode.IsSpace) >= 0 || strings.HasPrefix(lv, "age<") || strings.HasPrefix(lv, "age>")
}

func formatDuration(d time.Duration) string {
	switch {
	case d%(7*24*time.Hour) == 0:
		return fmt.Sprintf("%dw", d/(7*24*time.Hour))
	case d%(24*time.Hour) == 0:
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	default:
		return fmt.Sprintf("%dh", d/time.Hour)
	}
}
