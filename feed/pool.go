package feed

import (
	"context"
	"net"
	"net/url"
	"strings"
)

// FetchAll fetches every request with at most Options.Concurrency downloads in
// total and Options.PerHost per server (host:port). It sends exactly one Result
// per Request on the returned channel, in completion order, and closes the
// channel after the last one. One feed's failure never affects the others; a
// slow or silent server only holds its own slots (at most PerHost workers, and
// the least busy server is always served first). When ctx is cancelled, running
// downloads stop and the requests not yet started get a Result whose Err wraps
// ctx.Err(). The channel holds at most resultsPerWorker Results per worker:
// when the reader (a single database writer) falls behind, the workers wait
// for it instead of piling up parsed feeds, so memory stays bounded however
// many feeds and workers there are. The reader must read every Result (or
// cancel ctx and drain the channel).
func (c *Client) FetchAll(ctx context.Context, reqs []Request) <-chan Result {
	out := make(chan Result, min(len(reqs), resultsPerWorker*c.opts.Concurrency))
	go c.schedule(ctx, reqs, out)
	return out
}

// resultsPerWorker bounds the Results FetchAll keeps waiting for its reader.
const resultsPerWorker = 2

// hostQueue holds the requests of one server not yet started, and how many
// of its downloads are running.
type hostQueue struct {
	pending []Request
	active  int
}

type fetchJob struct {
	req Request
	q   *hostQueue
}

// schedule runs a fixed pool of workers and hands each free worker the next
// request of the least busy server that is under its per-host limit, so a
// busy server never blocks the workers while other servers have work.
func (c *Client) schedule(ctx context.Context, reqs []Request, out chan<- Result) {
	defer close(out)
	queues := groupByHost(reqs)
	jobs := make(chan fetchJob)
	done := make(chan *hostQueue)
	for range min(c.opts.Concurrency, len(reqs)) {
		go func() {
			for j := range jobs {
				out <- c.Fetch(ctx, j.req)
				done <- j.q
			}
		}()
	}
	defer close(jobs)

	waiting, running, cursor := len(reqs), 0, 0
	ctxDone := ctx.Done()
	for waiting > 0 || running > 0 {
		var (
			send chan fetchJob
			job  fetchJob
			at   int
		)
		if waiting > 0 && ctx.Err() == nil {
			if at = pickHost(queues, cursor, c.opts.PerHost); at >= 0 {
				send, job = jobs, fetchJob{req: queues[at].pending[0], q: queues[at]}
			}
		}
		select {
		case send <- job:
			job.q.pending = job.q.pending[1:]
			job.q.active++
			waiting--
			running++
			cursor = (at + 1) % len(queues)
		case q := <-done:
			q.active--
			running--
		case <-ctxDone:
			ctxDone = nil
			for _, q := range queues {
				for _, r := range q.pending {
					out <- canceledResult(ctx, r)
				}
				q.pending = nil
			}
			waiting = 0
		}
	}
}

// pickHost returns the index of the queue with pending work, under the
// per-host limit and with the fewest running downloads (ties go round-robin
// from cursor), or -1 when none may start now.
func pickHost(queues []*hostQueue, cursor, perHost int) int {
	best := -1
	for i := range queues {
		at := (cursor + i) % len(queues)
		q := queues[at]
		if len(q.pending) == 0 || q.active >= perHost {
			continue
		}
		if best < 0 || q.active < queues[best].active {
			best = at
		}
	}
	return best
}

// groupByHost splits reqs into one queue per server, in order of first
// appearance, keeping the order of the requests within each server.
func groupByHost(reqs []Request) []*hostQueue {
	index := map[string]*hostQueue{}
	var queues []*hostQueue
	for _, r := range reqs {
		k := hostKey(r.URL)
		q := index[k]
		if q == nil {
			q = &hostQueue{}
			index[k] = q
			queues = append(queues, q)
		}
		q.pending = append(q.pending, r)
	}
	return queues
}

// hostKey identifies the server of a URL for the per-host limit: lower-case
// host and port, the default port filled in (different ports are different
// servers). An unparsable URL gets "" (Fetch refuses it at once anyway).
func hostKey(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	port := u.Port()
	if port == "" {
		port = "80"
		if strings.EqualFold(u.Scheme, "https") {
			port = "443"
		}
	}
	return net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

// canceledResult is the Result of a request that was never started because
// ctx ended first.
func canceledResult(ctx context.Context, r Request) Result {
	err := ctx.Err()
	return Result{
		URL:          r.URL,
		ETag:         r.ETag,
		LastModified: r.LastModified,
		Err:          netErr(err, nil, "feed: not fetched: %v", err),
	}
}
