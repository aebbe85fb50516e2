package store

import (
	"errors"
	"time"

	"github.com/brief-reader/brief/feed"
)

// ErrNotFound is returned when a looked-up row does not exist.
var ErrNotFound = errors.New("store: not found")

// FeedSpec is one feed as the dotfile lists it.
type FeedSpec struct {
	URL   string
	Title string // optional override of the feed's own title
	Tags  []string
}

// Feed is a feed of the dotfile with its fetch state and counts.
type Feed struct {
	ID           int64
	URL          string
	Title        string // the dotfile's title, else the feed's own, else the URL
	SiteURL      string
	Tags         []string
	ETag         string
	LastModified string
	LastFetched  time.Time // last successful fetch (200 or 304)
	LastError    string    // empty when the last fetch succeeded
	LastErrorAt  time.Time
	Warning      string    // problems of the last fetched feed that did not fail it (see FeedError.Warning); "" when none
	RetryAfter   time.Time // do not fetch before this
	Unread       int
	Total        int
	Account      string // the sync account the feed belongs to; "" for a dotfile feed
}

// Filter selects the articles of a list. The zero Filter is every article of every active feed.
type Filter struct {
	FeedID  int64  // 0: all active feeds
	Tag     string // "": any tag
	Unread  bool   // only unread
	Starred bool   // only starred
	Query   string // full-text query over titles and text ("": none)
	Sort    Sort   // the order of the list; "": SortNewest
	Match   *Query // a query of the query language, from Compile (nil: none); feed articles only
	Search  *Query // another, ANDed with Match (the reader's / search in a saved view)
	Ignored bool   // the articles the kill rules hide (and only those)
}

// ArticleRow is what the list shows of an article: no body.
type ArticleRow struct {
	ID        int64
	FeedID    int64 // 0 for a linked page (fetched in reader mode, in no feed)
	FeedTitle string
	Title     string
	URL       string
	Published time.Time // published, else updated, else first seen
	Read      bool
	Starred   bool
}

// Article is one article with its body and links.
type Article struct {
	ArticleRow
	Author     string
	Markdown   string
	Links      []feed.Link
	LinkedFrom int64    // for a linked page: the article it was first reached from (0 otherwise)
	AlsoIn     []string // the other feeds with a copy of its story (see AlsoIn)
}

// FeedError is one feed that failed, or whose last fetched document had
// problems that did not fail it, for the errors view.
type FeedError struct {
	FeedID     int64
	URL        string
	Title      string
	Error      string    // why the last fetch failed; "" when it did not
	At         time.Time // when it failed; for a feed with only a warning, when it was last fetched
	RetryAfter time.Time

	// Warning is what went wrong in the last document fetched (items
	// skipped, a damaged or oversized feed, duplicates dropped), joined with
	// "; " and at most maxWarning bytes long; "" when nothing did. It is
	// kept while the server answers "not modified" or the feed fails, and
	// replaced at the next document fetched.
	Warning string
}

// Progress reports a refresh under way.
type Progress struct {
	Total   int // feeds to refresh
	Done    int // feeds finished (fetched, not modified, failed or skipped)
	Failed  int
	New     int    // new articles stored so far
	Current string // URL of the feed that just finished ("" at the start)
}

// Summary is the outcome of a refresh.
type Summary struct {
	Feeds   int
	New     int
	Failed  int
	Skipped int         // feeds not fetched: Retry-After, or their refresh_interval (NotDue)
	NotDue  int         // of Skipped: feeds whose own refresh interval had not passed since their last fetch
	Errors  []FeedError // one per failed feed
	// Warnings has one entry per feed fetched in this refresh whose document
	// had problems that did not fail it: Warning set, Error "".
	Warnings []FeedError
	Elapsed  time.Duration

	// SkippedFeeds are the feeds not fetched because of Retry-After, with
	// their last error (ending "(retry after …)") and RetryAfter.
	SkippedFeeds []FeedError
}

// Counts are the totals of the three fixed lists, over active feeds.
type Counts struct {
	All     int
	Unread  int
	Starred int
}
