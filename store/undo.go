package store

import (
	"context"
	"encoding/json"
)

// UnreadIDs returns the ids of the unread articles matching f: what
// MarkRead(f) would mark, so that the mark can be undone.
func (s *Store) UnreadIDs(ctx context.Context, f Filter) ([]int64, error) {
	where, args, none := listQuery(f)
	if none {
		return nil, nil
	}
	rows, err := s.r.QueryContext(ctx, "SELECT a.id"+where+" AND a.read = 0", args...)
	if err != nil {
		return nil, s.wrap("unread ids", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, s.wrap("unread ids", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, s.wrap("unread ids", err)
	}
	return ids, nil
}

// setReadBatch is how many articles one SetReadIDs statement changes: each
// is a short transaction, so a huge undo never holds the write lock long.
const setReadBatch = 5000

// SetReadIDs sets the read state of the articles ids (those that still
// exist) and of the other copies of their stories, and returns how many
// changed.
func (s *Store) SetReadIDs(ctx context.Context, ids []int64, read bool) (int64, error) {
	var n int64
	for len(ids) > 0 {
		batch := ids[:min(len(ids), setReadBatch)]
		ids = ids[len(batch):]
		js, err := json.Marshal(batch)
		if err != nil {
			return n, s.wrap("set read", err)
		}
		res, err := s.w.ExecContext(ctx, "UPDATE articles SET read = ?2 WHERE read IS NOT ?2 AND id IN ("+storyCopies+")", string(js), read)
		if err != nil {
			return n, s.wrap("set read", err)
		}
		c, err := res.RowsAffected()
		if err != nil {
			return n, s.wrap("set read", err)
		}
		n += c
	}
	return n, nil
}
