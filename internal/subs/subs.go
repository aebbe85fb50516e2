// Package subs reads and writes subscription lists: OPML 1.0/2.0 as written
// by other feed readers, newsboat's urls file, and brief's own OPML 2.0
// export. It turns a file into entries (URL, title, tags, the line they came
// from), lines it understood but will not import (skipped), and lines that
// are wrong (problems); it never fetches anything. Untrusted input is bounded:
// file size, outline count and nesting depth are capped and XML entity
// declarations are refused.
package subs

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/brief-reader/brief/feed"
)

// Limits on untrusted lists; a larger file is refused with a message.
const (
	MaxFileSize = 32 << 20 // bytes
	MaxOutlines = 20000    // <outline> elements (and lines of a urls file naming a feed)
	MaxDepth    = 64       // outlines nested in outlines
)

// Entry is one feed of a list.
type Entry struct {
	URL   string   // checked absolute http(s) URL
	Title string   // the list's title for it, or ""
	Tags  []string // folders (OPML) or tags (newsboat), without duplicates
	Line  int      // 1-based line of the file it came from
}

// Note is a line of a list that was skipped or is wrong, and why.
type Note struct {
	Line   int
	URL    string // what the line names, when anything
	Reason string
}

// String writes the note as "line N: reason".
func (n Note) String() string {
	if n.Line > 0 {
		return fmt.Sprintf("line %d: %s", n.Line, n.Reason)
	}
	return n.Reason
}

// List is what a subscription file holds.
type List struct {
	Format   string  // "OPML" or "newsboat urls"
	Entries  []Entry // the feeds to import, in file order
	Skipped  []Note  // understood but not imported: query feeds, repeats, outlines without a feed
	Problems []Note  // wrong: unsafe or invalid URLs; a list with problems should not be imported
}

// ErrNotList is matched by the errors of Read for files that are no
// subscription list at all.
var ErrNotList = errors.New("subs: not a subscription list")

// notList is an error of Read that matches ErrNotList.
type notList struct{ msg string }

func (e *notList) Error() string        { return e.msg }
func (e *notList) Is(target error) bool { return target == ErrNotList }

// Read recognises an OPML file or a newsboat urls file and reads it.
func Read(data []byte) (*List, error) {
	if len(data) > MaxFileSize {
		return nil, &notList{fmt.Sprintf("subs: the file is %d MiB; brief reads subscription lists of up to %d MiB", len(data)>>20, MaxFileSize>>20)}
	}
	text := feed.DecodeText(data)
	if len(bytes.TrimSpace(text)) == 0 {
		return nil, &notList{"subs: the file is empty"}
	}
	if bytes.HasPrefix(bytes.TrimSpace(text), []byte("<")) {
		return parseOPML(text)
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return nil, &notList{"subs: a binary file, neither OPML nor a newsboat urls file"}
	}
	l := parseURLs(text)
	if len(l.Entries) == 0 && len(l.Skipped) == 0 && len(l.Problems) > 0 {
		return nil, &notList{fmt.Sprintf("subs: neither OPML nor a newsboat urls file (%s)", l.Problems[0])}
	}
	return l, nil
}

// builder collects entries, merging repeats of a feed.
type builder struct {
	list  *List
	first map[string]int // normalised URL → index in list.Entries
}

func newBuilder(format string) *builder {
	return &builder{list: &List{Format: format}, first: map[string]int{}}
}

// add checks rawURL and records the feed, a repeat or a problem.
func (b *builder) add(line int, rawURL, title string, tags []string) {
	u, err := feed.CheckURL(rawURL)
	if err != nil {
		b.list.Problems = append(b.list.Problems, Note{Line: line, URL: feed.CleanText(rawURL),
			Reason: strings.TrimPrefix(err.Error(), "feed: ")})
		return
	}
	title = feed.CleanText(title)
	if title == u || title == rawURL {
		title = "" // readers write the URL when they know no title
	}
	var clean []string
	for _, t := range tags {
		if t = feed.CleanText(t); t != "" && !slices.Contains(clean, t) {
			clean = append(clean, t)
		}
	}
	key := feed.NormalizeURL(u)
	if i, ok := b.first[key]; ok {
		e := &b.list.Entries[i]
		for _, t := range clean {
			if !slices.Contains(e.Tags, t) {
				e.Tags = append(e.Tags, t)
			}
		}
		b.list.Skipped = append(b.list.Skipped, Note{Line: line, URL: u,
			Reason: fmt.Sprintf("%s is listed again (first at line %d); tags merged", u, e.Line)})
		return
	}
	b.first[key] = len(b.list.Entries)
	b.list.Entries = append(b.list.Entries, Entry{URL: u, Title: title, Tags: clean, Line: line})
}

func (b *builder) skip(line int, url, reason string) {
	b.list.Skipped = append(b.list.Skipped, Note{Line: line, URL: url, Reason: reason})
}
