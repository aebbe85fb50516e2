package store

import (
	"context"
	"slices"
)

// Anchor is a row of a list at a known index in it: a place Window can seek
// from by the list's sort key (date, feed, id) instead of counting rows from
// the top.
type Anchor struct {
	Index int
	Row   ArticleRow
}

// reverseOrder is listOrder read from the end.
const reverseOrder = ` ORDER BY a.sort_date ASC, a.feed_id ASC, a.id ASC`

// Keyset conditions: rows after (below, in list order) or before (above) a
// row's sort key. The redundant bound on sort_date alone is what lets SQLite
// range-scan the list index; linked pages (no feed) sort as feed 0, as NULL
// sorts in listOrder.
const (
	afterKey  = ` AND a.sort_date <= ? AND (a.sort_date < ? OR coalesce(a.feed_id, 0) < ? OR (coalesce(a.feed_id, 0) = ? AND a.id < ?))`
	beforeKey = ` AND a.sort_date >= ? AND (a.sort_date > ? OR coalesce(a.feed_id, 0) > ? OR (coalesce(a.feed_id, 0) = ? AND a.id > ?))`
)

func keyArgs(r ArticleRow) []any {
	d := unix(r.Published)
	return []any{d, d, r.FeedID, r.FeedID, r.ID}
}

// Window returns up to limit rows of the list f from index start, like
// Articles(f, start, limit), but seeks to them by sort key from the nearest
// known place: the top, the end (when total, the list's length, is known;
// negative: unknown), or one of the anchors (rows of f at known indexes,
// such as the window the caller shows). Reading the last page of a long list
// or the page next to an anchor costs what the first page does; OFFSET only
// skips the rows between the nearest place and start.
func (s *Store) Window(ctx context.Context, f Filter, start, limit, total int, anchors ...Anchor) ([]ArticleRow, error) {
	where, args, none := listQuery(f)
	if none || limit <= 0 {
		return nil, nil
	}
	start = max(start, 0)
	if total >= 0 {
		if start >= total {
			return nil, nil
		}
		limit = min(limit, total-start)
	}
	// Candidates: (cost, query, args, reversed).
	ks := f.Sort.keyset()
	best := start // from the top with OFFSET start
	q, qargs, rev := where+ks.order, args, false
	skip := start
	if total >= 0 && total-start-limit < best {
		best = total - start - limit
		q, qargs, rev, skip = where+ks.reverse, args, true, best
	}
	for _, a := range anchors {
		switch {
		case ks.after == "": // an order no index serves: no keyset seeks
		case a.Index < start && start-a.Index-1 < best:
			best = start - a.Index - 1
			q, qargs, rev, skip = where+ks.after+ks.order, append(slices.Clone(args), keyArgs(a.Row)...), false, best
		case a.Index >= start+limit && a.Index-start-limit < best:
			best = a.Index - start - limit
			q, qargs, rev, skip = where+ks.before+ks.reverse, append(slices.Clone(args), keyArgs(a.Row)...), true, best
		}
	}
	qargs = append(slices.Clone(qargs), limit, skip)
	rows, err := s.r.QueryContext(ctx, "SELECT "+rowColumns+q+" LIMIT ? OFFSET ?", qargs...)
	if err != nil {
		return nil, s.wrap("articles", err)
	}
	out, err := s.collect(rows, "articles")
	if err != nil {
		return nil, err
	}
	if rev {
		slices.Reverse(out)
	}
	return out, nil
}
