package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/internal/query"
	"github.com/brief-reader/brief/store"
)

// searchPage is how many matches brief search reads from the cache at a time.
const searchPage = 500

// searchHit is one match of brief search --json.
type searchHit struct {
	ID      int64     `json:"id"`
	Title   string    `json:"title"`
	Feed    string    `json:"feed"`
	Date    time.Time `json:"date"`
	URL     string    `json:"url"`
	Read    bool      `json:"read"`
	Starred bool      `json:"starred"`
}

// runSearch prints the cached articles matching a query of the query
// language, newest first: one tab-separated line each (title, feed, date,
// URL), or a JSON array with --json. A malformed query is a command line
// mistake, shown with a caret under its column.
func runSearch(ctx context.Context, o options, stdout, stderr io.Writer) int {
	text := strings.Join(o.args, " ")
	n, err := query.Parse(text, time.Local)
	if err == nil && n == nil {
		err = &query.Error{Col: 1, Msg: "the query is empty"}
	}
	if err != nil {
		fmt.Fprintf(stderr, "brief: search: %s", queryProblem(text, err))
		return exitUsage
	}
	_, st, _, err := setup(ctx, o, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "brief: %v\n", err)
		return exitError
	}
	defer closeStore(st, stderr)
	q, err := st.Compile(ctx, n)
	var qe *query.Error
	if errors.As(err, &qe) {
		fmt.Fprintf(stderr, "brief: search: %s", queryProblem(text, err))
		return exitUsage
	}
	if err != nil {
		fmt.Fprintf(stderr, "brief: %v\n", err)
		return exitError
	}
	hits := []searchHit{}
	for off := 0; ; off += searchPage {
		rows, err := st.Articles(ctx, store.Filter{Match: q}, off, searchPage)
		if err != nil {
			fmt.Fprintf(stderr, "brief: %v\n", err)
			return exitError
		}
		for _, r := range rows {
			h := searchHit{ID: r.ID, Title: r.Title, Feed: r.FeedTitle, Date: r.Published, URL: r.URL, Read: r.Read, Starred: r.Starred}
			if o.json {
				hits = append(hits, h)
				continue
			}
			fmt.Fprintln(stdout, h.line())
		}
		if len(rows) < searchPage {
			break
		}
	}
	if o.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(hits); err != nil {
			fmt.Fprintf(stderr, "brief: search: %v\n", err)
			return exitError
		}
	}
	return exitOK
}

// line is the hit as the text output shows it: title, feed, date and URL
// separated by tabs, the URL as displayed (--json keeps it raw).
func (h searchHit) line() string {
	return oneField(h.Title) + "\t" + oneField(h.Feed) + "\t" + h.Date.Local().Format("2006-01-02 15:04") + "\t" + feed.DisplayURL(h.URL)
}

// oneField keeps a value on its line and in its column of tab-separated output.
func oneField(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return ' '
		}
		return r
	}, s)
}

// queryProblem is a malformed query's message, then the query with a caret
// under the column (for a terminal; each line ends with a newline).
func queryProblem(text string, err error) string {
	var qe *query.Error
	if !errors.As(err, &qe) {
		return err.Error() + "\n"
	}
	col := min(max(qe.Col, 1), len([]rune(text))+1)
	return fmt.Sprintf("%s\n  %s\n  %s^\n", qe.Error(), text, strings.Repeat(" ", col-1))
}
