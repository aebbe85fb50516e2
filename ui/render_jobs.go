package ui

import (
	"context"
	"sync"

	tea "github.com/charmbracelet/bubbletea"
)

// renderJobs runs article renders: one render per key at a time (a second
// request for a key being rendered waits for that render instead of
// starting another), and a new render cancels every render of another key,
// which it supersedes (the reader shows one article at one width). Each
// star, resize or reopen used to start another full render. It is shared by
// the copies of the Model (a pointer) and safe for concurrent use.
//
// Which render supersedes which is decided by the order of the requests
// (cmd is called in Update), not by the order in which bubbletea's
// goroutines happen to start them: on a loaded machine an older request can
// start after a newer one, and it must not cancel the newer (the reader then
// showed "Loading…" for good: the newer render was cancelled and the older
// one's result was stale).
type renderJobs struct {
	mu       sync.Mutex
	inflight map[renderKey]*renderJob
	issued   uint64 // requests made, in Update's order
	newest   uint64 // the newest request that has started
}

// renderJob is one render in progress; done is closed when doc or err is
// set.
type renderJob struct {
	cancel   context.CancelFunc // set by the goroutine running it, under renderJobs.mu
	canceled bool               // superseded before it had a cancel func
	done     chan struct{}
	doc      *renderedDoc
	err      error
}

func newRenderJobs() *renderJobs {
	return &renderJobs{inflight: map[renderKey]*renderJob{}}
}

// cmd returns the command that renders in (or waits for the render of its
// key already running) and reports articleRenderedMsg; a superseded render
// reports nothing.
func (j *renderJobs) cmd(in renderInput) tea.Cmd {
	key := in.key()
	j.mu.Lock()
	j.issued++
	seq := j.issued
	j.mu.Unlock()
	return func() tea.Msg {
		job, own := j.start(key, seq)
		if job == nil {
			return nil // a newer request has started: this one is superseded
		}
		if own {
			ctx, cancel := context.WithCancel(context.Background())
			j.mu.Lock()
			job.cancel = cancel
			canceled := job.canceled
			j.mu.Unlock()
			if canceled {
				cancel()
			}
			job.doc, job.err = renderArticleCtx(ctx, in)
			cancel()
			j.finish(key, job)
		}
		<-job.done
		if job.err != nil {
			return nil // superseded
		}
		return articleRenderedMsg{key: key, doc: job.doc}
	}
}

// start returns the job rendering key, and whether the caller is to run
// it (no render of key was in progress); a new job cancels the others. seq
// is the request's place in Update's order: a request older than one that
// has already started gets no job (nil), for it is superseded.
func (j *renderJobs) start(key renderKey, seq uint64) (*renderJob, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if job, ok := j.inflight[key]; ok {
		j.newest = max(j.newest, seq)
		return job, false
	}
	if seq < j.newest {
		return nil, false
	}
	j.newest = seq
	for k, other := range j.inflight {
		other.canceled = true
		if other.cancel != nil {
			other.cancel()
		}
		delete(j.inflight, k)
	}
	job := &renderJob{done: make(chan struct{})}
	j.inflight[key] = job
	return job, true
}

// finish marks job done and forgets it.
func (j *renderJobs) finish(key renderKey, job *renderJob) {
	j.mu.Lock()
	if j.inflight[key] == job {
		delete(j.inflight, key)
	}
	j.mu.Unlock()
	close(job.done)
}

// running reports how many renders are in progress (for tests).
func (j *renderJobs) running() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return len(j.inflight)
}
