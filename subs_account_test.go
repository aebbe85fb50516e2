package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/brief-reader/brief/internal/feedtest"
	"github.com/brief-reader/brief/internal/minifluxtest"
	"github.com/brief-reader/brief/internal/subs"
)

// Issue 8, accounts: `brief add --account NAME URL` subscribes the account on
// the real Miniflux (the server's discovery turns a page into its feed) and
// leaves the dotfile alone; `brief export --all` then writes the account's
// subscriptions in a folder named after it, its categories inside, and an
// import of that export reads them back with both as tags.
func TestAddToAccountAndExportAll(t *testing.T) {
	srv := minifluxtest.Require(t)
	ctx := context.Background()
	if err := srv.NewUser(ctx, "subsacct"); err != nil {
		t.Fatal(err)
	}
	fs := newsServer(t) // a page naming /feed.xml and /comments.xml
	fs.Set("/local.xml", feedtest.RSS("Local", fs.URL(""), feedtest.Generate(fs.URL(""), 3, 2)), "")
	acct := fmt.Sprintf("[[account]]\nname = \"home\"\nkind = \"miniflux\"\nurl = %q\nusername = \"subsacct\"\npassword_command = \"echo %s\"\n",
		srv.URL, minifluxtest.Password("subsacct"))
	dot := writeAccountDotfile(t, fs.URL("/local.xml"), acct)
	db := filepath.Join(t.TempDir(), "brief.db")
	before := readString(t, dot)

	// Before any sync, export --all names the account and leaves it out.
	out, errs, code := runCmd(t, "", "export", "--all", "--config", dot, "--db", db)
	if code != 0 || !strings.Contains(errs, `account "home" has not synced yet`) || strings.Contains(out, `text="home"`) {
		t.Fatalf("export --all before a sync: exit %d, stderr %q, out %s", code, errs, out)
	}

	out, errs, code = runCmd(t, "", "add", "--account", "home", fs.URL("/"), "--tag", "Reading", "--config", dot, "--db", db)
	if code != 0 {
		t.Fatalf("add --account: exit %d: %s", code, errs)
	}
	if !strings.Contains(out, `added "Loopback News"`) || !strings.Contains(out, `to account "home" in "Reading"`) || !strings.Contains(out, "7 new articles") {
		t.Errorf("add --account said %q", out)
	}
	if readString(t, dot) != before {
		t.Error("add --account changed the dotfile")
	}
	got, err := srv.Query(ctx, `SELECT f.feed_url || ' ' || c.title FROM feeds f JOIN users u ON u.id = f.user_id
 JOIN categories c ON c.id = f.category_id WHERE u.username = 'subsacct'`)
	if err != nil {
		t.Fatal(err)
	}
	if want := fs.URL("/feed.xml") + " Reading"; got != want {
		t.Errorf("the server has %q, want %q", got, want)
	}
	// The same feed again: the server's refusal, named.
	if _, errs, code := runCmd(t, "", "add", "--account", "home", fs.URL("/feed.xml"), "--config", dot, "--db", db); code != 1 || !strings.Contains(errs, `account "home"`) {
		t.Errorf("adding it twice: exit %d, %q", code, errs)
	}
	if _, errs, code := runCmd(t, "", "add", "--account", "work", fs.URL("/"), "--config", dot, "--db", db); code != 1 || !strings.Contains(errs, `no [[account]] named "work"`) || !strings.Contains(errs, `"home"`) {
		t.Errorf("an unknown account: exit %d, %q", code, errs)
	}

	opml := filepath.Join(t.TempDir(), "all.opml")
	if out, errs, code := runCmd(t, "", "export", opml, "--all", "--config", dot, "--db", db); code != 0 || !strings.Contains(out, "exported 2 feeds") {
		t.Fatalf("export --all: exit %d, %q, %q", code, out, errs)
	}
	data, err := os.ReadFile(opml)
	if err != nil {
		t.Fatal(err)
	}
	list, err := subs.Read(data)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, e := range list.Entries {
		lines = append(lines, e.URL+" "+strings.Join(e.Tags, ","))
	}
	want := []string{fs.URL("/local.xml") + " ", fs.URL("/feed.xml") + " home,Reading"}
	if !slices.Equal(lines, want) {
		t.Errorf("export --all read back as %q, want %q\n%s", lines, want, data)
	}
	// Without --all, only the dotfile's feed.
	if out, _, _ := runCmd(t, "", "export", "--config", dot, "--db", db); strings.Contains(out, "feed.xml") {
		t.Errorf("export without --all has the account's feed:\n%s", out)
	}
}
