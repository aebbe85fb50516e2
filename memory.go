package main

import (
	"os"
	"runtime/debug"
)

// softMemoryLimit is the heap size the garbage collector works to stay
// under (unless GOMEMLIMIT says otherwise). Without it, Go lets the heap
// grow to twice what is live after each collection, so one large article
// being converted or rendered (a few tens of MB live) pushed the peak
// resident size past the 200 MB a refresh may use (issue 12). It is a soft
// limit: a larger live heap is still allowed, the collector just runs more.
const softMemoryLimit = 120 << 20

// limitMemory sets the soft memory limit, unless the user set GOMEMLIMIT.
func limitMemory() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(softMemoryLimit)
	}
}
