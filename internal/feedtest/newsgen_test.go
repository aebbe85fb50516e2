package feedtest

import (
	"strings"
	"testing"
)

func TestGenerateNewsShape(t *testing.T) {
	items := GenerateNews("http://x.test", 3, 50)
	if len(items) != 50 {
		t.Fatalf("got %d items, want 50", len(items))
	}
	seen := map[string]bool{}
	for _, it := range items {
		if n := len(it.Content); n < 2048 || n > 4096+512 {
			t.Errorf("%s: content is %d bytes, want 2–4 KB", it.GUID, n)
		}
		for _, want := range []string{"<img ", "<a href=", "Read also:", "<blockquote>"} {
			if !strings.Contains(it.Content, want) {
				t.Errorf("%s: content lacks %q", it.GUID, want)
			}
		}
		if seen[it.GUID] {
			t.Errorf("duplicate GUID %s", it.GUID)
		}
		seen[it.GUID] = true
	}
	again := GenerateNews("http://x.test", 3, 50)
	if again[7].Content != items[7].Content {
		t.Error("GenerateNews is not reproducible")
	}
}
