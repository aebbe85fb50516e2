package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/brief-reader/brief/internal/query"
)

// Query is a query of the query language (internal/query) compiled for this
// store: a condition over the articles a of a list, whose values are all
// bound parameters. Put it in Filter.Match. Relative terms (age<7d) are
// measured from the moment each list or count runs, so a Query kept for
// long (a saved view) stays right.
type Query struct {
	text  string // the query written back, for messages
	where string
	args  []any // sinceArg values are resolved when the query runs

	countWhere string // where, made for counting (see Compile)
	countArgs  []any
}

// sinceArg is the argument of an age term: the date d before now.
type sinceArg time.Duration

// String returns the query in the language.
func (q *Query) String() string { return q.text }

// bind returns the arguments of q for a query run at now.
func (q *Query) bind(now time.Time) []any {
	out := make([]any, len(q.args))
	for i, a := range q.args {
		if d, ok := a.(sinceArg); ok {
			a = now.Add(-time.Duration(d)).Unix()
		}
		out[i] = a
	}
	return out
}

// Compile turns a parsed query into a Query for Filter.Match. A term the
// cache cannot answer (account: with no sync accounts) is a *query.Error at
// its column. A nil n is an error: a blank query selects nothing to compile.
//
// Compile picks, for each full-text term, how a list page finds its
// matches, from how many articles the term matches (a bounded count, a few
// milliseconds at most): a rare term drives the query (its hits are looked
// up and sorted), a middling one becomes a set the list walk checks, and a
// common one is probed row by row as the list walk meets it, stopping at
// the page. Counts always use sets.
func (s *Store) Compile(ctx context.Context, n query.Node) (*Query, error) {
	if n == nil {
		return nil, &query.Error{Col: 1, Msg: "the query is empty"}
	}
	var accts []*query.Text
	query.Walk(n, func(n query.Node) bool {
		if t, ok := n.(*query.Text); ok && t.Field == query.Acct {
			accts = append(accts, t)
		}
		return true
	})
	for _, t := range accts {
		if err := s.checkAccount(ctx, t); err != nil {
			return nil, err
		}
	}
	hits := map[string]int{}
	list := compiler{s: s, ctx: ctx, hits: hits}
	where := list.node(n, true)
	if list.err != nil {
		return nil, list.err
	}
	count := compiler{s: s, ctx: ctx, hits: hits, count: true}
	countWhere := count.node(n, true)
	return &Query{text: n.String(), where: where, args: list.args, countWhere: countWhere, countArgs: count.args}, nil
}

// forCount is q with the SQL made for counting.
func (q *Query) forCount() *Query {
	return &Query{text: q.text, where: q.countWhere, args: q.countArgs}
}

// checkAccount makes an account: term whose account does not exist an
// error at its column: no sync accounts at all, or none of that name.
func (s *Store) checkAccount(ctx context.Context, t *query.Text) error {
	var tables, all, named int
	if err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'accounts'").Scan(&tables); err != nil {
		return s.wrap("compile query", err)
	}
	if tables > 0 {
		if err := s.r.QueryRowContext(ctx, "SELECT count(*), count(*) FILTER (WHERE name = ? COLLATE NOCASE) FROM accounts", t.Value).Scan(&all, &named); err != nil {
			return s.wrap("compile query", err)
		}
	}
	switch {
	case all == 0:
		return &query.Error{Col: t.Col(), Msg: "account: accounts are not configured (no [[account]] in the dotfile)"}
	case named == 0:
		return &query.Error{Col: t.Col(), Msg: fmt.Sprintf("account: there is no account named %q", t.Value)}
	}
	return nil
}

// Full-text hit counts that decide a term's form (see Compile).
const (
	rareHits   = 1000
	commonHits = 20000
)

// ftsHits counts the hits of a full-text expression, up to limit.
func (s *Store) ftsHits(ctx context.Context, expr string, limit int) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? LIMIT ?)",
		expr, limit).Scan(&n)
	if err != nil {
		return 0, s.wrap("compile query", err)
	}
	return n, nil
}

// compiler writes the SQL of a tree, collecting its arguments in order.
type compiler struct {
	s     *Store
	ctx   context.Context
	hits  map[string]int // ftsHits by limit and expression
	count bool           // SQL for a count: full-text terms as sets
	neg   int            // how many NOTs the node being written is under
	args  []any
	err   error
}

func (c *compiler) arg(v any) string {
	c.args = append(c.args, v)
	return "?"
}

// fts is the condition "a matches the full-text expression e"; top: e is a
// positive term of the query's top-level AND, which may drive it.
func (c *compiler) fts(e string, top bool) string {
	if c.count {
		return "a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH " + c.arg(e) + ")"
	}
	// Probing rows that do not match costs most (a NOT takes the set),
	// and a probe of a column reads positions (title: takes the set).
	probe := c.neg == 0 && !strings.Contains(e, "title :")
	if !top && !probe { // no count can change the form: skip it
		return "+a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH " + c.arg(e) + ")"
	}
	// Count only as far as the choice needs: a count of a common phrase
	// or of a column reads many positions.
	limit := rareHits + 1
	if probe {
		limit = commonHits + 1
	}
	key := strconv.Itoa(limit) + "\x00" + e
	n, ok := c.hits[key]
	if !ok && c.err == nil {
		n, c.err = c.s.ftsHits(c.ctx, e, limit)
		c.hits[key] = n
	}
	switch {
	case top && n <= rareHits:
		return "a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH " + c.arg(e) + ")"
	case n > commonHits && probe:
		return "EXISTS (SELECT 1 FROM articles_fts WHERE articles_fts MATCH " + c.arg(e) + " AND rowid = a.id)"
	}
	return "+a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH " + c.arg(e) + ")"
}

func (c *compiler) node(n query.Node, top bool) string {
	switch x := n.(type) {
	case *query.And:
		// The full-text terms of an AND go to the index as one query.
		var parts, fts []string
		for _, y := range x.X {
			if e, ok := ftsExpr(y); ok {
				fts = append(fts, e)
			}
		}
		if len(fts) > 0 {
			parts = append(parts, c.fts(strings.Join(fts, " "), top))
		}
		for _, y := range x.X {
			if _, ok := ftsExpr(y); !ok {
				parts = append(parts, c.node(y, false))
			}
		}
		return "(" + strings.Join(parts, " AND ") + ")"
	case *query.Or:
		fts := make([]string, 0, len(x.X))
		for _, y := range x.X {
			if e, ok := ftsExpr(y); ok {
				fts = append(fts, e)
			}
		}
		if e, ok := titlesExpr(x); ok { // title:a OR title:b: one column filter
			return c.fts(e, top)
		}
		if len(fts) == len(x.X) { // all full-text: one index query
			return c.fts(strings.Join(fts, " OR "), top)
		}
		parts := make([]string, len(x.X))
		for i, y := range x.X {
			parts[i] = c.node(y, false)
		}
		return "(" + strings.Join(parts, " OR ") + ")"
	case *query.Not:
		// coalesce: a term that is NULL for an article (a LIKE on a NULL)
		// does not match it, so NOT of it does.
		c.neg++
		defer func() { c.neg-- }()
		return "NOT coalesce(" + c.node(x.X, false) + ", 0)"
	case *query.Text:
		if e, ok := ftsExpr(x); ok {
			return c.fts(e, top)
		}
		return c.text(x)
	case *query.Flag:
		switch x.Name {
		case query.Unread:
			return "a.read = 0"
		case query.Read:
			return "a.read = 1"
		case query.Starred:
			return "a.starred = 1"
		case query.ReadAlso:
			return "EXISTS (SELECT 1 FROM links l WHERE l.article_id = a.id AND l.read_also = 1)"
		}
	case *query.Age:
		since := c.arg(sinceArg(x.D))
		if x.Newer {
			return "a.sort_date >= " + since
		}
		return "a.sort_date < " + since
	case *query.Date:
		if x.Before {
			return "a.sort_date < " + c.arg(x.Day.Unix())
		}
		return "a.sort_date >= " + c.arg(x.Day.Unix())
	}
	panic(fmt.Sprintf("store: query node %T", n)) // the parser makes no other node
}

// ftsExpr is the FTS5 expression of a full-text term: every value quoted,
// so that nothing in it is FTS5 syntax.
func ftsExpr(n query.Node) (string, bool) {
	t, ok := n.(*query.Text)
	if !ok {
		return "", false
	}
	switch t.Field {
	case query.Any:
		return quote(t.Value), true
	case query.Title:
		return "title : " + quote(t.Value), true
	}
	return "", false
}

// titlesExpr is the FTS5 expression of an OR of title: terms only, with
// one column filter ("title : (a OR b)"): FTS5 reads the title column's
// positions once for the group rather than once for each term.
func titlesExpr(x *query.Or) (string, bool) {
	vs := make([]string, len(x.X))
	for i, y := range x.X {
		t, ok := y.(*query.Text)
		if !ok || t.Field != query.Title {
			return "", false
		}
		vs[i] = quote(t.Value)
	}
	return "title : (" + strings.Join(vs, " OR ") + ")", true
}

// text is the condition of a term on a column or the feed.
func (c *compiler) text(t *query.Text) string {
	switch t.Field {
	case query.Author:
		return `a.author LIKE ` + c.arg(likeArg(t.Value)) + ` ESCAPE '\'`
	case query.Feed:
		title, url := c.arg(likeArg(t.Value)), c.arg(likeArg(t.Value))
		return "+a.feed_id IN (SELECT f.id FROM feeds f WHERE " + feedTitleSQL + " LIKE " + title + ` ESCAPE '\' OR f.url LIKE ` + url + ` ESCAPE '\')`
	case query.Tag:
		return "+a.feed_id IN (SELECT t.id FROM feeds t, json_each(t.tags) j WHERE j.value = " + c.arg(t.Value) + " COLLATE NOCASE)"
	case query.Acct:
		return "+a.feed_id IN (SELECT f.id FROM feeds f JOIN accounts ac ON ac.id = f.account_id WHERE ac.name = " + c.arg(t.Value) + " COLLATE NOCASE)"
	}
	panic(fmt.Sprintf("store: query field %q", t.Field))
}

// likeArg is a LIKE pattern matching v anywhere, its own % _ and \ escaped.
func likeArg(v string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(v) + "%"
}

// viewsPerCount is how many queries UnreadCounts counts in one statement:
// enough for every chooser, few enough that a statement of queries of
// MaxTerms terms each stays far below SQLite's limit on bound parameters.
const viewsPerCount = 32

// UnreadCounts returns, for each query, how many unread articles of active
// feeds it matches: the counts of the saved views in the chooser. The
// queries are counted together, in one walk of the unread articles (one
// FILTER clause each), rather than one walk per query: the walk, not the
// conditions, is most of a count's cost.
func (s *Store) UnreadCounts(ctx context.Context, qs []*Query) ([]int, error) {
	out := make([]int, 0, len(qs))
	now := time.Now()
	for len(qs) > 0 {
		chunk := qs[:min(len(qs), viewsPerCount)]
		qs = qs[len(chunk):]
		cols := make([]string, len(chunk))
		var args []any
		for i, q := range chunk {
			c := q.forCount()
			cols[i] = "count(*) FILTER (WHERE " + c.where + ")"
			args = append(args, c.bind(now)...)
		}
		where, _, _ := listQuery(Filter{Unread: true})
		counts := make([]int, len(chunk))
		dest := make([]any, len(chunk))
		for i := range counts {
			dest[i] = &counts[i]
		}
		if err := s.r.QueryRowContext(ctx, "SELECT "+strings.Join(cols, ", ")+where, args...).Scan(dest...); err != nil {
			return nil, s.wrap("count views", err)
		}
		out = append(out, counts...)
	}
	return out, nil
}
