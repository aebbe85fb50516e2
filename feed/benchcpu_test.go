package feed

import (
	"time"

	"github.com/brief-reader/brief/internal/feedtest"
)

// processCPU returns the CPU time the process has used so far, so that
// benchmarks can report it next to the wall time, which a busy machine
// makes unreliable (feedtest.ProcessCPU).
func processCPU() time.Duration { return feedtest.ProcessCPU() }
