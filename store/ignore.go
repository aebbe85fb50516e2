package store

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"
)

// The list conditions of the kill rules: articles not hidden, or only those.
const (
	notIgnored = ` AND +a.id NOT IN (SELECT id FROM ignored)`
	isIgnored  = ` AND +a.id IN (SELECT id FROM ignored)`
)

// IgnoreRule is a kill rule: the articles matching Query (of feed FeedID
// only; 0: of every feed) are hidden from lists and counts, never deleted.
type IgnoreRule struct {
	FeedID int64
	Query  *Query
}

// ApplyIgnore makes the cache follow the kill rules. When they differ from
// the rules last applied (by their text), every cached article is checked
// again (a rule removed shows its articles again); otherwise only the
// articles after sinceID (those a refresh just added: see MaxArticleID). The
// feeds' counts are recounted where hidden articles changed. It returns how
// many articles are hidden.
func (s *Store) ApplyIgnore(ctx context.Context, rules []IgnoreRule, sinceID int64) (hidden int, err error) {
	key := ruleKey(rules)
	// The same rules as last time and nothing new to check (the usual
	// start): write nothing, so that opening a large cache never waits for
	// the integrity check that gates writes.
	var applied string
	var fresh bool
	if err := s.r.QueryRowContext(ctx, "SELECT coalesce((SELECT rules FROM ignore_rules WHERE id = 1), ''), EXISTS (SELECT 1 FROM articles WHERE id > ?)", sinceID).Scan(&applied, &fresh); err != nil {
		return 0, s.wrap("apply kill rules", err)
	}
	if applied == key && (len(rules) == 0 || !fresh) {
		return 0, nil
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, s.wrap("apply kill rules", err)
	}
	defer func() {
		if rerr := ignoreDone(tx.Rollback()); rerr != nil {
			err = errors.Join(err, s.wrap("apply kill rules", rerr))
		}
	}()
	if err := tx.QueryRowContext(ctx, "SELECT coalesce((SELECT rules FROM ignore_rules WHERE id = 1), '')").Scan(&applied); err != nil {
		return 0, s.wrap("apply kill rules", err)
	}
	all := applied != key
	if all {
		sinceID = 0
		if _, err := tx.ExecContext(ctx, "DELETE FROM ignored"); err != nil {
			return 0, s.wrap("apply kill rules", err)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO ignore_rules (id, rules) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET rules = excluded.rules", key); err != nil {
			return 0, s.wrap("apply kill rules", err)
		}
	}
	for _, r := range rules {
		q := r.Query.forCount()
		where := "a.feed_id IS NOT NULL AND a.id > ?"
		args := []any{sinceID}
		if r.FeedID != 0 {
			where += " AND a.feed_id = ?"
			args = append(args, r.FeedID)
		}
		args = append(args, q.bind(time.Now())...)
		if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO ignored (id) SELECT a.id FROM articles a WHERE "+where+" AND "+q.where, args...); err != nil {
			return 0, s.wrap("apply kill rules", err)
		}
	}
	// A refresh's recount (write.go) counts every article of the feeds it
	// wrote: recount those with hidden articles (every feed after a change
	// of rules, which may have shown some again).
	feeds := "id IN (SELECT DISTINCT a.feed_id FROM ignored i JOIN articles a ON a.id = i.id)"
	if all {
		feeds = "1"
	}
	if _, err := tx.ExecContext(ctx, `UPDATE feeds SET
 total_count = (SELECT count(*) FROM articles a WHERE a.feed_id = feeds.id`+notIgnored+`),
 unread_count = (SELECT count(*) FROM articles a WHERE a.feed_id = feeds.id AND a.read = 0`+notIgnored+`)
WHERE `+feeds); err != nil {
		return 0, s.wrap("apply kill rules", err)
	}
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM ignored").Scan(&hidden); err != nil {
		return 0, s.wrap("apply kill rules", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, s.wrap("apply kill rules", err)
	}
	return hidden, nil
}

// MaxArticleID is the newest article's id: what ApplyIgnore starts after
// once a refresh has added articles.
func (s *Store) MaxArticleID(ctx context.Context) (int64, error) {
	var id int64
	if err := s.r.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) FROM articles").Scan(&id); err != nil {
		return 0, s.wrap("max article id", err)
	}
	return id, nil
}

// ruleKey is the text of rules, to tell whether they changed.
func ruleKey(rules []IgnoreRule) string {
	var b strings.Builder
	for _, r := range rules {
		b.WriteString(strconv.FormatInt(r.FeedID, 10) + "\t" + r.Query.String() + "\n")
	}
	return b.String()
}
