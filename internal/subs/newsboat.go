package subs

import (
	"bytes"
	"fmt"
	"strings"
)

// parseURLs reads a newsboat urls file: one feed a line, the URL followed
// by tags; a quoted "~Title" tag renames the feed, a "!" tag hides it in
// newsboat (brief ignores it), "#" starts a comment. query:, exec: and
// filter: lines are newsboat features brief does not have: they are
// skipped with their line numbers.
func parseURLs(text []byte) *List {
	b := newBuilder("newsboat urls")
	for i, raw := range bytes.Split(text, []byte("\n")) {
		n := i + 1
		toks := tokenize(string(bytes.TrimRight(raw, "\r")))
		if len(toks) == 0 {
			continue
		}
		if n > MaxOutlines*2 {
			b.list.Problems = append(b.list.Problems, Note{Line: n, Reason: fmt.Sprintf("more than %d lines; brief imports lists of up to %d feeds", MaxOutlines*2, MaxOutlines)})
			return b.list
		}
		u := toks[0]
		if kind, ok := newsboatOnly(u); ok {
			b.skip(n, u, kind)
			continue
		}
		var title string
		var tags []string
		for _, t := range toks[1:] {
			switch {
			case strings.HasPrefix(t, "~"):
				title = t[1:]
			case strings.HasPrefix(t, "!"):
				// hidden in newsboat's list: brief has no such thing
			default:
				tags = append(tags, t)
			}
		}
		b.add(n, u, title, tags)
	}
	return b.list
}

// newsboatOnly recognises the urls-file lines that are newsboat features
// rather than feeds, and says what they are.
func newsboatOnly(u string) (string, bool) {
	switch lower := strings.ToLower(u); {
	case strings.HasPrefix(lower, "query:"):
		return "a newsboat query feed (a filter over other feeds); brief has no query feeds", true
	case strings.HasPrefix(lower, "exec:"):
		return "an exec: feed (newsboat runs a command to make it); brief only fetches http(s) feeds", true
	case strings.HasPrefix(lower, "filter:"):
		return "a filter: feed (newsboat pipes it through a command); brief only fetches http(s) feeds", true
	}
	return "", false
}

// tokenize splits a urls-file line the way newsboat does: on white space,
// with "double quotes" (and \" and \\ inside them) holding a token
// together; a # at the start of a token begins a comment.
func tokenize(s string) []string {
	var (
		out []string
		cur strings.Builder
		in  bool // a token is being collected
		q   bool // inside quotes
	)
	flush := func() {
		if in {
			out = append(out, cur.String())
		}
		cur.Reset()
		in = false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case q && c == '\\' && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
		case q && c == '"':
			q = false
		case q:
			cur.WriteByte(c)
		case c == '"':
			q, in = true, true
		case c == ' ' || c == '\t':
			flush()
		case c == '#' && !in:
			flush()
			return out
		default:
			cur.WriteByte(c)
			in = true
		}
	}
	flush()
	return out
}
