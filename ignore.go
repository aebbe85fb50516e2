package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/brief-reader/brief/internal/query"
	"github.com/brief-reader/brief/store"
)

// IgnoreConf is one [[ignore]] of the dotfile: a kill rule for every feed.
type IgnoreConf struct {
	Query string `toml:"query"`
}

// ruleConf is a kill rule of the dotfile, parsed, with where it was written.
type ruleConf struct {
	feedURL   string // "" for [[ignore]]; the feed of a [[feed]]'s ignore
	text      string
	parsed    query.Node
	line, col int // where the query's value starts (0: unknown)
}

// checkIgnores checks the [[ignore]] rules and every [[feed]]'s ignore list,
// and keeps them parsed in c.rules. A malformed query is reported at its line
// and column.
func (c *Config) checkIgnores(data []byte) configErrors {
	var p configErrors
	lines := strings.Split(string(data), "\n")
	add := func(feedURL, text, label string, line, col int) {
		n, err := query.Parse(text, time.Local)
		if err == nil && n == nil {
			err = &query.Error{Col: 1, Msg: "no query (e.g. query = \"title:sponsored\")"}
		}
		var qe *query.Error
		if errors.As(err, &qe) {
			e := &configError{path: c.path, line: line, msg: fmt.Sprintf("%s: %s", label, qe.Msg)}
			if col > 0 {
				e.col = col + qe.Col
			}
			p = append(p, e)
			return
		}
		c.rules = append(c.rules, ruleConf{feedURL: feedURL, text: text, parsed: n, line: line, col: col})
	}
	headers := blockHeaderLines(data, "ignore")
	for i, r := range c.Ignores {
		line, col := blockValue(data, headers, i, "query")
		add("", r.Query, fmt.Sprintf("ignore #%d: query", i+1), line, col)
	}
	feeds := blockHeaderLines(data, "feed")
	for i, f := range c.Feeds {
		line, _ := blockValue(data, feeds, i, "ignore")
		for _, text := range f.Ignore {
			col := 0
			if line > 0 {
				if j := strings.Index(lines[line-1], fmt.Sprintf("%q", text)); j >= 0 {
					col = len([]rune(lines[line-1][:j])) + 1
				}
			}
			add(f.URL, text, fmt.Sprintf("feed #%d: ignore %q", i+1, text), line, col)
		}
	}
	return p
}

// blockValue is where key's value starts inside the n-th (0-based) block
// whose headers are at the given lines: line and column, 0 when not found.
func blockValue(data []byte, headers []int, n int, key string) (line, col int) {
	if n >= len(headers) {
		return 0, 0
	}
	last := len(strings.Split(string(data), "\n"))
	if n+1 < len(headers) {
		last = headers[n+1]
	}
	if l := lineBetween(data, key, headers[n]+1, last); l > 0 {
		return l, valueCol(data, l)
	}
	return 0, 0
}

// killRules compiles the dotfile's kill rules for the store (after
// SyncFeeds, which gives the feeds their ids).
func killRules(ctx context.Context, st *store.Store, c Config) ([]store.IgnoreRule, error) {
	if len(c.rules) == 0 {
		return nil, nil
	}
	feeds, err := st.Feeds(ctx)
	if err != nil {
		return nil, err
	}
	ids := map[string]int64{}
	for _, f := range feeds {
		ids[f.URL] = f.ID
	}
	var out []store.IgnoreRule
	var problems configErrors
	for _, r := range c.rules {
		q, problem, err := compileAt(ctx, st, c.path, r.parsed, r.line, r.col, fmt.Sprintf("ignore %q", r.text))
		if err != nil {
			return nil, err
		}
		if problem != nil {
			problems = append(problems, problem)
			continue
		}
		id := int64(0)
		if r.feedURL != "" {
			if id = ids[strings.TrimSpace(r.feedURL)]; id == 0 {
				continue // a feed without a usable URL: reported by check
			}
		}
		out = append(out, store.IgnoreRule{FeedID: id, Query: q})
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return out, nil
}

// applyKillRules compiles the dotfile's kill rules and applies them to the
// cache (all of it when they changed since the last run).
func applyKillRules(ctx context.Context, st *store.Store, c Config) ([]store.IgnoreRule, error) {
	rules, err := killRules(ctx, st, c)
	if err != nil {
		return nil, err
	}
	last, err := st.MaxArticleID(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := st.ApplyIgnore(ctx, rules, last); err != nil {
		return nil, err
	}
	return rules, nil
}

// compileAt compiles a query of the dotfile written at line, col (where its
// quoted value starts; 0: unknown). A query the cache cannot answer (account:
// without accounts) is a problem at its own column, named by label.
func compileAt(ctx context.Context, st *store.Store, path string, n query.Node, line, col int, label string) (*store.Query, *configError, error) {
	q, err := st.Compile(ctx, n)
	var qe *query.Error
	switch {
	case errors.As(err, &qe):
		e := &configError{path: path, line: line, msg: label + ": " + qe.Msg}
		if col > 0 {
			e.col = col + qe.Col
		}
		return nil, e, nil
	case err != nil:
		return nil, nil, err
	}
	return q, nil, nil
}
