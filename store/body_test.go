package store

import (
	"strings"
	"testing"
)

func TestPackBodyRoundTrip(t *testing.T) {
	long := strings.Repeat("Officials in several capitals repeated their calls for de-escalation. ", 40)
	for _, s := range []string{"", "short body", long, "Кабінет міністрів ухвалив програму. " + long} {
		b, err := packBody(s)
		if err != nil {
			t.Fatal(err)
		}
		if len(s) >= minDeflate && len(b) >= len(s)/2 {
			t.Errorf("%d bytes packed to %d, want less than half", len(s), len(b))
		}
		got, err := unpackBody(b)
		if err != nil || got != s {
			t.Errorf("round trip of %d bytes: got %d bytes, %v", len(s), len(got), err)
		}
	}
	if _, err := unpackBody([]byte{9, 1, 2}); err == nil {
		t.Error("unknown format: no error")
	}
	if _, err := unpackBody([]byte{bodyDeflate, 0xff, 0xff}); err == nil {
		t.Error("damaged deflate: no error")
	}
}
