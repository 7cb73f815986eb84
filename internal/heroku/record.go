package heroku

import (
	"context"
	"sync"
	"time"
)

// Call is one HTTP exchange with Heroku, kept as evidence: what was asked, what came
// back and how long it took. Each retry is its own Call. Status is 0 when no answer
// came (a timeout or a dropped connection). Path never carries a query string, so
// neither tokens nor signed URLs end up in evidence.
type Call struct {
	Method    string        `json:"method"`
	Path      string        `json:"path"`
	Status    int           `json:"status"`
	RequestID string        `json:"request_id,omitempty"`
	Duration  time.Duration `json:"duration"`
	// Cached is set when the answer was one already fetched in the same run (a
	// ReadCache): the request id is that of the request that fetched it.
	Cached bool `json:"cached,omitempty"`
	// Platform is set for a call to the Platform API, which counts against the
	// account's allowance (the status API and log streams do not).
	Platform bool `json:"-"`
}

// Recorder collects the calls made with a context from WithRecorder. It is safe for
// concurrent use.
type Recorder struct {
	mu     sync.Mutex
	calls  []Call
	parent *Recorder // the recorder of the enclosing context, which sees every call too
}

type recorderKey struct{}

// WithRecorder returns a context whose calls are recorded in the returned Recorder.
// A check runs with its own recorder, so concurrent checks keep separate evidence.
// A recorder inside another (a check's, inside an app's) hands each call to both.
func WithRecorder(ctx context.Context) (context.Context, *Recorder) {
	parent, _ := ctx.Value(recorderKey{}).(*Recorder)
	r := &Recorder{parent: parent}
	return context.WithValue(ctx, recorderKey{}, r), r
}

// Calls returns a copy of the calls recorded so far, in the order they ended.
func (r *Recorder) Calls() []Call {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Call(nil), r.calls...)
}

func (r *Recorder) add(c Call) {
	for ; r != nil; r = r.parent {
		r.mu.Lock()
		r.calls = append(r.calls, c)
		r.mu.Unlock()
	}
}

// record hands a call to the context's recorder, if any, and to the client's hook.
func record(ctx context.Context, hook func(Call), c Call) {
	if r, ok := ctx.Value(recorderKey{}).(*Recorder); ok {
		r.add(c)
	}
	if hook != nil {
		hook(c)
	}
}
