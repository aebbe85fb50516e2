package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/brief-reader/brief/feed"
)

// fullTextFeeds are the URLs of the feeds with full_text = true.
func (c Config) fullTextFeeds() map[string]bool {
	out := map[string]bool{}
	for _, f := range c.Feeds {
		if f.FullText {
			out[strings.TrimSpace(f.URL)] = true
		}
	}
	return out
}

// withFullText passes the results of in on, except those of full_text feeds,
// which it holds until every feed is fetched; then, one feed after the other,
// it fetches the pages of their new articles in reader mode (FetchPages,
// within the client's limits: no feed download runs beside them) and stores
// each page as its article's body. An article already stored (or deleted by
// retention) is never fetched again and keeps its stored body; a page that
// fails leaves the feed's summary as the body and a warning on the feed.
func (c headerClient) withFullText(ctx context.Context, in <-chan feed.Result) <-chan feed.Result {
	if len(c.fullText) == 0 || c.st == nil {
		return in
	}
	out := make(chan feed.Result)
	go func() {
		defer close(out)
		var held []feed.Result
		for res := range in {
			if c.fullText[res.URL] && res.Err == nil && res.Feed != nil && len(res.Feed.Items) > 0 {
				held = append(held, res)
				continue
			}
			out <- res
		}
		for _, res := range held {
			out <- c.fetchFullText(ctx, res)
		}
	}()
	return out
}

// fetchFullText fetches the pages of res's new articles and puts them in
// as their bodies.
func (c headerClient) fetchFullText(ctx context.Context, res feed.Result) feed.Result {
	// Not canceled with ctx: what was fetched is still stored.
	stored, err := c.st.StoredItems(context.WithoutCancel(ctx), res.URL, res.Feed.Items)
	if err != nil {
		res.Feed, res.Err = nil, err
		return res
	}
	fc := *res.Feed
	fc.Items = append([]feed.Item(nil), fc.Items...)
	fc.Warnings = append([]string(nil), fc.Warnings...)
	var urls []string
	var at []int
	for i := range fc.Items {
		it := &fc.Items[i]
		switch {
		case stored[i]:
			it.KeepStored = true
		case it.URL != "" && it.Key != "":
			urls = append(urls, it.URL)
			at = append(at, i)
		}
	}
	// The feed's user_agent, if it has one; its other headers (a token, a
	// cookie) are the feed server's and are not sent to the pages' servers.
	for j, p := range c.FetchPages(ctx, urls, c.headers[res.URL].Get("User-Agent")) {
		it := &fc.Items[at[j]]
		if p.Err != nil {
			fc.Warnings = append(fc.Warnings, fmt.Sprintf("feed: full text of %s not fetched, the summary is kept: %s",
				feed.DisplayURL(p.URL), strings.TrimPrefix(p.Err.Error(), "feed: ")))
			continue
		}
		it.Body = p.Page.Body
	}
	res.Feed = &fc
	return res
}
