package feed

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrProcessTimeout is matched (with errors.Is) by the error of a feed whose
// parsing and conversion passed Options.ProcessTimeout.
var ErrProcessTimeout = errors.New("feed: processing took too long")

// parsed is what a parse in the background hands back.
type parsed struct {
	f   *Feed
	err error
}

// parseWithin parses a downloaded feed (parseSafely) but gives up when ctx
// ends (SIGTERM, SIGINT) or Options.ProcessTimeout passes. Parsing is CPU
// work that does not look at a context, so it runs in its own goroutine:
// given up on, it finishes in the background (every step is linear in its
// capped input) and its result is dropped, while the caller, and the
// refresh, go on at once.
func (c *Client) parseWithin(ctx context.Context, body []byte, contentType, feedURL string) (*Feed, error) {
	done := make(chan parsed, 1)
	go func() {
		f, err := parseSafely(body, contentType, feedURL)
		done <- parsed{f, err}
	}()
	timer := time.NewTimer(c.opts.ProcessTimeout)
	defer timer.Stop()
	select {
	case p := <-done:
		return p.f, p.err
	case <-ctx.Done():
		return nil, fmt.Errorf("feed: stopped while reading the feed: %w", context.Cause(ctx))
	case <-timer.C:
		return nil, fmt.Errorf("%w: abandoned after %s (%s of feed)", ErrProcessTimeout, c.opts.ProcessTimeout, formatSize(int64(len(body))))
	}
}
