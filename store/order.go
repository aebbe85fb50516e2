package store

import "fmt"

// Sort is the order of a list.
type Sort string

// The orders a list can be read in. The zero Sort is SortNewest.
const (
	SortNewest Sort = "newest" // newest first (the list indexes' order)
	SortOldest Sort = "oldest" // oldest first
	SortFeed   Sort = "feed"   // by feed title, then newest first
	SortTitle  Sort = "title"  // by title, case-insensitively
)

// Sorts are the orders in the order the list's sort key cycles through them.
var Sorts = []Sort{SortNewest, SortOldest, SortFeed, SortTitle}

// ParseSort reads a sort's name ("" is SortNewest).
func ParseSort(s string) (Sort, error) {
	switch Sort(s) {
	case "", SortNewest:
		return SortNewest, nil
	case SortOldest, SortFeed, SortTitle:
		return Sort(s), nil
	}
	return "", fmt.Errorf("store: unknown sort %q (want newest, oldest, feed or title)", s)
}

// String is the sort's name.
func (o Sort) String() string {
	if o == "" {
		return string(SortNewest)
	}
	return string(o)
}

// orderBy is the ORDER BY of a list in this order.
func (o Sort) orderBy() string { return o.keyset().order }

// keyset is how a list in one order is read: its ORDER BY and the reverse
// (to read from the end), and, for the orders of the list indexes (newest,
// oldest), the conditions for the rows after and before a row's sort key
// (Window's keyset seeks; "" for the others, which Window reads from the
// top or the end with OFFSET). Every order ends in the id, so that paging
// is stable.
type keyset struct {
	order, reverse string
	after, before  string
}

// Feed and title orders: 3 is the feed title of rowColumns.
const (
	feedOrder    = ` ORDER BY 3 COLLATE NOCASE, a.sort_date DESC, a.id DESC`
	feedReverse  = ` ORDER BY 3 COLLATE NOCASE DESC, a.sort_date ASC, a.id ASC`
	titleOrder   = ` ORDER BY a.title COLLATE NOCASE, a.id`
	titleReverse = ` ORDER BY a.title COLLATE NOCASE DESC, a.id DESC`
)

func (o Sort) keyset() keyset {
	switch o {
	case SortOldest: // newest read backwards
		return keyset{order: reverseOrder, reverse: listOrder, after: beforeKey, before: afterKey}
	case SortFeed:
		return keyset{order: feedOrder, reverse: feedReverse}
	case SortTitle:
		return keyset{order: titleOrder, reverse: titleReverse}
	}
	return keyset{order: listOrder, reverse: reverseOrder, after: afterKey, before: beforeKey}
}
