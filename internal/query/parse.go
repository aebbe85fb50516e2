package query

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Limits that keep a query (and the SQL made from it) small: more than this
// is a mistake or an attack, not a filter.
const (
	MaxTerms = 200
	MaxDepth = 20
)

// Error is a malformed query: what is wrong and the 1-based column (in
// runes) where it is.
type Error struct {
	Col int
	Msg string
}

func (e *Error) Error() string { return fmt.Sprintf("column %d: %s", e.Col, e.Msg) }

func errAt(col int, format string, args ...any) *Error {
	return &Error{Col: col, Msg: fmt.Sprintf(format, args...)}
}

type tokKind int

const (
	tEOF tokKind = iota
	tLParen
	tRParen
	tNot
	tOr
	tAnd
	tWord
	tPhrase
)

type token struct {
	kind tokKind
	text string // word or phrase (without quotes); for a field word with a quoted value, the value
	col  int
	// field is the "name:" before a quoted value (title:"a b"), lower-cased; "" otherwise.
	field string
}

// lex splits s into tokens.
func lex(s string) ([]token, error) {
	rs := []rune(s)
	var toks []token
	for i := 0; i < len(rs); {
		r := rs[i]
		col := i + 1
		switch {
		case unicode.IsSpace(r):
			i++
		case r == '(':
			toks = append(toks, token{kind: tLParen, col: col})
			i++
		case r == ')':
			toks = append(toks, token{kind: tRParen, col: col})
			i++
		case r == '"':
			text, next, err := phrase(rs, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{kind: tPhrase, text: text, col: col})
			i = next
		case r == '-':
			if i+1 >= len(rs) || unicode.IsSpace(rs[i+1]) || rs[i+1] == ')' {
				return nil, errAt(col, `"-" must come right before a term, as in -word`)
			}
			toks = append(toks, token{kind: tNot, col: col})
			i++
		default:
			j := i
			for j < len(rs) && !unicode.IsSpace(rs[j]) && rs[j] != '(' && rs[j] != ')' && rs[j] != '"' {
				j++
			}
			w := string(rs[i:j])
			if j < len(rs) && rs[j] == '"' && strings.HasSuffix(w, ":") && isFieldName(w[:len(w)-1]) {
				text, next, err := phrase(rs, j)
				if err != nil {
					return nil, err
				}
				toks = append(toks, token{kind: tPhrase, text: text, col: col, field: strings.ToLower(w[:len(w)-1])})
				i = next
				continue
			}
			switch w {
			case "OR":
				toks = append(toks, token{kind: tOr, col: col})
			case "AND":
				toks = append(toks, token{kind: tAnd, col: col})
			default:
				toks = append(toks, token{kind: tWord, text: w, col: col})
			}
			i = j
		}
	}
	return append(toks, token{kind: tEOF, col: len(rs) + 1}), nil
}

// phrase reads the double-quoted text starting at rs[i] ('"').
func phrase(rs []rune, i int) (text string, next int, err error) {
	for j := i + 1; j < len(rs); j++ {
		if rs[j] == '"' {
			return string(rs[i+1 : j]), j + 1, nil
		}
	}
	return "", 0, errAt(i+1, `this quote is never closed`)
}

// fields are the names that may come before a colon.
var fields = []string{"title", "author", "feed", "tag", "account", "is", "has", "after", "before"}

func isFieldName(s string) bool {
	s = strings.ToLower(s)
	for _, f := range fields {
		if f == s {
			return true
		}
	}
	return false
}

type parser struct {
	toks  []token
	i     int
	depth int
	terms int
	loc   *time.Location
}

// Parse parses a query. Dates (after:, before:) are days in loc (nil: UTC).
// A blank query parses to nil with no error; a malformed one returns an
// *Error with the column of the problem.
func Parse(s string, loc *time.Location) (Node, error) {
	if loc == nil {
		loc = time.UTC
	}
	toks, err := lex(s)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks, loc: loc}
	if p.peek().kind == tEOF {
		return nil, nil
	}
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind == tRParen {
		return nil, errAt(t.col, `")" without a "(" before it`)
	}
	return n, nil
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) next() token { t := p.toks[p.i]; p.i++; return t }

func (p *parser) or() (Node, error) {
	first := p.peek()
	x, err := p.and()
	if err != nil {
		return nil, err
	}
	xs := []Node{x}
	for p.peek().kind == tOr {
		op := p.next()
		if k := p.peek().kind; k == tEOF || k == tRParen || k == tOr {
			return nil, errAt(op.col, "OR needs a term on each side")
		}
		y, err := p.and()
		if err != nil {
			return nil, err
		}
		xs = append(xs, y)
	}
	if len(xs) == 1 {
		return x, nil
	}
	return &Or{X: xs, col: first.col}, nil
}

func (p *parser) and() (Node, error) {
	first := p.peek()
	var xs []Node
	for {
		t := p.peek()
		switch t.kind {
		case tEOF, tRParen, tOr:
			if len(xs) == 0 {
				return nil, p.missing(t)
			}
			if len(xs) == 1 {
				return xs[0], nil
			}
			return &And{X: xs, col: first.col}, nil
		case tAnd:
			p.next()
			if k := p.peek().kind; len(xs) == 0 || k == tEOF || k == tRParen || k == tOr || k == tAnd {
				return nil, errAt(t.col, "AND needs a term on each side")
			}
			continue
		}
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		xs = append(xs, x)
	}
}

// missing explains a term that should have come before t.
func (p *parser) missing(t token) error {
	switch t.kind {
	case tOr:
		return errAt(t.col, "OR needs a term on each side")
	case tRParen:
		if p.depth == 0 {
			return errAt(t.col, `")" without a "(" before it`)
		}
		return errAt(t.col, "nothing between the parentheses")
	}
	return errAt(t.col, "the query ends where a term should be")
}

func (p *parser) unary() (Node, error) {
	t := p.peek()
	if t.kind == tNot {
		p.next()
		if k := p.peek().kind; k == tNot {
			return nil, errAt(p.peek().col, `"-" twice: write the term once, or drop both`)
		}
		x, err := p.primary()
		if err != nil {
			return nil, err
		}
		return &Not{X: x, col: t.col}, nil
	}
	return p.primary()
}

func (p *parser) primary() (Node, error) {
	t := p.next()
	switch t.kind {
	case tLParen:
		if p.depth >= MaxDepth {
			return nil, errAt(t.col, "parentheses nested too deeply (at most %d)", MaxDepth)
		}
		p.depth++
		x, err := p.or()
		if err != nil {
			return nil, err
		}
		p.depth--
		if c := p.next(); c.kind != tRParen {
			return nil, errAt(t.col, `this "(" is never closed`)
		}
		return x, nil
	case tWord, tPhrase:
		p.terms++
		if p.terms > MaxTerms {
			return nil, errAt(t.col, "too many terms (at most %d)", MaxTerms)
		}
		if t.kind == tPhrase {
			return p.phraseTerm(t)
		}
		return p.word(t)
	}
	// tRParen, tOr, tAnd, tEOF right after "-"
	return nil, errAt(t.col, "expected a term here")
}

// phraseTerm is "a phrase" or field:"a phrase".
func (p *parser) phraseTerm(t token) (Node, error) {
	if t.field == "" {
		if !hasWordChars(t.text) {
			return nil, errAt(t.col, "nothing to search for between these quotes: words are letters and digits")
		}
		return &Text{Field: Any, Value: t.text, Phrase: true, col: t.col}, nil
	}
	return p.field(t.field, t.text, true, t.col, t.col+len([]rune(t.field))+1)
}

// word is a bare word, field:value or age<N.
func (p *parser) word(t token) (Node, error) {
	w := t.text
	lw := strings.ToLower(w)
	if strings.HasPrefix(lw, "age<") || strings.HasPrefix(lw, "age>") {
		return age(w, t.col)
	}
	if name, value, ok := strings.Cut(w, ":"); ok && name != "" && isLetters(name) {
		if !isFieldName(name) {
			return nil, errAt(t.col, "unknown field %q (fields: %s; put text with a colon in quotes)",
				name+":", strings.Join(fields, ": ")+":")
		}
		return p.field(strings.ToLower(name), value, false, t.col, t.col+len([]rune(name))+1)
	}
	if !hasWordChars(w) {
		return nil, errAt(t.col, "nothing to search for in %q: words are letters and digits", w)
	}
	return &Text{Field: Any, Value: w, col: t.col}, nil
}

// hasWordChars reports whether s has a letter or digit, which is what the
// full-text index holds.
func hasWordChars(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}

func isLetters(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

// field makes the node of name:value; col is where the term starts and vcol
// where its value does.
func (p *parser) field(name, value string, quoted bool, col, vcol int) (Node, error) {
	if strings.TrimSpace(value) == "" {
		return nil, errAt(vcol, "%s: needs a value, as in %s", name, example(name))
	}
	lv := strings.ToLower(value)
	switch name {
	case "title":
		if !hasWordChars(value) {
			return nil, errAt(vcol, "nothing to search for in %q: words are letters and digits", value)
		}
		return &Text{Field: Title, Value: value, Phrase: quoted, col: col}, nil
	case "author", "feed", "tag", "account":
		return &Text{Field: name, Value: value, Phrase: quoted, col: col}, nil
	case "is":
		switch lv {
		case Unread, Read, Starred:
			return &Flag{Name: lv, col: col}, nil
		}
		return nil, errAt(vcol, "is: takes unread, read or starred, not %q", value)
	case "has":
		if lv == ReadAlso || lv == "read-also" {
			return &Flag{Name: ReadAlso, col: col}, nil
		}
		return nil, errAt(vcol, "has: takes readalso, not %q", value)
	case "after", "before":
		d, err := time.ParseInLocation(time.DateOnly, value, p.loc)
		if err != nil {
			return nil, errAt(vcol, "%s: needs a date as YYYY-MM-DD, not %q", name, value)
		}
		return &Date{Before: name == "before", Day: d, col: col}, nil
	}
	return nil, errAt(col, "unknown field %q", name+":")
}

func example(name string) string {
	switch name {
	case "is":
		return "is:unread"
	case "has":
		return "has:readalso"
	case "after", "before":
		return name + ":2026-01-31"
	}
	return name + `:word or ` + name + `:"two words"`
}

// maxAge bounds age< and age> (about 100 years), so that no duration overflows.
const maxAge = 100 * 365 * 24 * time.Hour

// age parses age<N or age>N with N a number of hours (h), days (d) or weeks (w).
func age(w string, col int) (Node, error) {
	newer := w[3] == '<'
	v := w[4:]
	vcol := col + 4
	bad := errAt(vcol, "age needs a number and a unit (h, d or w), as in age<7d or age>12h")
	if len(v) < 2 {
		return nil, bad
	}
	var unit time.Duration
	switch v[len(v)-1] {
	case 'h', 'H':
		unit = time.Hour
	case 'd', 'D':
		unit = 24 * time.Hour
	case 'w', 'W':
		unit = 7 * 24 * time.Hour
	default:
		return nil, bad
	}
	n, err := strconv.ParseUint(v[:len(v)-1], 10, 32)
	if err != nil {
		return nil, bad
	}
	if time.Duration(n) > maxAge/unit {
		return nil, errAt(vcol, "age is too long (at most 100 years)")
	}
	return &Age{Newer: newer, D: time.Duration(n) * unit, col: col}, nil
}

// Walk calls fn for n and every node below it, depth first, until fn returns false.
func Walk(n Node, fn func(Node) bool) {
	if n == nil || !fn(n) {
		return
	}
	switch x := n.(type) {
	case *And:
		for _, c := range x.X {
			Walk(c, fn)
		}
	case *Or:
		for _, c := range x.X {
			Walk(c, fn)
		}
	case *Not:
		Walk(x.X, fn)
	}
}
