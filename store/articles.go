package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// rowColumns are the ArticleRow columns of articles a (a linked page has
// no feed: its site name stands in for the feed title).
const rowColumns = `a.id, coalesce(a.feed_id, 0),
 coalesce((SELECT ` + feedTitleSQL + ` FROM feeds f WHERE f.id = a.feed_id), nullif(a.site_name, ''), ''),
 a.title, a.url, a.sort_date, a.read, a.starred`

// activeFeed is true for articles of active feeds. The unary + keeps SQLite
// from using it to pick an index: the list order decides that.
const activeFeed = `a.feed_id IS NOT NULL AND +a.feed_id IN (SELECT id FROM feeds WHERE active = 1)` + notIgnored

// listOrder is the order of every list: newest first, then by feed and id
// (the columns of the list indexes, so no list is ever sorted).
const listOrder = ` ORDER BY a.sort_date DESC, a.feed_id DESC, a.id DESC`

// scanner is *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// scanRow reads the rowColumns, plus extra destinations after them.
func scanRow(sc scanner, extra ...any) (ArticleRow, error) {
	var r ArticleRow
	var date int64
	dest := append([]any{&r.ID, &r.FeedID, &r.FeedTitle, &r.Title, &r.URL, &date, &r.Read, &r.Starred}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return ArticleRow{}, err
	}
	r.Published = fromUnix(date)
	return r, nil
}

// listQuery is the FROM and WHERE of the articles matching f, with its
// arguments. Every filter is written so that SQLite walks the index that
// matches it in list order, and skips rows without reading them. none
// reports a filter that can match nothing (a query with no words).
func listQuery(f Filter) (sqlText string, args []any, none bool) {
	var b strings.Builder
	if strings.TrimSpace(f.Query) != "" && f.FeedID == 0 && f.Tag == "" && f.Match == nil && f.Search == nil {
		// A search over everything also finds linked pages.
		b.WriteString(" FROM articles a WHERE (" + activeFeed + " OR a.is_page = 1)")
	} else {
		b.WriteString(" FROM articles a WHERE " + activeFeed)
	}
	if f.Ignored { // the kill rules' articles instead of the others
		s := strings.Replace(b.String(), notIgnored, isIgnored, 1)
		b.Reset()
		b.WriteString(s)
	}
	if f.FeedID != 0 {
		b.WriteString(" AND a.feed_id = ?")
		args = append(args, f.FeedID)
	}
	if f.Tag != "" {
		b.WriteString(" AND +a.feed_id IN (SELECT t.id FROM feeds t, json_each(t.tags) j WHERE j.value = ?)")
		args = append(args, f.Tag)
	}
	if f.Unread {
		b.WriteString(" AND a.read = 0") // literal: lets SQLite use the partial indexes
	}
	if f.Starred {
		b.WriteString(" AND a.starred = 1")
	}
	if strings.TrimSpace(f.Query) != "" {
		q := ftsQuery(f.Query, true)
		if q == "" {
			return "", nil, true
		}
		b.WriteString(" AND a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
		args = append(args, q)
	}
	for _, q := range []*Query{f.Match, f.Search} {
		if q != nil {
			b.WriteString(" AND " + q.where)
			args = append(args, q.bind(time.Now())...)
		}
	}
	if cond, cargs, ok := storyOnce(f); ok {
		b.WriteString(cond)
		args = append(args, cargs...)
	}
	return b.String(), args, false
}

// Articles returns one page of the articles matching f in f.Sort's order
// (by default newest first: by date, then feed, then id), without bodies. Lists show articles of active
// feeds only; a search (Query without FeedID or Tag) also finds linked pages.
func (s *Store) Articles(ctx context.Context, f Filter, offset, limit int) ([]ArticleRow, error) {
	where, args, none := listQuery(f)
	if none || limit <= 0 {
		return nil, nil
	}
	if offset < 0 {
		offset = 0
	}
	args = append(args, limit, offset)
	rows, err := s.r.QueryContext(ctx, "SELECT "+rowColumns+where+f.Sort.orderBy()+" LIMIT ? OFFSET ?", args...)
	if err != nil {
		return nil, s.wrap("articles", err)
	}
	return s.collect(rows, "articles")
}

// collect reads every ArticleRow of rows and closes them.
func (s *Store) collect(rows *sql.Rows, op string) ([]ArticleRow, error) {
	defer rows.Close()
	var out []ArticleRow
	for rows.Next() {
		r, err := scanRow(rows)
		if err != nil {
			return nil, s.wrap(op, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, s.wrap(op, err)
	}
	return out, nil
}

// CountArticles returns how many articles match f.
func (s *Store) CountArticles(ctx context.Context, f Filter) (int, error) {
	if f.Match != nil {
		f.Match = f.Match.forCount()
	}
	if f.Search != nil {
		f.Search = f.Search.forCount()
	}
	where, args, none := listQuery(f)
	if none {
		return 0, nil
	}
	var n int
	if err := s.r.QueryRowContext(ctx, "SELECT count(*)"+where, args...).Scan(&n); err != nil {
		return 0, s.wrap("count articles", err)
	}
	return n, nil
}

// Article returns one article (of any feed, active or not, or a linked page)
// with its body and links, or ErrNotFound.
func (s *Store) Article(ctx context.Context, id int64) (Article, error) {
	var a Article
	var from sql.NullInt64
	var body []byte
	row := s.r.QueryRowContext(ctx, "SELECT "+rowColumns+`, a.author, b.body, a.linked_from
 FROM articles a LEFT JOIN bodies b ON b.id = a.id WHERE a.id = ?`, id)
	r, err := scanRow(row, &a.Author, &body, &from)
	if errors.Is(err, sql.ErrNoRows) {
		return Article{}, ErrNotFound
	}
	if err != nil {
		return Article{}, s.wrap("article", err)
	}
	a.ArticleRow, a.LinkedFrom = r, from.Int64
	if a.Markdown, err = unpackBody(body); err != nil {
		// SQLite checks pages, not what a blob holds: a body that no
		// longer decodes is a damaged file.
		return Article{}, notDatabase(s.path, err)
	}
	if a.Links, err = s.links(ctx, id); err != nil {
		return Article{}, err
	}
	if a.AlsoIn, err = s.AlsoIn(ctx, id); err != nil {
		return Article{}, err
	}
	return a, nil
}

// SetRead marks one article and the other copies of its story (see
// stories.go) read or unread, committed at once.
func (s *Store) SetRead(ctx context.Context, id int64, read bool) error {
	return s.setFlag(ctx, "read", id, read)
}

// SetStarred stars or unstars one article, committed at once.
func (s *Store) SetStarred(ctx context.Context, id int64, starred bool) error {
	return s.setFlag(ctx, "starred", id, starred)
}

// setFlag sets column (read or starred) of one article in its own
// transaction; a row already in that state is not rewritten.
func (s *Store) setFlag(ctx context.Context, column string, id int64, on bool) error {
	op := "set " + column
	q, args := "UPDATE articles SET "+column+" = ?2 WHERE id = ?1 AND "+column+" IS NOT ?2", []any{id, on}
	if column == "read" { // every copy of the story
		q, args = "UPDATE articles SET read = ?2 WHERE read IS NOT ?2 AND id IN ("+storyCopies+")", []any{fmt.Sprintf("[%d]", id), on}
	}
	res, err := s.w.ExecContext(ctx, q, args...)
	if err != nil {
		return s.wrap(op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return s.wrap(op, err)
	}
	if n > 0 {
		return nil
	}
	var one int
	err = s.r.QueryRowContext(ctx, "SELECT 1 FROM articles WHERE id = ?", id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return s.wrap(op, err)
}
