package query

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestParseValid(t *testing.T) {
	tests := []struct {
		in   string
		want string // the tree written back
	}{
		{"ukraine", "ukraine"},
		{"  ukraine   grain  ", "ukraine grain"},
		{`"grain deal"`, `"grain deal"`},
		{`ukraine "grain deal" is:unread`, `ukraine "grain deal" is:unread`},
		{"title:sponsored", "title:sponsored"},
		{`title:"sponsored content"`, `title:"sponsored content"`},
		{"TITLE:Sponsored", "title:Sponsored"},
		{"author:smith feed:guardian tag:world account:home", "author:smith feed:guardian tag:world account:home"},
		{`feed:"BBC News"`, `feed:"BBC News"`},
		{"is:unread is:READ is:starred has:readalso", "is:unread is:read is:starred has:readalso"},
		{"age<7d age>12h age<2w", "age<1w age>12h age<2w"},
		{"after:2026-01-01 before:2026-02-01", "after:2026-01-01 before:2026-02-01"},
		{"-sport", "-sport"},
		{"-title:sponsored", "-title:sponsored"},
		{`-"hot take"`, `-"hot take"`},
		{"a OR b", "a OR b"},
		{"a b OR c", "(a b) OR c"},
		{"a (b OR c)", "a (b OR c)"},
		{"a AND b", "a b"},
		{"-(a OR b) c", "-(a OR b) c"},
		{"((a))", "a"},
		{"(a OR b) OR c", "(a OR b) OR c"},
		{"or and", "or and"}, // lower case: plain words
		{"e-mail c++", "e-mail c++"},
		{"10:30", `"10:30"`},     // not a field: the prefix is not letters
		{"tag:x:y", `tag:"x:y"`}, // the value keeps its colon
		{"Київ", "Київ"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			n, err := Parse(tt.in, nil)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if got := n.String(); got != tt.want {
				t.Errorf("Parse(%q) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseBlank(t *testing.T) {
	for _, in := range []string{"", "   ", "\t\n"} {
		n, err := Parse(in, nil)
		if n != nil || err != nil {
			t.Errorf("Parse(%q) = %v, %v; want nil, nil", in, n, err)
		}
	}
}

func TestParseNodes(t *testing.T) {
	loc := time.FixedZone("X", 3*3600)
	n, err := Parse(`title:"a b" age>30d before:2026-03-04 -is:read`, loc)
	if err != nil {
		t.Fatal(err)
	}
	and, ok := n.(*And)
	if !ok || len(and.X) != 4 {
		t.Fatalf("got %#v, want an And of 4", n)
	}
	if x, ok := and.X[0].(*Text); !ok || x.Field != Title || x.Value != "a b" || !x.Phrase || x.Col() != 1 {
		t.Errorf("X[0] = %#v", and.X[0])
	}
	if x, ok := and.X[1].(*Age); !ok || x.Newer || x.D != 30*24*time.Hour || x.Col() != 13 {
		t.Errorf("X[1] = %#v", and.X[1])
	}
	want := time.Date(2026, 3, 4, 0, 0, 0, 0, loc)
	if x, ok := and.X[2].(*Date); !ok || !x.Before || !x.Day.Equal(want) || x.Col() != 21 {
		t.Errorf("X[2] = %#v, want before %v", and.X[2], want)
	}
	if x, ok := and.X[3].(*Not); !ok || x.Col() != 39 {
		t.Errorf("X[3] = %#v", and.X[3])
	} else if f, ok := x.X.(*Flag); !ok || f.Name != Read {
		t.Errorf("X[3].X = %#v", x.X)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in   string
		col  int
		want string // part of the message
	}{
		{`ukraine "grain deal`, 9, "never closed"},
		{"(a OR b", 1, `"(" is never closed`},
		{"a OR b)", 7, `")" without`},
		{")", 1, `")" without`},
		{"a ()", 4, "nothing between"},
		{"OR a", 1, "OR needs a term"},
		{"a OR", 3, "OR needs a term"},
		{"a OR OR b", 3, "OR needs a term"},
		{"a AND", 3, "AND needs"},
		{"AND a", 1, "AND needs"},
		{"a - b", 3, `"-" must come right before`},
		{"a -", 3, `"-" must come right before`},
		{"--a", 2, `"-" twice`},
		{"title:", 7, "title: needs a value"},
		{`title:""`, 7, "title: needs a value"},
		{`title:"!!"`, 7, "nothing to search for"},
		{"is:new", 4, "is: takes unread, read or starred"},
		{"has:pictures", 5, "has: takes readalso"},
		{"after:2026-13-01", 7, "YYYY-MM-DD"},
		{"before:yesterday", 8, "YYYY-MM-DD"},
		{"age<7", 5, "age needs a number"},
		{"age>7y", 5, "age needs a number"},
		{"age<d", 5, "age needs a number"},
		{"age<99999999w", 5, "too long"},
		{"colour:red", 1, `unknown field "colour:"`},
		{"a ??", 3, "nothing to search for"},
		{`""`, 1, "nothing to search for"},
		{"-)", 1, `"-" must come right before`},
		{"Київ bogus:x", 6, `unknown field "bogus:"`}, // columns count runes, not bytes
		{strings.Repeat("(", MaxDepth+1) + "a" + strings.Repeat(")", MaxDepth+1), MaxDepth + 1, "nested too deeply"},
		{strings.Repeat("a ", MaxTerms+1), 2*MaxTerms + 1, "too many terms"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			n, err := Parse(tt.in, nil)
			var qe *Error
			if !errors.As(err, &qe) {
				t.Fatalf("Parse(%q) = %v, %v; want an *Error", tt.in, n, err)
			}
			if qe.Col != tt.col || !strings.Contains(qe.Msg, tt.want) {
				t.Errorf("Parse(%q) error = %q at column %d, want %q at column %d", tt.in, qe.Msg, qe.Col, tt.want, tt.col)
			}
			if !strings.HasPrefix(err.Error(), "column ") {
				t.Errorf("Error() = %q, want it to start with the column", err.Error())
			}
		})
	}
}

// TestParseInjection: text shaped like SQL or FTS5 syntax is only ever a
// value in the tree (the store binds values as parameters).
func TestParseInjection(t *testing.T) {
	tests := []struct {
		in    string
		field string
		value string
	}{
		{`x'; DROP TABLE articles;`, Any, "x';"},
		{`title:"x' OR 1=1 --"`, Title, "x' OR 1=1 --"},
		{`feed:%'--`, Feed, "%'--"},
		{`author:a_b%`, Author, "a_b%"},
		{`"NEAR(a b)"`, Any, "NEAR(a b)"},
		{`"title : x*"`, Any, "title : x*"},
		{`tag:"); DELETE FROM feeds; --"`, Tag, "); DELETE FROM feeds; --"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			n, err := Parse(tt.in, nil)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			var first *Text
			Walk(n, func(n Node) bool {
				if x, ok := n.(*Text); ok && first == nil {
					first = x
				}
				return true
			})
			if first == nil || first.Field != tt.field || first.Value != tt.value {
				t.Errorf("Parse(%q): first term %#v, want %s:%q", tt.in, first, tt.field, tt.value)
			}
		})
	}
}

// FuzzParse: no input panics; an error has a column inside the input (or
// just past its end); a parsed query written back parses to the same tree.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`ukraine "grain deal" is:unread`, "(a OR b) -c", `title:"x" age<7d after:2026-01-01`,
		"a OR", `"`, "-(", "tag:x:y", "age>99999999999999999999w", "Київ -\"ß\"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := Parse(s, nil)
		if err != nil {
			var qe *Error
			if !errors.As(err, &qe) {
				t.Fatalf("Parse(%q): error %v is not an *Error", s, err)
			}
			if qe.Col < 1 || qe.Col > utf8.RuneCountInString(s)+1 {
				t.Fatalf("Parse(%q): column %d outside 1..%d", s, qe.Col, utf8.RuneCountInString(s)+1)
			}
			return
		}
		if n == nil {
			return
		}
		once := n.String()
		m, err := Parse(once, nil)
		if err != nil {
			t.Fatalf("Parse(%q) wrote %q, which does not parse: %v", s, once, err)
		}
		if twice := m.String(); twice != once {
			t.Fatalf("Parse(%q) wrote %q, which reads back as %q", s, once, twice)
		}
	})
}
