// Package seed fills a brief store with synthetic feeds and articles, quickly
// and reproducibly, for benchmarks (store, ui) and the bench script. It goes
// through the store's own refresh path with an in-memory Fetcher, so the
// database it builds is exactly what real refreshes would build.
package seed

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/store"
)

// Options says what to generate. Zero fields take the defaults.
type Options struct {
	Feeds     int       // number of feeds, default 200
	Articles  int       // articles in total, spread evenly over the feeds, default 100,000
	Words     int       // words per article body, default 150
	ReadShare float64   // share of the feeds whose articles are all read, default 0.5 (negative: none)
	StarEvery int       // star every Nth article, default 97 (negative: none)
	Now       time.Time // date of the newest article, default 2026-01-01
	Seed      uint64    // random seed, default 1
}

func (o Options) withDefaults() Options {
	if o.Feeds <= 0 {
		o.Feeds = 200
	}
	if o.Articles <= 0 {
		o.Articles = 100_000
	}
	if o.Words <= 0 {
		o.Words = 150
	}
	if o.ReadShare == 0 {
		o.ReadShare = 0.5
	}
	if o.StarEvery == 0 {
		o.StarEvery = 97
	}
	if o.Now.IsZero() {
		o.Now = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	return o
}

// FeedURL is the URL of synthetic feed f (0-based).
func FeedURL(f int) string { return fmt.Sprintf("https://feed%d.seed.example/rss.xml", f) }

// ArticleURL is the URL of article i of synthetic feed f.
func ArticleURL(f, i int) string {
	return fmt.Sprintf("https://feed%d.seed.example/news/%d.html", f, i)
}

// Specs returns the dotfile entries of n synthetic feeds, with tags.
func Specs(n int) []store.FeedSpec {
	specs := make([]store.FeedSpec, n)
	for f := range specs {
		specs[f] = store.FeedSpec{URL: FeedURL(f), Title: fmt.Sprintf("Seed feed %d", f), Tags: []string{tags[f%len(tags)]}}
	}
	return specs
}

var tags = []string{"world", "tech", "science", "sport", "culture"}

// Stats describes a filled store.
type Stats struct {
	Feeds, Articles, Read, Starred int
	Elapsed                        time.Duration
}

// Fill registers the synthetic feeds in s (SyncFeeds with Specs, so other
// feeds become inactive) and stores their articles, then marks ReadShare of
// the feeds read and stars every StarEvery-th article. Filling an already
// filled store writes nothing new.
func Fill(ctx context.Context, s *store.Store, opts Options) (Stats, error) {
	o := opts.withDefaults()
	start := time.Now()
	if err := s.SyncFeeds(ctx, Specs(o.Feeds)); err != nil {
		return Stats{}, fmt.Errorf("seed: %w", err)
	}
	sum, err := s.Refresh(ctx, &Fetcher{Opts: o}, nil, nil)
	if err != nil {
		return Stats{}, fmt.Errorf("seed: %w", err)
	}
	if sum.Failed > 0 {
		return Stats{}, fmt.Errorf("seed: %d feeds failed: %s", sum.Failed, sum.Errors[0].Error)
	}
	feeds, err := s.Feeds(ctx)
	if err != nil {
		return Stats{}, fmt.Errorf("seed: %w", err)
	}
	st := Stats{Feeds: len(feeds)}
	share := max(o.ReadShare, 0)
	for i, f := range feeds {
		st.Articles += f.Total
		// Spread the read feeds evenly: feed i is read when the running
		// share steps up at i.
		if int(float64(i+1)*share) > int(float64(i)*share) {
			if _, err := s.MarkRead(ctx, store.Filter{FeedID: f.ID}); err != nil {
				return Stats{}, fmt.Errorf("seed: %w", err)
			}
		}
	}
	if o.StarEvery > 0 {
		if err := star(ctx, s, o.StarEvery); err != nil {
			return Stats{}, err
		}
	}
	c, err := s.Counts(ctx)
	if err != nil {
		return Stats{}, fmt.Errorf("seed: %w", err)
	}
	st.Read, st.Starred = c.All-c.Unread, c.Starred
	st.Elapsed = time.Since(start)
	return st, nil
}

// FillFile opens (creating it if needed) the database at path, fills it like
// Fill, and closes it.
func FillFile(ctx context.Context, path string, opts Options) (Stats, error) {
	s, err := store.Open(ctx, path)
	if err != nil {
		return Stats{}, err
	}
	st, err := Fill(ctx, s, opts)
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	return st, err
}

// star stars every nth article of the All list.
func star(ctx context.Context, s *store.Store, n int) error {
	const page = 2000
	for off := 0; ; off += page {
		rows, err := s.Articles(ctx, store.Filter{}, off, page)
		if err != nil {
			return fmt.Errorf("seed: %w", err)
		}
		for i := n - 1 - off%n; i < len(rows); i += n {
			if err := s.SetStarred(ctx, rows[i].ID, true); err != nil {
				return fmt.Errorf("seed: %w", err)
			}
		}
		if len(rows) < page {
			return nil
		}
	}
}

// Fetcher is a store.Fetcher that makes up the synthetic feeds in memory,
// one Result per Request, without any network.
type Fetcher struct {
	Opts Options
}

// FetchAll generates a feed for every request whose URL is a FeedURL.
func (g *Fetcher) FetchAll(ctx context.Context, reqs []feed.Request) <-chan feed.Result {
	o := g.Opts.withDefaults()
	out := make(chan feed.Result, 4)
	go func() {
		defer close(out)
		for _, r := range reqs {
			res := feed.Result{URL: r.URL, ETag: `"seed"`}
			var f int
			if _, err := fmt.Sscanf(r.URL, "https://feed%d.seed.example/rss.xml", &f); err != nil {
				res.Err = fmt.Errorf("seed: not a seed feed: %s", r.URL)
			} else if r.ETag == res.ETag {
				res.NotModified = true
			} else {
				res.Feed = Generate(o, f)
			}
			select {
			case out <- res:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// Generate returns synthetic feed f of o: o.Articles/o.Feeds items (the
// remainder goes to the first feeds), newest first, with bodies of o.Words
// words holding three numbered links: one to another article of the same
// feed, a "Read also" link to an article of the next feed, and an external one.
func Generate(opts Options, f int) *feed.Feed {
	o := opts.withDefaults()
	n := o.Articles / o.Feeds
	if f < o.Articles%o.Feeds {
		n++
	}
	rng := rand.New(rand.NewPCG(o.Seed, uint64(f)))
	out := &feed.Feed{
		Title:   fmt.Sprintf("Seed feed %d", f),
		SiteURL: fmt.Sprintf("https://feed%d.seed.example/", f),
		Items:   make([]feed.Item, n),
	}
	// The feeds interleave over the same period: article i of every feed
	// is about i*step before Now.
	step := 30 * 24 * time.Hour / time.Duration(max(n, 1))
	for i := range out.Items {
		title := sentence(rng, 6+rng.IntN(6))
		other := ArticleURL(f, (i+1)%n)
		also := ArticleURL((f+1)%o.Feeds, i)
		alsoTitle := fmt.Sprintf("Article %d of feed %d", i, (f+1)%o.Feeds)
		text := sentence(rng, o.Words)
		md := fmt.Sprintf("%s\n\nMore in the previous story [1].\n\nRead also: %s [2]\n\nSource: wire service [3]\n", text, alsoTitle)
		out.Items[i] = feed.Item{
			Key:       fmt.Sprintf("guid:seed-%d-%d", f, i),
			GUID:      fmt.Sprintf("seed-%d-%d", f, i),
			URL:       ArticleURL(f, i),
			Title:     title,
			Author:    "Seed Reporter",
			Published: o.Now.Add(-time.Duration(i)*step - time.Duration(f)*time.Second),
			Body: feed.Body{
				Markdown: md,
				Text:     text + " More in the previous story. Read also: " + alsoTitle + " Source: wire service",
				Links: []feed.Link{
					{N: 1, Text: "previous story", URL: other},
					{N: 2, Text: alsoTitle, URL: also, ReadAlso: true},
					{N: 3, Text: "wire service", URL: "https://wire.example/story/" + fmt.Sprint(rng.IntN(1_000_000))},
				},
			},
		}
	}
	return out
}

// sentence makes n words from the vocabulary, capitalised, with a full stop.
func sentence(rng *rand.Rand, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		w := vocabulary[rng.IntN(len(vocabulary))]
		if i == 0 {
			w = strings.ToUpper(w[:1]) + w[1:]
		}
		b.WriteString(w)
	}
	b.WriteByte('.')
	return b.String()
}

var vocabulary = strings.Fields(`the a of to in and for on with by at from as says after over new
government minister president election vote parliament court police city country war peace talks deal
market economy bank prices energy oil gas climate storm flood heat record study scientists health
hospital school students teachers company workers strike union technology phone software data privacy
security attack army border refugees aid water food farmers harvest football match team coach season
final film festival music album artist museum book author award space rocket moon mission satellite
ukraine europe america asia africa london paris berlin kyiv warsaw rome madrid lisbon tokyo delhi`)
