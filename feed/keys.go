package feed

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// This file gives every item a key that identifies it within its feed
// from one refresh to the next.

// assignKeys gives every draft its stable key:
//
//   - "guid:" + GUID when the GUID is unique in the feed;
//   - "url:" + NormalizeURL(link) for items without a GUID (tracking
//     parameters and fragments do not change it);
//   - "hash:" + a hash of the raw title and body for items with neither.
//
// Some feeds put one GUID (or, without GUIDs, one link) on different items;
// such items are told apart by adding "#" and their link, or their hash when
// the link is shared too. Copies of one item (same GUID, link and content)
// keep the plain key and are dropped as duplicates later. The key does not
// depend on dates or item order, so a changed pubDate or a reordered feed
// keeps every key.
func assignKeys(ds []draft) {
	// Count the different items behind each GUID, GUID and link, and link.
	guids, pairs, urls := variants{}, variants{}, variants{}
	for _, d := range ds {
		if g := d.item.GUID; g != "" {
			guids.add(g, d.normURL+"\x00"+d.hash)
			pairs.add(g+"#"+d.normURL, d.hash)
		} else if d.normURL != "" {
			urls.add(d.normURL, d.hash)
		}
	}
	for i := range ds {
		d := &ds[i]
		g := d.item.GUID
		var key string
		switch {
		case g != "" && guids.unique(g):
			key = "guid:" + g
		case g != "" && d.normURL != "" && pairs.unique(g+"#"+d.normURL):
			key = "guid:" + g + "#" + d.normURL
		case g != "":
			key = "guid:" + g + "#hash:" + d.hash
		case d.normURL != "" && urls.unique(d.normURL):
			key = "url:" + d.normURL
		case d.normURL != "":
			key = "url:" + d.normURL + "#hash:" + d.hash
		default:
			key = "hash:" + d.hash
		}
		d.item.Key = capKey(key)
	}
}

// variants records, for each identity, whether different items claim it:
// the first variant seen, and whether another one came after it.
type variants map[string]variant

// variant is the first item that claimed an identity, and whether a
// different one claimed it too.
type variant struct {
	first string
	many  bool
}

// add records that the item described by v claims id.
func (vs variants) add(id, v string) {
	old, ok := vs[id]
	switch {
	case !ok:
		vs[id] = variant{first: v}
	case !old.many && old.first != v:
		vs[id] = variant{first: old.first, many: true}
	}
}

// unique reports whether a single item (maybe repeated) claims id.
func (vs variants) unique(id string) bool { return !vs[id].many }

// capKey replaces a key longer than maxKey by its kind and a hash.
func capKey(key string) string {
	if len(key) <= maxKey {
		return key
	}
	kind, _, _ := strings.Cut(key, ":")
	sum := sha256.Sum256([]byte(key))
	return kind + ":sha256:" + hex.EncodeToString(sum[:])
}

// contentHash identifies an item without GUID or link by its raw title and
// body (not by the cleaned text, so that improving the cleaning does not
// change keys).
func contentHash(title, body string) string {
	h := sha256.New()
	h.Write([]byte(strings.TrimSpace(title)))
	h.Write([]byte{0})
	h.Write([]byte(strings.TrimSpace(body)))
	return hex.EncodeToString(h.Sum(nil)[:16])
}
