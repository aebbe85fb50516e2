package store

import (
	"context"
	"strings"
	"testing"
)

// TestListQueriesUseIndexes checks that every list is an index walk in list
// order: no temporary B-tree for ORDER BY and no full table scan. (A search
// may sort its matches: SQLite picks by how many there are.)
func TestListQueriesUseIndexes(t *testing.T) {
	s := openTest(t)
	cases := []struct {
		name  string
		f     Filter
		index string
	}{
		{"all", Filter{}, "articles_date"},
		{"unread", Filter{Unread: true}, "articles_unread"},
		{"starred", Filter{Starred: true}, "articles_starred"},
		{"starred unread", Filter{Starred: true, Unread: true}, ""},
		{"feed", Filter{FeedID: 3}, "articles_feed_date"},
		{"feed unread", Filter{FeedID: 3, Unread: true}, "articles_feed_unread"},
		{"tag", Filter{Tag: "world"}, "articles_date"},
		{"tag unread", Filter{Tag: "world", Unread: true}, "articles_unread"},
		{"feed search", Filter{FeedID: 3, Query: "storm"}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			where, args, _ := listQuery(c.f)
			args = append(args, 100, 0)
			plan := queryPlan(t, s, "SELECT "+rowColumns+where+listOrder+" LIMIT ? OFFSET ?", args...)
			if strings.Contains(plan, "TEMP B-TREE FOR ORDER BY") || strings.Contains(plan, "SCAN a\n") {
				t.Errorf("plan sorts or scans the table:\n%s", plan)
			}
			if c.index != "" && !strings.Contains(plan+"\n", "INDEX "+c.index+"\n") && !strings.Contains(plan, "INDEX "+c.index+" (") {
				t.Errorf("plan does not use %s:\n%s", c.index, plan)
			}
		})
	}
}

// queryPlan returns EXPLAIN QUERY PLAN of query, one step a line.
func queryPlan(t *testing.T, s *Store, query string, args ...any) string {
	t.Helper()
	rows, err := s.r.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatalf("explain: %v", err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatalf("explain: %v", err)
		}
		b.WriteString(detail + "\n")
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("explain: %v", err)
	}
	return b.String()
}
