package store_test

import (
	"fmt"
	"os"
	"testing"
)

// benchDir holds the 100,000-article database the benchmarks share (built
// once per run); TestMain removes it at the end.
var benchDir string

// tempDir returns benchDir, creating it on first use.
func tempDir() (string, error) {
	if benchDir == "" {
		d, err := os.MkdirTemp("", "brief-bench-")
		if err != nil {
			return "", err
		}
		benchDir = d
	}
	return benchDir, nil
}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir != "" {
		if err := os.RemoveAll(benchDir); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
	}
	os.Exit(code)
}
