package main

import (
	"context"
	"time"

	"github.com/brief-reader/brief/store"
)

// stopGrace is how long `brief refresh` waits, once SIGTERM or SIGINT ended
// its context, for the refresh to wind down (the fetches return at once; the
// writer commits what it holds) before it exits without it.
const stopGrace = 700 * time.Millisecond

// exitInterrupted is the exit status of a refresh stopped by a signal.
const exitInterrupted = 130

// refreshOutcome is what runRefresh's work returns.
type refreshOutcome struct {
	sum     store.Summary
	deleted int64
	accts   accountsSummary
	err     error
}

// untilStopped runs work and returns its result, or, when ctx ends and work
// has not returned within stopGrace, gives up on it (abandoned): the process
// is about to exit, and what work committed stays, as after kill -9, which
// the cache is built to survive.
func untilStopped[T any](ctx context.Context, work func() T) (result T, abandoned bool) {
	done := make(chan T, 1)
	go func() { done <- work() }()
	select {
	case r := <-done:
		return r, false
	case <-ctx.Done():
	}
	select {
	case r := <-done:
		return r, false
	case <-time.After(stopGrace):
		return result, true
	}
}
