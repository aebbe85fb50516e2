package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
)

// markBatch (a variable for tests) is how many articles one transaction of MarkRead marks: small
// enough that the write lock is held for a small part of the busy timeout
// even on a slow disk, large enough that a 500,000-article list takes few.
var markBatch = 20_000

// MarkRead marks every article matching f read and returns how many changed.
// It works in batches, each its own short transaction that keeps the unread
// counts with one update per feed (so a refresh or another process waiting
// for the write lock gets it between batches); articles that arrive while it
// runs are not marked.
func (s *Store) MarkRead(ctx context.Context, f Filter) (int64, error) {
	where, args, none := listQuery(f)
	if none {
		return 0, nil
	}
	var maxID int64
	if err := s.r.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) FROM articles").Scan(&maxID); err != nil {
		return 0, s.wrap("mark read", err)
	}
	query := "UPDATE articles SET read = 1 WHERE id IN (SELECT a.id" + where +
		" AND a.read = 0 AND a.id <= ? LIMIT ?) RETURNING id, feed_id"
	args = append(args, maxID, markBatch)
	var total int64
	for {
		n, err := s.markReadBatch(ctx, query, args)
		if err != nil {
			return total, s.wrap("mark read", err)
		}
		total += n
		if n < int64(markBatch) {
			return total, nil
		}
	}
}

// markReadBatch runs one batch of MarkRead in its own transaction.
func (s *Store) markReadBatch(ctx context.Context, query string, args []any) (n int64, err error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer func() {
		if rerr := ignoreDone(tx.Rollback()); rerr != nil {
			err = errors.Join(err, rerr)
		}
	}()
	if _, err := tx.ExecContext(ctx, "INSERT INTO bulk_marking VALUES (1)"); err != nil {
		return 0, err
	}
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	perFeed := map[int64]int64{}
	var marked []int64
	for rows.Next() {
		var id int64
		var feedID *int64
		if err := rows.Scan(&id, &feedID); err != nil {
			return 0, errors.Join(err, rows.Close())
		}
		n++
		marked = append(marked, id)
		if feedID != nil {
			perFeed[*feedID]++
		}
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return 0, err
	}
	if err := markCopiesRead(ctx, tx, marked, perFeed); err != nil {
		return 0, err
	}
	for id, k := range perFeed {
		if _, err := tx.ExecContext(ctx, "UPDATE feeds SET unread_count = unread_count - ? WHERE id = ?", k, id); err != nil {
			return 0, fmt.Errorf("recount: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM bulk_marking"); err != nil {
		return 0, err
	}
	return n, tx.Commit()
}

// markCopiesRead marks read the unread copies of the stories of the articles
// marked (see stories.go: a list shows one copy of a story, and marking it
// marks them all), counting them in perFeed.
func markCopiesRead(ctx context.Context, tx *sql.Tx, marked []int64, perFeed map[int64]int64) error {
	if len(marked) == 0 {
		return nil
	}
	js, err := json.Marshal(marked)
	if err != nil {
		return fmt.Errorf("stories: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `UPDATE articles SET read = 1 WHERE read = 0 AND id IN (SELECT c.id
 FROM articles o JOIN articles c ON c.story_id = o.story_id
 WHERE o.id IN (SELECT value FROM json_each(?)) AND o.story_id IS NOT NULL) RETURNING feed_id`, string(js))
	if err != nil {
		return fmt.Errorf("stories: %w", err)
	}
	for rows.Next() {
		var feedID *int64
		if err := rows.Scan(&feedID); err != nil {
			return errors.Join(err, rows.Close())
		}
		if feedID != nil {
			perFeed[*feedID]++
		}
	}
	return errors.Join(rows.Err(), rows.Close())
}
