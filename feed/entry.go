package feed

import (
	"net/url"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
)

// Entry is an article as a sync server (Miniflux, a Google Reader API
// server) hands it over: already parsed by the server, its content HTML.
type Entry struct {
	ID        string // the server's id of the entry
	URL       string
	Title     string
	Author    string
	HTML      string // the content
	Published time.Time
	Updated   time.Time
}

// NormalizeEntry turns a server's entry into an Item exactly as the items of
// a fetched feed are normalised (the same cleaning of text, HTML → Markdown,
// link numbering, "Read also" detection and date checks); siteURL resolves
// relative links when the entry has no URL of its own. The Key is "remote:"
// followed by the entry's id, which the server keeps stable.
func NormalizeEntry(e Entry, siteURL string, now time.Time) (Item, error) {
	it := &gofeed.Item{
		Title:   e.Title,
		Link:    strings.TrimSpace(e.URL),
		Content: e.HTML,
	}
	if e.Author != "" {
		it.Authors = []*gofeed.Person{{Name: e.Author}}
	}
	if !e.Published.IsZero() {
		p := e.Published
		it.PublishedParsed = &p
	}
	if !e.Updated.IsZero() {
		u := e.Updated
		it.UpdatedParsed = &u
	}
	var base *url.URL
	if u, err := url.Parse(strings.TrimSpace(siteURL)); err == nil && u.IsAbs() {
		base = u
	}
	d, err := normalizeItem(it, base, now)
	if err != nil {
		return Item{}, err
	}
	d.item.Key = capKey("remote:" + e.ID)
	return d.item, nil
}
