package dotfile

import (
	"os"
	"strings"
	"testing"
)

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestFeedBlocks(t *testing.T) {
	data := readFile(t, "testdata/commented.toml")
	blocks := FeedBlocks(data)
	if len(blocks) != 3 {
		t.Fatalf("got %d blocks, want 3 (the [[feed]] inside a string and the commented one are no blocks)", len(blocks))
	}
	wantLines := []int{8, 15, 21}
	wantStart := []string{"[[feed]]\nurl = \"https://feeds.bbci", "[[feed]]\n  url", "[[feed]]\nurl = \"https://hnrss"}
	wantEnd := []string{"\"news\"]  # two tags\n", "inside a multi-line string\"\"\"\n", "# \"quoted\" in a comment\n"}
	for i, b := range blocks {
		text := string(data[b.Start:b.End])
		if b.HeaderLine != wantLines[i] {
			t.Errorf("block %d: header line %d, want %d", i, b.HeaderLine, wantLines[i])
		}
		if !strings.HasPrefix(text, wantStart[i]) || !strings.HasSuffix(text, wantEnd[i]) {
			t.Errorf("block %d:\n%s\nwant it to start with %q and end with %q", i, text, wantStart[i], wantEnd[i])
		}
	}
}

func TestRemoveKeepsTheRest(t *testing.T) {
	data := readFile(t, "testdata/commented.toml")
	cases := []struct {
		block int
		gone  []string
		kept  []string
	}{
		{0, []string{"BBC World", "two tags"}, []string{"# ---- news ----\n\n# the BBC, world desk\n\n[[feed]]\n  url", "hourly is plenty"}},
		{1, []string{"odd-spacing", "multi-line string"}, []string{"# two tags\n\n# ---- tech ----\n[[feed]]"}},
		{2, []string{"hnrss", "Hacker News"}, []string{"# ---- tech ----\n\n# [[feed]]\n# url = \"https://commented.example/out.xml\"\n"}},
	}
	for _, c := range cases {
		out := string(Remove(data, FeedBlocks(data)[c.block]))
		for _, g := range c.gone {
			if strings.Contains(out, g) {
				t.Errorf("remove %d: %q is still there:\n%s", c.block, g, out)
			}
		}
		for _, k := range c.kept {
			if !strings.Contains(out, k) {
				t.Errorf("remove %d: %q is gone:\n%s", c.block, k, out)
			}
		}
		if strings.Contains(out, "\n\n\n") {
			t.Errorf("remove %d left two blank lines:\n%s", c.block, out)
		}
		if n := len(FeedBlocks([]byte(out))); n != 2 {
			t.Errorf("remove %d: %d blocks left, want 2", c.block, n)
		}
	}
}

func TestRemoveLastBlockAtEnd(t *testing.T) {
	data := []byte("a = 1\n\n[[feed]]\nurl = \"x\"\n\n[[feed]]\nurl = \"y\"\n")
	got := string(Remove(data, FeedBlocks(data)[1]))
	if want := "a = 1\n\n[[feed]]\nurl = \"x\"\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	got = string(Remove([]byte(got), FeedBlocks([]byte(got))[0]))
	if want := "a = 1\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestAppend(t *testing.T) {
	f := Feed{URL: "https://x.example/feed", Title: `Say "hi" \ there`, Tags: []string{"a b", "ü"}}
	block := "[[feed]]\nurl = \"https://x.example/feed\"\ntitle = \"Say \\\"hi\\\" \\\\ there\"\ntags = [\"a b\", \"ü\"]\n"
	cases := []struct{ name, in, want string }{
		{"empty file", "", block},
		{"settings only, no newline", "a = 1", "a = 1\n\n" + block},
		{"settings and a blank line", "a = 1\n\n", "a = 1\n\n" + block},
		{"after the last feed, before other tables",
			"[[feed]]\nurl = \"u\"\n# about accounts\n[[account]]\nname = \"m\"\n",
			"[[feed]]\nurl = \"u\"\n\n" + block + "\n# about accounts\n[[account]]\nname = \"m\"\n"},
		{"after the last feed, before its trailing comments",
			"[[feed]]\nurl = \"u\"\n\n# the end\n",
			"[[feed]]\nurl = \"u\"\n\n" + block + "\n# the end\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := string(Append([]byte(c.in), f)); got != c.want {
				t.Errorf("got\n%s\nwant\n%s", got, c.want)
			}
		})
	}
}

func TestCRLF(t *testing.T) {
	data := []byte("a = 1\r\n\r\n[[feed]]\r\nurl = \"u\"\r\n\r\n[[feed]]\r\nurl = \"v\"\r\n")
	got := string(Append(data, Feed{URL: "w"}))
	if want := string(data) + "\r\n[[feed]]\r\nurl = \"w\"\r\n"; got != want {
		t.Errorf("append: got %q, want %q", got, want)
	}
	got = string(Remove(data, FeedBlocks(data)[0]))
	if want := "a = 1\r\n\r\n[[feed]]\r\nurl = \"v\"\r\n"; got != want {
		t.Errorf("remove: got %q, want %q", got, want)
	}
}

func TestQuote(t *testing.T) {
	if got, want := Quote("a\tb\nc\x01\x7f\"\\"), `"a\tb\nc\u0001\u007F\"\\"`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}
