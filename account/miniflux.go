package account

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/brief-reader/brief/store"
)

// miniflux speaks Miniflux's REST API (/v1). A small client of our own: the
// official miniflux.app/v2/client imports only the standard library, but
// requiring its module pulls the whole server's module graph into brief's
// go.mod and go.sum and moves shared dependencies (cascadia among them).
type miniflux struct {
	*client
	cred credentials
}

// mfPage is how many entries one request asks for: fewer, larger pages cost
// both sides less per entry (a page of news-shaped entries is a few MB).
const mfPage = 1000

func (m *miniflux) request(ctx context.Context, method, path string, q url.Values, body any) ([]byte, http.Header, error) {
	u := m.base + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, nil, fmt.Errorf("account: %w", err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return nil, nil, &Error{Account: m.name, Msg: fmt.Sprintf("the url %q is not usable: %v", redactURL(m.base), err)}
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	if m.cred.token != "" {
		req.Header.Set("X-Auth-Token", m.cred.token)
	} else {
		req.SetBasicAuth(m.cred.username, m.cred.password)
	}
	return m.do(req, method == http.MethodGet || method == http.MethodPost)
}

type mfCategory struct {
	ID    int64  `json:"id"`
	Title string `json:"title"`
}

type mfFeed struct {
	ID       int64       `json:"id"`
	Title    string      `json:"title"`
	FeedURL  string      `json:"feed_url"`
	SiteURL  string      `json:"site_url"`
	Category *mfCategory `json:"category"`
}

type mfEntry struct {
	ID          int64     `json:"id"`
	FeedID      int64     `json:"feed_id"`
	Status      string    `json:"status"`
	Title       string    `json:"title"`
	URL         string    `json:"url"`
	Author      string    `json:"author"`
	Content     string    `json:"content"`
	PublishedAt time.Time `json:"published_at"`
	ChangedAt   time.Time `json:"changed_at"`
	Starred     bool      `json:"starred"`
}

func (m *miniflux) subscriptions(ctx context.Context) ([]store.RemoteFeed, error) {
	body, _, err := m.request(ctx, http.MethodGet, "/v1/feeds", nil, nil)
	if err != nil {
		return nil, err
	}
	var feeds []mfFeed
	if err := m.decode("/v1/feeds", body, &feeds); err != nil {
		return nil, err
	}
	body, _, err = m.request(ctx, http.MethodGet, "/v1/feeds/counters", nil, nil)
	if err != nil {
		return nil, err
	}
	var counters struct {
		Unreads map[string]int `json:"unreads"`
	}
	if err := m.decode("/v1/feeds/counters", body, &counters); err != nil {
		return nil, err
	}
	out := make([]store.RemoteFeed, 0, len(feeds))
	for _, f := range feeds {
		rf := store.RemoteFeed{RemoteID: strconv.FormatInt(f.ID, 10), Title: f.Title, FeedURL: f.FeedURL, SiteURL: f.SiteURL}
		if f.Category != nil {
			rf.Category = f.Category.Title
		}
		rf.Unread = counters.Unreads[rf.RemoteID]
		out = append(out, rf)
	}
	return out, nil
}

// pull takes entries: on the first sync the unread, the starred and the
// read ones published within the history window; later, every entry changed
// since the cursor (a server time, so clocks need not agree). Pages are keyed
// by entry id.
func (m *miniflux) pull(ctx context.Context, p *puller) (string, error) {
	var passes []url.Values
	if p.cursor == "" {
		passes = []url.Values{
			{"status": {"unread"}},
			{"starred": {"true"}},
			{"status": {"read"}, "published_after": {strconv.FormatInt(p.now.Add(-p.history).Unix(), 10)}},
		}
	} else {
		passes = []url.Values{{"changed_after": {p.cursor}}}
	}
	// The next page is fetched while this one is converted and stored: the
	// server's time and ours overlap.
	ctx, cancel := context.WithCancel(ctx)
	pages := make(chan mfPageResult, 1)
	var start time.Time
	go func() {
		defer close(pages)
		start = m.fetchPages(ctx, passes, pages)
	}()
	defer func() {
		cancel()
		for range pages { // let the fetcher finish
		}
	}()
	for pg := range pages {
		if pg.err != nil {
			return "", pg.err
		}
		if err := p.store(ctx, pg.raw); err != nil {
			return "", err
		}
	}
	if start.IsZero() {
		start = p.now.Add(-time.Minute)
	}
	// Date has one-second precision and changed_after is strict: step back
	// so that nothing changed in the same second is missed (seen again, it
	// writes nothing).
	return strconv.FormatInt(start.Add(-2*time.Second).Unix(), 10), nil
}

// mfPageResult is one fetched page of entries, or why it failed.
type mfPageResult struct {
	raw []rawEntry
	err error
}

// fetchPages fetches every page of every pass into out, keyed by entry id,
// and returns the server's time at the first answer. It stops at the first
// error (sent to out) or when ctx ends.
func (m *miniflux) fetchPages(ctx context.Context, passes []url.Values, out chan<- mfPageResult) (start time.Time) {
	send := func(r mfPageResult) bool {
		select {
		case out <- r:
			return r.err == nil
		case <-ctx.Done():
			return false
		}
	}
	for _, q := range passes {
		after := int64(0)
		for {
			page := url.Values{}
			for k, v := range q {
				page[k] = v
			}
			page.Set("order", "id")
			page.Set("direction", "asc")
			page.Set("limit", strconv.Itoa(mfPage))
			if after > 0 {
				page.Set("after_entry_id", strconv.FormatInt(after, 10))
			}
			body, h, err := m.request(ctx, http.MethodGet, "/v1/entries", page, nil)
			if err != nil {
				send(mfPageResult{err: err})
				return start
			}
			if start.IsZero() {
				start = serverTime(h)
			}
			var res struct {
				Total   int       `json:"total"`
				Entries []mfEntry `json:"entries"`
			}
			if err := m.decode("/v1/entries", body, &res); err != nil {
				send(mfPageResult{err: err})
				return start
			}
			raw := make([]rawEntry, 0, len(res.Entries))
			for _, e := range res.Entries {
				raw = append(raw, rawEntry{
					id: strconv.FormatInt(e.ID, 10), feed: strconv.FormatInt(e.FeedID, 10),
					url: e.URL, title: e.Title, author: e.Author, html: e.Content,
					published: e.PublishedAt, changed: e.ChangedAt,
					read: e.Status != "unread", starred: e.Starred,
				})
				after = max(after, e.ID)
			}
			if !send(mfPageResult{raw: raw}) {
				return start
			}
			// Done when the page is empty or holds every entry the server
			// counts (its total is of the entries after the cursor, or of the
			// whole pass: then one more page, empty, ends it). A short page is
			// not the end: a server may cap the page below mfPage.
			if len(res.Entries) == 0 || len(res.Entries) >= res.Total {
				break
			}
		}
	}
	return start
}

// push sends one field's changes in batches.
func (m *miniflux) push(ctx context.Context, field string, value bool, ids []string) error {
	nums := make([]int64, 0, len(ids))
	for _, id := range ids {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			continue // not a Miniflux id: nothing to send
		}
		nums = append(nums, n)
	}
	if len(nums) == 0 {
		return nil
	}
	body := map[string]any{"entry_ids": nums}
	if field == "read" {
		body["status"] = map[bool]string{true: "read", false: "unread"}[value]
	} else {
		body["starred"] = value
	}
	_, _, err := m.request(ctx, http.MethodPut, "/v1/entries", nil, body)
	return err
}

func (m *miniflux) categories(ctx context.Context) ([]mfCategory, error) {
	body, _, err := m.request(ctx, http.MethodGet, "/v1/categories", nil, nil)
	if err != nil {
		return nil, err
	}
	var cats []mfCategory
	return cats, m.decode("/v1/categories", body, &cats)
}

// addFeed subscribes to feedURL (the server's discovery finds the feed of a
// web page) in category (created if missing; "": the first category).
func (m *miniflux) addFeed(ctx context.Context, feedURL, category string) (string, error) {
	body, _, err := m.request(ctx, http.MethodPost, "/v1/discover", nil, map[string]string{"url": feedURL})
	if err == nil {
		var found []struct {
			URL string `json:"url"`
		}
		if m.decode("/v1/discover", body, &found) == nil && len(found) > 0 && found[0].URL != "" {
			feedURL = found[0].URL
		}
	}
	cats, err := m.categories(ctx)
	if err != nil {
		return "", err
	}
	var catID int64
	for _, c := range cats {
		if (category == "" && catID == 0) || strings.EqualFold(c.Title, category) {
			catID = c.ID
		}
	}
	if catID == 0 {
		title := category
		if title == "" {
			title = "All"
		}
		body, _, err := m.request(ctx, http.MethodPost, "/v1/categories", nil, map[string]string{"title": title})
		if err != nil {
			return "", err
		}
		var c mfCategory
		if err := m.decode("/v1/categories", body, &c); err != nil {
			return "", err
		}
		catID = c.ID
	}
	body, _, err = m.request(ctx, http.MethodPost, "/v1/feeds", nil, map[string]any{"feed_url": feedURL, "category_id": catID})
	if err != nil {
		return "", err
	}
	var created struct {
		FeedID int64 `json:"feed_id"`
	}
	if err := m.decode("/v1/feeds", body, &created); err != nil {
		return "", err
	}
	return strconv.FormatInt(created.FeedID, 10), nil
}

func (m *miniflux) removeFeed(ctx context.Context, remoteID string) error {
	if _, err := strconv.ParseInt(remoteID, 10, 64); err != nil {
		return &Error{Account: m.name, Msg: fmt.Sprintf("%q is not a Miniflux feed id", remoteID)}
	}
	_, _, err := m.request(ctx, http.MethodDelete, "/v1/feeds/"+remoteID, nil, nil)
	return err
}

func (m *miniflux) renameCategory(ctx context.Context, from, to string) error {
	cats, err := m.categories(ctx)
	if err != nil {
		return err
	}
	for _, c := range cats {
		if c.Title == from {
			_, _, err := m.request(ctx, http.MethodPut, "/v1/categories/"+strconv.FormatInt(c.ID, 10), nil, map[string]string{"title": to})
			return err
		}
	}
	return &Error{Account: m.name, Msg: fmt.Sprintf("the server has no category %q", from)}
}
