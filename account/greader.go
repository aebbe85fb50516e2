package account

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/brief-reader/brief/store"
)

// greader speaks the Google Reader API as FreshRSS, Miniflux, The Old
// Reader and BazQux serve it: ClientLogin with a username and (API)
// password, then "GoogleLogin auth=" on every call, and a T token on writes.
type greader struct {
	*client
	cred   credentials
	auth   string // ClientLogin's Auth token, for this sync only
	token  string // the T token for writes
	st     *store.Store
	acctID int64
	result *Result
}

// Google Reader stream ids.
const (
	grReadingList = "user/-/state/com.google/reading-list"
	grRead        = "user/-/state/com.google/read"
	grStarred     = "user/-/state/com.google/starred"
	grLabel       = "user/-/label/"
	grItemPrefix  = "tag:google.com,2005:reader/item/"
)

// grIDs is how many ids one stream/items/ids call asks for; grContents how
// many items one stream/items/contents call asks for.
const (
	grIDs      = 10000
	grContents = 250
)

func (g *greader) login(ctx context.Context) error {
	if g.auth != "" {
		return nil
	}
	form := url.Values{"Email": {g.cred.username}, "Passwd": {g.cred.password}}
	if g.cred.username == "" {
		return &Error{Account: g.name, Auth: true, Msg: "a greader account needs a username and password_command"}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.base+"/accounts/ClientLogin", strings.NewReader(form.Encode()))
	if err != nil {
		return &Error{Account: g.name, Msg: fmt.Sprintf("the url %q is not usable: %v", redactURL(g.base), err)}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	body, _, err := g.do(req, false)
	if err != nil {
		return err
	}
	for _, line := range strings.Split(string(body), "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "Auth="); ok && v != "" {
			g.auth = v
			return nil
		}
	}
	return &Error{Account: g.name, Msg: fmt.Sprintf("%s answered the login with %s, not a Google Reader API login: check the account's url", g.host(), describe("", body))}
}

func (g *greader) call(ctx context.Context, method, path string, q url.Values, form url.Values) ([]byte, http.Header, error) {
	if err := g.login(ctx); err != nil {
		return nil, nil, err
	}
	if q == nil {
		q = url.Values{}
	}
	q.Set("output", "json")
	u := g.base + "/reader/api/0/" + path + "?" + q.Encode()
	var req *http.Request
	var err error
	if method == http.MethodPost {
		// Every POST carries the T token (Miniflux authenticates POSTs by
		// it alone; FreshRSS checks it as a CSRF token).
		if err := g.writeToken(ctx); err != nil {
			return nil, nil, err
		}
		if form == nil {
			form = url.Values{}
		}
		if g.token != "" {
			form.Set("T", g.token)
		}
		req, err = http.NewRequestWithContext(ctx, method, u, strings.NewReader(form.Encode()))
		if err == nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
	} else {
		req, err = http.NewRequestWithContext(ctx, method, u, nil)
	}
	if err != nil {
		return nil, nil, &Error{Account: g.name, Msg: fmt.Sprintf("the url %q is not usable: %v", redactURL(g.base), err)}
	}
	req.Header.Set("Authorization", "GoogleLogin auth="+g.auth)
	wantJSON := path != "edit-tag" && path != "subscription/edit" && path != "rename-tag" && path != "token"
	return g.do(req, wantJSON)
}

// writeToken fetches the T token writes need.
func (g *greader) writeToken(ctx context.Context) error {
	if g.token != "" {
		return nil
	}
	body, _, err := g.call(ctx, http.MethodGet, "token", nil, nil)
	if err != nil {
		return err
	}
	g.token = strings.TrimSpace(string(body))
	return nil
}

func (g *greader) subscriptions(ctx context.Context) ([]store.RemoteFeed, error) {
	body, _, err := g.call(ctx, http.MethodGet, "subscription/list", nil, nil)
	if err != nil {
		return nil, err
	}
	var res struct {
		Subscriptions []struct {
			ID         string `json:"id"`
			Title      string `json:"title"`
			URL        string `json:"url"`
			HTMLURL    string `json:"htmlUrl"`
			Categories []struct {
				ID    string `json:"id"`
				Label string `json:"label"`
			} `json:"categories"`
		} `json:"subscriptions"`
	}
	if err := g.decode("subscription/list", body, &res); err != nil {
		return nil, err
	}
	out := make([]store.RemoteFeed, 0, len(res.Subscriptions))
	for _, s := range res.Subscriptions {
		f := store.RemoteFeed{RemoteID: s.ID, Title: s.Title, FeedURL: s.URL, SiteURL: s.HTMLURL, Unread: -1}
		if len(s.Categories) > 0 {
			f.Category = s.Categories[0].Label
			if f.Category == "" {
				f.Category = strings.TrimPrefix(s.Categories[0].ID[strings.Index(s.Categories[0].ID, "/label/")+1:], "label/")
			}
		}
		out = append(out, f)
	}
	return out, nil
}

// itemID turns a Google Reader item id (long form or decimal) into the
// decimal form brief keeps.
func itemID(s string) string {
	if hex, ok := strings.CutPrefix(s, grItemPrefix); ok {
		if n, err := strconv.ParseUint(hex, 16, 64); err == nil {
			return strconv.FormatInt(int64(n), 10)
		}
	}
	return s
}

// ids lists a stream's item ids, following continuations.
func (g *greader) ids(ctx context.Context, q url.Values, first *time.Time) (map[string]bool, error) {
	out := map[string]bool{}
	cont := ""
	for {
		page := url.Values{}
		for k, v := range q {
			page[k] = v
		}
		page.Set("n", strconv.Itoa(grIDs))
		if cont != "" {
			page.Set("c", cont)
		}
		body, h, err := g.call(ctx, http.MethodGet, "stream/items/ids", page, nil)
		if err != nil {
			return nil, err
		}
		if first.IsZero() {
			*first = serverTime(h)
		}
		var res struct {
			ItemRefs []struct {
				ID string `json:"id"`
			} `json:"itemRefs"`
			Continuation json.RawMessage `json:"continuation"`
		}
		if err := g.decode("stream/items/ids", body, &res); err != nil {
			return nil, err
		}
		for _, r := range res.ItemRefs {
			out[itemID(r.ID)] = true
		}
		next := strings.Trim(string(res.Continuation), `"`)
		if next == "" || next == "0" || next == "null" || next == cont || len(res.ItemRefs) == 0 {
			return out, nil
		}
		cont = next
	}
}

type grItem struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Published int64  `json:"published"`
	Updated   int64  `json:"updated"`
	Author    string `json:"author"`
	Canonical []struct {
		Href string `json:"href"`
	} `json:"canonical"`
	Alternate []struct {
		Href string `json:"href"`
	} `json:"alternate"`
	Summary struct {
		Content string `json:"content"`
	} `json:"summary"`
	Content struct {
		Content string `json:"content"`
	} `json:"content"`
	Categories []string `json:"categories"`
	Origin     struct {
		StreamID string `json:"streamId"`
	} `json:"origin"`
}

// contents fetches items by id.
func (g *greader) contents(ctx context.Context, ids []string) ([]grItem, error) {
	form := url.Values{}
	for _, id := range ids {
		form.Add("i", id)
	}
	body, _, err := g.call(ctx, http.MethodPost, "stream/items/contents", nil, form)
	if err != nil {
		return nil, err
	}
	var res struct {
		Items []grItem `json:"items"`
	}
	if err := g.decode("stream/items/contents", body, &res); err != nil {
		return nil, err
	}
	return res.Items, nil
}

func (it *grItem) raw() rawEntry {
	r := rawEntry{id: itemID(it.ID), feed: it.Origin.StreamID, title: it.Title, author: it.Author,
		html: it.Content.Content}
	if r.html == "" {
		r.html = it.Summary.Content
	}
	if len(it.Canonical) > 0 {
		r.url = it.Canonical[0].Href
	} else if len(it.Alternate) > 0 {
		r.url = it.Alternate[0].Href
	}
	if it.Published > 0 {
		r.published = time.Unix(it.Published, 0)
	}
	if it.Updated > 0 {
		r.changed = time.Unix(it.Updated, 0)
	}
	for _, c := range it.Categories {
		switch {
		case strings.HasSuffix(c, "/state/com.google/read"):
			r.read = true
		case strings.HasSuffix(c, "/state/com.google/starred"):
			r.starred = true
		}
	}
	return r
}

// pull lists the unread and the starred ids and the ids of the items that
// arrived since the cursor (first sync: within the history window), fetches
// the contents of those the cache lacks, and applies the server's read and
// starred state to every cached entry (the state streams are the only way a
// Google Reader server tells what changed).
func (g *greader) pull(ctx context.Context, p *puller) (string, error) {
	var start time.Time
	unread, err := g.ids(ctx, url.Values{"s": {grReadingList}, "xt": {grRead}}, &start)
	if err != nil {
		return "", err
	}
	starred, err := g.ids(ctx, url.Values{"s": {grStarred}}, &start)
	if err != nil {
		return "", err
	}
	since := p.now.Add(-p.history)
	if p.cursor != "" {
		if n, err := strconv.ParseInt(p.cursor, 10, 64); err == nil {
			since = time.Unix(n, 0)
		}
	}
	recent, err := g.ids(ctx, url.Values{"s": {grReadingList}, "ot": {strconv.FormatInt(since.Unix(), 10)}}, &start)
	if err != nil {
		return "", err
	}
	var need []string
	for _, set := range []map[string]bool{unread, starred, recent} {
		for id := range set {
			if !p.known[id] {
				need = append(need, id)
				p.known[id] = true
			}
		}
	}
	// In id order (the server's ids are fixed-width, so sorting the strings
	// sorts the numbers): a page then holds the entries of few feeds, which
	// keeps the store's writes local and its recounts few.
	slices.Sort(need)
	if err := g.pullContents(ctx, p, need); err != nil {
		return "", err
	}
	changes, err := g.st.RemoteStateChanges(ctx, g.acctID, unread, starred)
	if err != nil {
		return "", err
	}
	// Where a local change waits too, the later change wins: ask the server
	// when it changed those entries (the item's "updated"; a server that does
	// not say loses to the local change).
	var ask []string
	for _, c := range changes {
		if c.Pending {
			ask = append(ask, c.RemoteID)
		}
	}
	when := map[string]time.Time{}
	for len(ask) > 0 {
		n := min(grContents, len(ask))
		items, err := g.contents(ctx, ask[:n])
		if err != nil {
			return "", err
		}
		ask = ask[n:]
		for _, it := range items {
			if it.Updated > 0 {
				when[itemID(it.ID)] = time.Unix(it.Updated, 0)
			}
		}
	}
	for i := range changes {
		changes[i].Changed = when[changes[i].RemoteID]
	}
	r, err := g.st.ApplyStateChanges(ctx, changes)
	if err != nil {
		return "", err
	}
	g.result.Written += r.Written
	g.result.Superseded += r.Superseded
	if start.IsZero() {
		start = p.now
	}
	// ot is compared with publication dates by some servers (Miniflux) and
	// crawl times by others (FreshRSS): a day of overlap catches entries
	// published a little before they were fetched; ids already cached cost
	// nothing more.
	return strconv.FormatInt(start.Add(-24*time.Hour).Unix(), 10), nil
}

// pullContents fetches the contents of the entries need, a page at a time,
// and stores each page; the next page is fetched while one is stored, so the
// server's time and brief's overlap.
func (g *greader) pullContents(ctx context.Context, p *puller, need []string) error {
	ctx, cancel := context.WithCancel(ctx)
	pages := make(chan mfPageResult, 1)
	go func() {
		defer close(pages)
		for len(need) > 0 {
			n := min(grContents, len(need))
			items, err := g.contents(ctx, need[:n])
			need = need[n:]
			raw := make([]rawEntry, 0, len(items))
			for i := range items {
				raw = append(raw, items[i].raw())
			}
			select {
			case pages <- mfPageResult{raw: raw, err: err}:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()
	defer func() {
		cancel()
		for range pages { // let the fetcher finish
		}
	}()
	for pg := range pages {
		if pg.err != nil {
			return pg.err
		}
		if err := p.store(ctx, pg.raw); err != nil {
			return err
		}
	}
	return nil
}

func (g *greader) push(ctx context.Context, field string, value bool, ids []string) error {
	if err := g.writeToken(ctx); err != nil {
		return err
	}
	tag := grRead
	if field == "starred" {
		tag = grStarred
	}
	form := url.Values{}
	if value {
		form.Set("a", tag)
	} else {
		form.Set("r", tag)
	}
	for _, id := range ids {
		form.Add("i", id)
	}
	_, _, err := g.call(ctx, http.MethodPost, "edit-tag", nil, form)
	return err
}

func (g *greader) addFeed(ctx context.Context, feedURL, category string) (string, error) {
	if err := g.writeToken(ctx); err != nil {
		return "", err
	}
	body, _, err := g.call(ctx, http.MethodPost, "subscription/quickadd", nil, url.Values{"quickadd": {feedURL}})
	if err != nil {
		return "", err
	}
	var res struct {
		NumResults int    `json:"numResults"`
		StreamID   string `json:"streamId"`
	}
	if err := g.decode("subscription/quickadd", body, &res); err != nil {
		return "", err
	}
	if res.NumResults == 0 || res.StreamID == "" {
		return "", &Error{Account: g.name, Msg: fmt.Sprintf("the server found no feed at %s", feedURL)}
	}
	if category != "" {
		if _, _, err := g.call(ctx, http.MethodPost, "subscription/edit", nil,
			url.Values{"ac": {"edit"}, "s": {res.StreamID}, "a": {grLabel + category}}); err != nil {
			return "", err
		}
	}
	return res.StreamID, nil
}

func (g *greader) removeFeed(ctx context.Context, remoteID string) error {
	if err := g.writeToken(ctx); err != nil {
		return err
	}
	_, _, err := g.call(ctx, http.MethodPost, "subscription/edit", nil, url.Values{"ac": {"unsubscribe"}, "s": {remoteID}})
	return err
}

func (g *greader) renameCategory(ctx context.Context, from, to string) error {
	if err := g.writeToken(ctx); err != nil {
		return err
	}
	_, _, err := g.call(ctx, http.MethodPost, "rename-tag", nil, url.Values{"s": {grLabel + from}, "dest": {grLabel + to}})
	return err
}
