package heroku

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestPutSource(t *testing.T) {
	const sig = "sig=9c1e77a0d2b4f6"
	tarball := bytes.Repeat([]byte{0x1f, 0x8b, 0, 1}, 1000)
	var mu sync.Mutex // the slow answer outlives its request
	var gotAuth, gotType, gotQuery []string
	var gotBody []byte
	c, srv := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		gotAuth = append(gotAuth, r.Header.Get("Authorization"))
		gotType = append(gotType, r.Header.Get("Content-Type"))
		gotQuery = append(gotQuery, r.URL.RawQuery)
		gotBody = body
		mu.Unlock()
		if r.Method != http.MethodPut {
			t.Errorf("method %s, want PUT", r.Method)
		}
		switch r.URL.Path {
		case "/sources/ok":
			w.WriteHeader(http.StatusOK) // S3 answers an empty 200
		case "/sources/expired":
			herokuError(w, http.StatusForbidden, "forbidden", "This source URL expired", "")
		case "/sources/slow":
			time.Sleep(time.Second)
		}
	}))

	ctx, rec := WithRecorder(context.Background())
	if err := c.PutSource(ctx, srv.URL+"/sources/ok?"+sig, tarball); err != nil {
		t.Fatalf("PutSource: %v", err)
	}
	mu.Lock()
	if !bytes.Equal(gotBody, tarball) {
		t.Errorf("the server got %d bytes, want the %d of the tarball", len(gotBody), len(tarball))
	}
	if gotAuth[0] != "" || gotType[0] != "" || gotQuery[0] != sig {
		t.Errorf("Authorization %q, Content-Type %q, query %q: want no credentials, no type and the signed query", gotAuth[0], gotType[0], gotQuery[0])
	}
	mu.Unlock()
	calls := rec.Calls()
	if len(calls) != 1 || calls[0].Path != "/sources/ok" || calls[0].Status != http.StatusOK {
		t.Errorf("evidence %+v, want one PUT of /sources/ok answered 200", calls)
	}

	tests := []struct {
		path, want string
	}{
		{"/sources/expired", "403 forbidden"},
		{"/sources/slow", "did not answer"},
	}
	for _, tt := range tests {
		err := c.PutSource(context.Background(), srv.URL+tt.path+"?"+sig, tarball)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want one saying %q", tt.path, err, tt.want)
			continue
		}
		if strings.Contains(err.Error(), sig) {
			t.Errorf("%s: the error shows the URL's signature: %v", tt.path, err)
		}
		assertNoToken(t, err.Error())
	}
	mu.Lock()
	for _, a := range gotAuth {
		if a != "" {
			t.Errorf("an upload carried Authorization %q", a)
		}
	}
	mu.Unlock()
	if err := c.PutSource(context.Background(), "ftp://example.com/x", tarball); err == nil {
		t.Error("an ftp:// put_url was accepted")
	}
}
