package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/brief-reader/brief/feed"
)

// upsertPageSQL stores a linked page by normalised URL. linked_from keeps the
// first article the page was reached from.
const upsertPageSQL = `
INSERT INTO articles (feed_id, is_page, sort_date, first_seen, published, linked_from, hash, key, title, url, url_norm, author, site_name)
VALUES (NULL, 1, CASE WHEN ?1 <> 0 THEN ?1 ELSE ?2 END, ?2, ?1, ?3, ?4, ?5, ?6, ?7, ?5, ?8, ?9)
ON CONFLICT (url_norm) WHERE is_page = 1 DO UPDATE SET
	sort_date = CASE WHEN ?1 <> 0 THEN ?1 ELSE articles.first_seen END,
	published = excluded.published, hash = excluded.hash, title = excluded.title, url = excluded.url,
	author = excluded.author, site_name = excluded.site_name,
	linked_from = coalesce(articles.linked_from, excluded.linked_from)
WHERE articles.hash IS NOT excluded.hash OR (articles.linked_from IS NULL AND excluded.linked_from IS NOT NULL)
RETURNING id`

// upsertAliasSQL points a requested URL at the page it redirected to.
const upsertAliasSQL = `
INSERT INTO page_aliases (url_norm, article_id) VALUES (?1, ?2)
ON CONFLICT (url_norm) DO UPDATE SET article_id = excluded.article_id
WHERE page_aliases.article_id IS NOT excluded.article_id`

// SavePage caches a page fetched in reader mode as a linked page: in no feed
// list or count, searchable, found by ArticleByURL, remembering the article
// it was reached from (from; 0: none; the first one is kept). The page is
// keyed by its final URL (p.URL, after redirects); requestedURL is the URL
// that was fetched ("": the same), kept as an alias of the page when it
// normalises differently, so that ArticleByURL, LinkTargets and Backlinks
// find the page from links to either. Saving the same URL again (by
// normalised URL) updates the page and keeps its read and starred state.
func (s *Store) SavePage(ctx context.Context, p feed.Page, requestedURL string, from int64) (row ArticleRow, err error) {
	norm := feed.NormalizeURL(p.URL)
	if norm == "" {
		return ArticleRow{}, fmt.Errorf("store: save page: no usable URL in %q", p.URL)
	}
	alias := feed.NormalizeURL(requestedURL)
	if alias == norm {
		alias = ""
	}
	now := time.Now()
	date := p.Published
	if date.After(now.Add(futureSlack)) {
		date = time.Time{}
	}
	site := p.SiteName
	if site == "" {
		if u, perr := url.Parse(p.URL); perr == nil {
			site = u.Hostname()
		}
	}
	links := normLinks(p.Body.Links)
	h := newHasher()
	h.strings(p.URL, p.Title, p.Author, site, p.Body.Markdown, p.Body.Text)
	h.links(links)
	h.ints(unix(date))
	var fromArg any
	if from != 0 {
		fromArg = from
	}

	w, err := s.begin(ctx, now)
	if err != nil {
		return ArticleRow{}, s.wrap("save page", err)
	}
	defer func() {
		if rerr := w.rollback(); rerr != nil {
			err = errors.Join(err, s.wrap("save page", rerr))
		}
	}()
	var id int64
	err = w.tx.QueryRowContext(ctx, upsertPageSQL, unix(date), unix(now), fromArg, h.sum(),
		norm, p.Title, p.URL, p.Author, site).Scan(&id)
	switch {
	case errors.Is(err, sql.ErrNoRows): // unchanged
	case err != nil:
		return ArticleRow{}, s.wrap("save page", err)
	default:
		if id > w.lastID {
			w.lastID = id
		}
		if err := w.storeBody(ctx, id, id > w.maxID, p.Title, p.Body.Markdown, p.Body.Text, links); err != nil {
			return ArticleRow{}, s.wrap("save page", err)
		}
	}
	row, err = scanRow(w.tx.QueryRowContext(ctx, "SELECT "+rowColumns+visibleFrom+" WHERE a.url_norm = ? AND a.is_page = 1", norm))
	if err != nil {
		return ArticleRow{}, s.wrap("save page", err)
	}
	if alias != "" {
		if _, err := w.tx.ExecContext(ctx, upsertAliasSQL, alias, row.ID); err != nil {
			return ArticleRow{}, s.wrap("save page", err)
		}
	}
	if err := w.commit(ctx); err != nil {
		return ArticleRow{}, s.wrap("save page", err)
	}
	return row, nil
}
