package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/brief-reader/brief/internal/query"
	"github.com/brief-reader/brief/store"
	"github.com/brief-reader/brief/ui"
)

// ViewConf is one [[view]] of the dotfile: a saved query listed in the chooser.
type ViewConf struct {
	Name  string `toml:"name"`
	Query string `toml:"query"`

	parsed    query.Node // set by checkViews
	line, col int        // where the query's value starts in the dotfile (0: unknown)
}

// checkViews checks every [[view]]: a name, given once, and a query of the
// query language; a malformed query is reported at its own line and column
// in the dotfile (the column inside the quoted value, for a query without
// escapes).
func (c *Config) checkViews(data []byte) configErrors {
	var p configErrors
	headers := blockHeaderLines(data, "view")
	at := func(n int, key string, qcol int, format string, args ...any) {
		e := &configError{path: c.path, msg: fmt.Sprintf(format, args...)}
		if n <= len(headers) {
			e.line, e.col = headers[n-1], keyCol(data, headers[n-1])
		}
		if l, col := blockValue(data, headers, n-1, key); l > 0 {
			e.line, e.col = l, col+qcol // qcol: a column of the query, past the opening quote
		}
		p = append(p, e)
	}
	seen := map[string]int{}
	for i := range c.Views {
		v := &c.Views[i]
		n := i + 1
		v.line, v.col = blockValue(data, headers, i, "query")
		v.Name = strings.TrimSpace(v.Name)
		switch prev, dup := seen[strings.ToLower(v.Name)]; {
		case v.Name == "":
			at(n, "name", 0, "view #%d: no name (each [[view]] needs name = \"…\" and query = \"…\")", n)
		case dup:
			at(n, "name", 0, "view #%d: the name %q is already view #%d's", n, v.Name, prev)
		default:
			seen[strings.ToLower(v.Name)] = n
		}
		label := fmt.Sprintf("view #%d", n)
		if v.Name != "" {
			label = fmt.Sprintf("view %q", v.Name)
		}
		node, err := query.Parse(v.Query, time.Local)
		var qe *query.Error
		switch {
		case errors.As(err, &qe):
			at(n, "query", qe.Col, "%s: query: %s", label, qe.Msg)
		case err != nil:
			at(n, "query", 0, "%s: query: %v", label, err)
		case node == nil:
			at(n, "query", 0, "%s: no query (e.g. query = \"tag:world is:unread\")", label)
		default:
			v.parsed = node
		}
	}
	return p
}

// blockHeaderLines returns the line numbers of the [[name]] headers, in order.
func blockHeaderLines(data []byte, name string) []int {
	var lines []int
	for i, line := range strings.Split(string(data), "\n") {
		t := strings.ReplaceAll(strings.TrimSpace(line), " ", "")
		if strings.HasPrefix(t, "[["+name+"]]") {
			lines = append(lines, i+1)
		}
	}
	return lines
}

// compileViews compiles the dotfile's views for the store. A query the
// cache cannot answer (account: without accounts) is a dotfile error at its
// line and column.
func compileViews(ctx context.Context, st *store.Store, c Config) ([]ui.SavedView, error) {
	views := make([]ui.SavedView, 0, len(c.Views))
	var problems configErrors
	for _, v := range c.Views {
		q, problem, err := compileAt(ctx, st, c.path, v.parsed, v.line, v.col, fmt.Sprintf("view %q: query", v.Name))
		if err != nil {
			return nil, err
		}
		if problem != nil {
			problems = append(problems, problem)
			continue
		}
		views = append(views, ui.SavedView{Name: v.Name, Query: q})
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return views, nil
}
