package store

import (
	"context"
	"fmt"
)

// This file keeps one story once. Articles of different feeds with the
// same normalised link are copies of one story: they share a story id (the
// id of the first of them), set when they are written. Articles of one feed
// that share a link are not copies (status feeds post many updates under
// one link); a story whose key changes form within a feed is adopt.go's. Lists show the newest copy
// of a story (see storyOnce), marking one copy read or unread marks them all,
// and a copy that arrives after the story was read arrives read.

// storyOnce hides an article from a list when a newer copy of its story is
// also in the list: the same feed's for a feed's list, else any active
// feed's. Only the copy's feed, kill rules and (for those lists) the unread
// and starred state decide whether it is listed; lists with other filters
// (tags, queries, views) show every copy.
func storyOnce(f Filter) (cond string, args []any, ok bool) {
	if f.Tag != "" || f.Query != "" || f.Match != nil || f.Search != nil || f.Ignored {
		return "", nil, false
	}
	c := ` AND NOT EXISTS (SELECT 1 FROM articles c WHERE c.story_id = a.story_id AND c.id > a.id`
	if f.FeedID != 0 {
		c += ` AND c.feed_id = ?`
		args = append(args, f.FeedID)
	} else {
		c += ` AND c.feed_id IN (SELECT id FROM feeds WHERE active = 1)`
	}
	c += ` AND c.id NOT IN (SELECT id FROM ignored)`
	if f.Unread {
		c += ` AND c.read = 0`
	}
	if f.Starred {
		c += ` AND c.starred = 1`
	}
	return c + `)`, args, true
}

// assignStories gives the feed articles the transaction inserted their story
// id, and marks read those joining a story a copy of which is read.
func (w *writer) assignStories(ctx context.Context) error {
	if w.lastID <= w.maxID {
		return nil
	}
	if _, err := w.tx.ExecContext(ctx, `UPDATE articles SET story_id = (SELECT min(b.id) FROM articles b
 WHERE b.url_norm = articles.url_norm AND b.feed_id IS NOT NULL
  AND (b.feed_id <> articles.feed_id OR b.id = articles.id))
WHERE id > ? AND feed_id IS NOT NULL AND url_norm <> ''`, w.maxID); err != nil {
		return fmt.Errorf("stories: %w", err)
	}
	if _, err := w.tx.ExecContext(ctx, `UPDATE articles SET read = 1
WHERE id > ?1 AND read = 0 AND story_id < id AND EXISTS (SELECT 1 FROM articles c
 WHERE c.story_id = articles.story_id AND c.id <> articles.id AND c.read = 1)`, w.maxID); err != nil {
		return fmt.Errorf("stories: %w", err)
	}
	return nil
}

// storyCopies is the ids ?1 (a JSON array) with the other copies of their
// stories.
const storyCopies = `SELECT value FROM json_each(?1) UNION
SELECT c.id FROM articles o JOIN articles c ON c.story_id = o.story_id
WHERE o.id IN (SELECT value FROM json_each(?1)) AND o.story_id IS NOT NULL`

// AlsoIn returns the titles of the other feeds a copy of article id's story
// is in (active feeds, in the order the copies arrived).
func (s *Store) AlsoIn(ctx context.Context, id int64) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+feedTitleSQL+` FROM articles o
JOIN articles c ON c.story_id = o.story_id AND c.id <> o.id
JOIN feeds f ON f.id = c.feed_id AND f.active = 1
WHERE o.id = ? AND o.story_id IS NOT NULL AND c.feed_id IS NOT o.feed_id
GROUP BY f.id ORDER BY min(c.id)`, id)
	if err != nil {
		return nil, s.wrap("also in", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, s.wrap("also in", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, s.wrap("also in", err)
	}
	return out, nil
}
