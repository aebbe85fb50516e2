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

// orderBy is the ORDER BY of a list in this order. Every order ends in the
// id, so that paging is stable. Newest and oldest walk the list indexes;
// feed and title sort what the filter selects.
func (o Sort) orderBy() string {
	switch o {
	case SortOldest:
		return ` ORDER BY a.sort_date ASC, a.feed_id ASC, a.id ASC`
	case SortFeed:
		return ` ORDER BY 3 COLLATE NOCASE, a.sort_date DESC, a.id DESC` // 3: the feed title of rowColumns
	case SortTitle:
		return ` ORDER BY a.title COLLATE NOCASE, a.id`
	}
	return listOrder
}
