package journal

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dynodoc/dynodoc/internal/engine"
)

// killHelperEnv switches the test binary into killHelper, a process that journals
// until it is killed.
const killHelperEnv = "DYNODOC_JOURNAL_KILL_HELPER"

// synced is how many records the helper makes durable (in Syncs of ten) before the
// parent kills it; it goes on appending without Sync until the kill.
const synced = 200

// killHelper journals numbered records into dir, reporting on stdout its id and then
// each Sync that returned ("synced N"), and never stops on its own.
func killHelper(dir string) {
	w, err := Create(dir, testMeta(), Options{})
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	fmt.Println("id", w.ID())
	for i := 0; ; i++ {
		w.Append(engine.Record{Type: "select", Index: i, Block: -1, Note: strconv.Itoa(i)})
		if i < synced && i%10 == 9 {
			if err := w.Sync(); err != nil {
				fmt.Println("error", err)
				os.Exit(1)
			}
			fmt.Println("synced", i+1)
		}
		if i >= synced {
			time.Sleep(50 * time.Microsecond) // keeps the file small until the kill
		}
	}
}

// TestKilledWriterLosesNoSyncedRecord kills a journaling process with SIGKILL while it
// appends: every record synced before the kill is there, whole and in order, with no
// gap; a torn tail (if the kill tore one) is skipped with a note; and the journal
// resumes cleanly.
func TestKilledWriterLosesNoSyncedRecord(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), killHelperEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	watchdog := time.AfterFunc(30*time.Second, func() { cmd.Process.Kill() })
	defer watchdog.Stop()
	var id string
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 2 && f[0] == "id":
			id = f[1]
		case len(f) > 0 && f[0] == "error":
			t.Fatal(sc.Text())
		}
		if sc.Text() == fmt.Sprintf("synced %d", synced) {
			break
		}
	}
	time.Sleep(20 * time.Millisecond) // let it append unsynced records too
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if id == "" {
		t.Fatal("the helper never reported its journal")
	}

	path, _ := Path(dir, id)
	s, err := Read(path)
	if err != nil {
		t.Fatalf("the journal of a killed writer is unreadable: %v", err)
	}
	if len(s.Records) < synced {
		t.Fatalf("%d records survived the kill, want at least the %d synced", len(s.Records), synced)
	}
	for i, r := range s.Records {
		if r.Note != strconv.Itoa(i) {
			t.Fatalf("record %d is %q: a record was lost or reordered", i, r.Note)
		}
	}
	t.Logf("%d records on disk after the kill (%d synced), notes %q", len(s.Records), synced, s.Notes)

	w, err := Open(dir, id, Options{})
	if err != nil {
		t.Fatal(err)
	}
	w.Append(engine.Record{Type: "resume", Block: -1})
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	after, err := Read(path)
	if err != nil || len(after.Records) != len(s.Records)+1 || after.Records[len(s.Records)].Type != "resume" {
		t.Fatalf("resume after the kill: %d records, %v", len(after.Records), err)
	}
}
