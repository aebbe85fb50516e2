package ui

import (
	"github.com/brief-reader/brief/feed"
)

// histEntry is one step of the reader's history: an article, where it was
// scrolled to and which link was selected.
type histEntry struct {
	id   int64
	y    int
	link int
}

// navigator is the reader's link following, apart from any store: the
// latest follow (seq: older replies are dropped), the page being fetched in
// reader mode ("" when none), the links that could not be followed this
// session and why (by linkKey), and the browser-like back/forward history.
type navigator struct {
	seq       int
	fetching  string
	failed    map[string]string
	back, fwd []histEntry
}

// linkKey identifies where a link leads: its normalised URL, or the title
// of a title-only link.
func linkKey(l feed.Link) string {
	if l.URL != "" {
		if n := feed.NormalizeURL(l.URL); n != "" {
			return "url " + n
		}
		return "url " + l.URL
	}
	return "title " + feed.CleanText(l.Text)
}

// follow starts a new follow and returns its seq: a follow under way (and
// its fetch) no longer applies.
func (n *navigator) follow() int {
	n.seq++
	n.fetching = ""
	return n.seq
}

// latest reports whether a reply with seq answers the latest follow.
func (n navigator) latest(seq int) bool { return seq == n.seq }

// fetch records that the latest follow fetches url.
func (n *navigator) fetch(url string) { n.fetching = url }

// resolved records that l was followed: it no longer counts as failed.
func (n *navigator) resolved(l feed.Link) {
	n.fetching = ""
	delete(n.failed, linkKey(l))
}

// fail records that following l failed; a reason ("" when the failure says
// nothing about the link, e.g. a database hiccup) is kept for the session.
// It reports whether a reason was recorded.
func (n *navigator) fail(l feed.Link, reason string) bool {
	n.fetching = ""
	if reason == "" {
		return false
	}
	if n.failed == nil {
		n.failed = map[string]string{}
	}
	n.failed[linkKey(l)] = reason
	return true
}

// failure is why following l failed this session, or "".
func (n navigator) failure(l feed.Link) string {
	return n.failed[linkKey(l)]
}

// failures are the links of links that failed this session, by Link.N, with
// why; nil when none.
func (n navigator) failures(links []feed.Link) map[int]string {
	if len(n.failed) == 0 {
		return nil
	}
	var out map[int]string
	for _, l := range links {
		if why := n.failure(l); why != "" {
			if out == nil {
				out = map[int]string{}
			}
			out[l.N] = why
		}
	}
	return out
}

// visit records that the reader leaves cur (when ok) for another article:
// cur goes onto the back history and the forward history is dropped.
func (n *navigator) visit(cur histEntry, ok bool) {
	if ok {
		n.back = append(n.back, cur)
		n.fwd = nil
	}
}

// step goes one entry back (or forward): it pops that history's last entry,
// pushes cur (when ok) onto the other one and cancels a follow under way.
// left is how many entries remain in the direction taken; found is false
// when that history is empty.
func (n *navigator) step(forward bool, cur histEntry, ok bool) (e histEntry, left int, found bool) {
	from, to := &n.back, &n.fwd
	if forward {
		from, to = to, from
	}
	if len(*from) == 0 {
		return histEntry{}, 0, false
	}
	e = (*from)[len(*from)-1]
	*from = (*from)[:len(*from)-1]
	if ok {
		*to = append(*to, cur)
	}
	n.follow()
	return e, len(*from), true
}

func (n navigator) canBack() bool    { return len(n.back) > 0 }
func (n navigator) canForward() bool { return len(n.fwd) > 0 }
