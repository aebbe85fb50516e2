package feed

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/mmcdole/gofeed"
)

// This file reads JSON Feeds, repairing damaged ones (truncated, or with
// members of the wrong type), and "RSS in JSON".

// decodeJSON parses a JSON Feed. A feed that is truncated or has fields of
// the wrong type (a string where a list of tags belongs) is repaired: what
// could be read is kept, with a warning.
func decodeJSON(doc []byte) (*gofeed.Feed, []string, error) {
	var warnings []string
	if len(doc) > bigJSON { // maybe a huge number of items: read only maxItems
		if fixed, capped, ok := repairJSON(doc, maxItems); ok && capped {
			doc = fixed
			warnings = append(warnings, fmt.Sprintf("feed: the feed has more than %d items; showing the first %d", maxItems, maxItems))
		}
	}
	f, err := runGofeed(doc)
	if err != nil {
		fixed, _, ok := repairJSON(doc, maxItems)
		if !ok {
			return nil, nil, &ParseError{Msg: "feed: malformed JSON Feed: " + quoteErr(err), Err: err}
		}
		f2, err2 := runGofeed(fixed)
		if err2 != nil {
			return nil, nil, &ParseError{Msg: "feed: malformed JSON Feed: " + quoteErr(err), Err: err}
		}
		f = f2
		warnings = append(warnings, fmt.Sprintf("feed: the JSON Feed is damaged (%s); showing the %d items that could be read",
			quoteErr(err), len(f.Items)))
	}
	if !strings.Contains(f.FeedVersion, "jsonfeed") && len(f.Items) == 0 && f.Title == "" {
		if f2 := decodeRSSInJSON(doc); f2 != nil {
			return f2, warnings, nil
		}
		return nil, nil, &NotFeedError{Reason: "a JSON document that is not a JSON Feed"}
	}
	return f, warnings, nil
}

// decodeRSSInJSON reads "RSS in JSON" (an RSS 2.0 channel written as JSON,
// {"rss": {"channel": {…, "item": […]}}}, as Scripting News publishes it) by
// rewriting it as a JSON Feed; nil when doc is not that.
func decodeRSSInJSON(doc []byte) *gofeed.Feed {
	obj, _ := salvageJSONObject(doc, maxItems)
	rss, _ := obj["rss"].(map[string]any)
	channel, _ := rss["channel"].(map[string]any)
	if channel == nil {
		return nil
	}
	str := func(m map[string]any, k string) any {
		switch v := m[k].(type) {
		case string:
			return v
		case map[string]any: // {"#value": …} or {"value": …} for elements with attributes
			for _, vk := range []string{"#value", "value", "#text"} {
				if s, ok := v[vk].(string); ok {
					return s
				}
			}
		}
		return nil
	}
	list := channel["item"]
	if one, ok := list.(map[string]any); ok {
		list = []any{one}
	}
	raw, _ := list.([]any)
	items := make([]any, 0, len(raw))
	for _, r := range raw {
		it, ok := r.(map[string]any)
		if !ok {
			continue
		}
		jf := map[string]any{"id": str(it, "guid"), "url": str(it, "link"), "title": str(it, "title"),
			"content_html": str(it, "description"), "date_published": str(it, "pubDate")}
		for _, k := range []string{"author", "dc:creator"} {
			if a := str(it, k); a != nil {
				jf["authors"] = []any{map[string]any{"name": a}}
				break
			}
		}
		items = append(items, jf)
	}
	feed := map[string]any{"version": "https://jsonfeed.org/version/1.1", "title": str(channel, "title"),
		"home_page_url": str(channel, "link"), "description": str(channel, "description"), "items": items}
	coerceJSONFeed(feed)
	out, err := json.Marshal(feed)
	if err != nil {
		return nil
	}
	f, err := runGofeed(out)
	if err != nil {
		return nil
	}
	return f
}

// bigJSON is the size above which a JSON Feed is first read item by item, so
// that one of a million tiny items costs no more than maxItems of them.
const bigJSON = 4 << 20

// repairJSON reads as much of a JSON Feed object as it can (stopping at a
// truncation, keeping every complete item, and at most limit items), drops
// or fixes fields of the wrong type, and encodes the result again; capped
// says whether items were left unread.
func repairJSON(doc []byte, limit int) (out []byte, capped, ok bool) {
	obj, capped := salvageJSONObject(doc, limit)
	if obj == nil {
		return nil, false, false
	}
	coerceJSONFeed(obj)
	out, err := json.Marshal(obj)
	if err != nil {
		return nil, false, false
	}
	return out, capped, true
}

// salvageJSONObject decodes the members of the JSON object doc one by one,
// and the elements of its "items" array one by one, up to the first error or
// the limit-th item (then capped is true and the rest is not read).
func salvageJSONObject(doc []byte, limit int) (obj map[string]any, capped bool) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, false
	}
	obj = map[string]any{}
	for dec.More() {
		tok, err := dec.Token()
		key, ok := tok.(string)
		if err != nil || !ok {
			break
		}
		if key == "items" {
			items, complete := salvageJSONArray(dec, limit)
			obj[key] = items
			if !complete {
				capped = len(items) == limit
				break
			}
			continue
		}
		var v any
		if err := dec.Decode(&v); err != nil {
			break
		}
		obj[key] = v
	}
	return obj, capped
}

// salvageJSONArray decodes the elements of the array that starts at dec's
// next token up to the first error or the limit-th element; complete is
// false when it stopped early.
func salvageJSONArray(dec *json.Decoder, limit int) (items []any, complete bool) {
	items = []any{}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return items, false
	}
	for dec.More() {
		if len(items) == limit {
			return items, false
		}
		var v any
		if err := dec.Decode(&v); err != nil {
			return items, false
		}
		items = append(items, v)
	}
	_, err := dec.Token()
	return items, err == nil
}

// JSON Feed members that must be strings, at the top level and in items.
var (
	jsonFeedStrings = []string{"version", "title", "home_page_url", "feed_url", "description",
		"user_comment", "next_url", "icon", "favicon", "language"}
	jsonItemStrings = []string{"url", "external_url", "title", "content_html", "content_text",
		"summary", "image", "banner_image", "date_published", "date_modified", "language"}
)

// coerceJSONFeed removes or fixes the members of a decoded JSON Feed whose
// type gofeed would reject: non-string strings, a comma-separated string of
// tags, authors and attachments that are not objects.
func coerceJSONFeed(obj map[string]any) {
	keepStrings(obj, jsonFeedStrings)
	keepPeople(obj)
	items, _ := obj["items"].([]any)
	kept := make([]any, 0, len(items))
	for _, v := range items {
		it, ok := v.(map[string]any)
		if !ok {
			continue
		}
		keepStrings(it, jsonItemStrings)
		keepPeople(it)
		if id, ok := it["id"]; ok {
			switch id.(type) {
			case string, float64:
			default:
				delete(it, "id")
			}
		}
		switch tags := it["tags"].(type) {
		case nil:
		case []any:
			it["tags"] = onlyStrings(tags)
		case string:
			it["tags"] = strings.Split(tags, ",")
		default:
			delete(it, "tags")
		}
		if att, ok := it["attachments"]; ok {
			it["attachments"] = onlyObjects(att)
		}
		kept = append(kept, it)
	}
	obj["items"] = kept
}

// keepStrings deletes the named members of m that are not strings.
func keepStrings(m map[string]any, names []string) {
	for _, k := range names {
		if v, ok := m[k]; ok {
			if _, isString := v.(string); !isString {
				delete(m, k)
			}
		}
	}
}

// keepPeople makes m's "author" an object and "authors" a list of objects,
// each with string members only, or removes them.
func keepPeople(m map[string]any) {
	if a, ok := m["author"]; ok {
		if p, isObj := a.(map[string]any); isObj {
			keepStrings(p, []string{"name", "url", "avatar"})
		} else {
			delete(m, "author")
		}
	}
	if a, ok := m["authors"]; ok {
		people := onlyObjects(a)
		for _, p := range people {
			keepStrings(p.(map[string]any), []string{"name", "url", "avatar"})
		}
		m["authors"] = people
	}
}

// onlyStrings returns the strings among the elements of v (a []any or nil).
func onlyStrings(v any) []any {
	list, _ := v.([]any)
	out := []any{}
	for _, e := range list {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// onlyObjects returns the objects among the elements of v (a []any).
func onlyObjects(v any) []any {
	list, _ := v.([]any)
	out := []any{}
	for _, e := range list {
		if _, ok := e.(map[string]any); ok {
			out = append(out, e)
		}
	}
	return out
}
