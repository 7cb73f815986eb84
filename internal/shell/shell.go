// Package shell runs the shell blocks of a runbook: bash (sh where bash is missing) in
// its own process group, params passed only as environment variables, stdout and stderr
// streamed line by line, a timeout, and a cancel that leaves no process behind.
//
// The command text is handed to the shell as is and never templated: a param reaches it
// only as an environment variable, so `"$APP"` is expanded by the shell and a hostile
// value stays text.
package shell

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Stream names passed to the line callback.
const (
	Stdout = "stdout"
	Stderr = "stderr"
)

// Spec is one command to run.
type Spec struct {
	Command string            // the block's text, run by `bash -c`
	Env     map[string]string // params, set on top of the process environment
	Dir     string            // working directory; "" is the current one
	Timeout time.Duration     // 0 means none
	// Shell is the shell to run the command in (a path, as exec.LookPath gives it);
	// "" is bash, or sh where bash is missing. It must take -c and POSIX traps.
	Shell string
	// CaptureEnv asks for what the command exports: Result.Exported and Unset.
	CaptureEnv bool
}

// Result is how a run ended.
type Result struct {
	// ExitCode is the shell's exit status; a process killed by a signal reports
	// 128+signal as shells do, and -1 means it never ran.
	ExitCode  int
	Duration  time.Duration
	TimedOut  bool
	Cancelled bool
	// Err says why the run is not a plain exit: it could not start, it timed out or
	// it was cancelled. A non-zero exit alone is not an error.
	Err error
	// Exported and Unset are, with Spec.CaptureEnv, the variables the command left
	// exported with a new value, and those it unset, when its shell exited.
	Exported map[string]string
	Unset    []string
}

// ErrTimedOut and ErrCancelled are wrapped by Result.Err.
var (
	ErrTimedOut  = errors.New("the command timed out")
	ErrCancelled = errors.New("the command was cancelled")
)

// killGrace is how long the group gets between SIGTERM and SIGKILL.
var killGrace = 2 * time.Second

// Run runs spec and blocks until the command and every process of its group are gone.
//
// onLine (which may be nil) receives each output line without its line ending, in
// order within a stream, as soon as it is read. It is called from another goroutine,
// never concurrently, and never after Run returns. Lines longer than 64 KiB arrive in
// pieces.
//
// Cancelling ctx or reaching spec.Timeout sends SIGTERM to the whole process group and
// SIGKILL after a short grace. Background jobs still running when the shell exits are
// ended the same way: a block's processes do not outlive the block.
//
// An empty (or blank) command runs nothing and succeeds.
func Run(ctx context.Context, spec Spec, onLine func(stream, line string)) Result {
	start := time.Now()
	res := run(ctx, spec, onLine)
	res.Duration = time.Since(start)
	return res
}

func run(ctx context.Context, spec Spec, onLine func(stream, line string)) Result {
	if strings.TrimSpace(spec.Command) == "" {
		return Result{}
	}
	if err := ctx.Err(); err != nil {
		return Result{ExitCode: -1, Cancelled: true, Err: ErrCancelled}
	}
	cmd, err := command(spec)
	if err != nil {
		return Result{ExitCode: -1, Err: err}
	}
	var capture *envCapture
	if spec.CaptureEnv {
		var script string
		if capture, script, err = newEnvCapture(spec.Command, cmd.Env); err != nil {
			return Result{ExitCode: -1, Err: err}
		}
		cmd.Args[2] = script
	}
	supervise(cmd)
	cmd.SysProcAttr = sysProcAttr()
	outR, errR, waited, err := startPiped(cmd)
	if err != nil {
		if capture != nil {
			os.Remove(capture.path)
		}
		return Result{ExitCode: -1, Err: err}
	}
	pgid := cmd.Process.Pid // Setpgid: the shell leads a group of its own
	readers := stream(onLine, outR, errR)

	res, deadline, waitErr := await(ctx, spec.Timeout, pgid, waited)
	// The shell is gone; its background jobs must not outlive the block, and they
	// hold the pipes open, so they go too.
	endGroup(pgid, deadline)
	drain(readers, outR, errR)

	res.ExitCode = exitCode(cmd.ProcessState)
	if res.ExitCode == -1 && res.Err == nil {
		res.Err = fmt.Errorf("unable to run the shell: %w", waitErr)
	}
	if capture != nil {
		res.Exported, res.Unset = capture.changes()
	}
	return res
}

// startPiped starts cmd with its stdout and stderr on pipes of their own and returns
// the read ends and where its Wait's error arrives. Handing the child *os.File ends
// spares exec its copying goroutines, whose Wait would block on a background job that
// holds the pipe.
func startPiped(cmd *exec.Cmd) (outR, errR *os.File, waited <-chan error, err error) {
	outR, outW, err := os.Pipe()
	if err != nil {
		return nil, nil, nil, fmt.Errorf("unable to create a pipe: %w", err)
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		outR.Close()
		outW.Close()
		return nil, nil, nil, fmt.Errorf("unable to create a pipe: %w", err)
	}
	cmd.Stdout, cmd.Stderr = outW, errW
	waited, err = spawn(cmd)
	outW.Close()
	errW.Close()
	if err != nil {
		outR.Close()
		errR.Close()
		return nil, nil, nil, fmt.Errorf("unable to start the shell: %w", err)
	}
	return outR, errR, waited, nil
}

// spawn starts cmd and waits for it on one goroutine locked to its OS thread. The
// kernel sends the shell's Pdeathsig when the thread that forked it exits, and the Go
// runtime ends a thread whose locked goroutine returns without unlocking: forking from
// a thread some other goroutine had locked would kill the block at a random moment.
// This thread stays locked, and alive, until the shell is reaped.
func spawn(cmd *exec.Cmd) (<-chan error, error) {
	started := make(chan error, 1)
	waited := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		waited <- cmd.Wait()
	}()
	if err := <-started; err != nil {
		return nil, err
	}
	return waited, nil
}

// stream reads both pipes line by line into onLine, one call at a time.
func stream(onLine func(stream, line string), outR, errR *os.File) *sync.WaitGroup {
	var mu sync.Mutex
	emit := func(stream string) func(string) {
		return func(line string) {
			if onLine == nil {
				return
			}
			mu.Lock()
			defer mu.Unlock()
			onLine(stream, line)
		}
	}
	var readers sync.WaitGroup
	readers.Add(2)
	go func() { defer readers.Done(); readLines(outR, emit(Stdout)) }()
	go func() { defer readers.Done(); readLines(errR, emit(Stderr)) }()
	return &readers
}

// await waits for the shell to exit, ending its group first on timeout or cancel. It
// returns the result so far, the shell's Wait error, and when the group's grace ends.
func await(ctx context.Context, timeout time.Duration, pgid int, waited <-chan error) (res Result, deadline time.Time, waitErr error) {
	var expired <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		expired = t.C
	}
	select {
	case waitErr = <-waited:
		deadline = time.Now().Add(killGrace)
	case <-expired:
		res.TimedOut = true
		res.Err = fmt.Errorf("%w after %s", ErrTimedOut, timeout)
		deadline, waitErr = terminate(pgid, waited)
	case <-ctx.Done():
		res.Cancelled = true
		res.Err = ErrCancelled
		deadline, waitErr = terminate(pgid, waited)
	}
	return res, deadline, waitErr
}

// terminate sends SIGTERM to the group and waits for the shell, sending SIGKILL to
// the group if the shell outlives the grace. It returns the grace's deadline and the
// shell's Wait error.
func terminate(pgid int, waited <-chan error) (time.Time, error) {
	deadline := time.Now().Add(killGrace)
	_ = signalGroup(pgid, syscall.SIGTERM)
	grace := time.NewTimer(killGrace)
	defer grace.Stop()
	select {
	case err := <-waited:
		return deadline, err
	case <-grace.C:
		_ = signalGroup(pgid, syscall.SIGKILL)
		return deadline, <-waited
	}
}

// endGroup ends whatever is left of the group once its leader has exited: SIGTERM now,
// SIGKILL at deadline.
func endGroup(pgid int, deadline time.Time) {
	if !groupAlive(pgid) {
		return
	}
	_ = signalGroup(pgid, syscall.SIGTERM)
	for poll := time.Millisecond; groupAlive(pgid); poll = min(poll*2, 20*time.Millisecond) {
		if time.Now().After(deadline) {
			_ = signalGroup(pgid, syscall.SIGKILL)
			return
		}
		time.Sleep(poll)
	}
}

// drain waits for the readers to reach end of file. A process that left the group
// (setsid) may still hold a pipe open; after a grace its pipes are closed so Run
// returns anyway.
func drain(readers *sync.WaitGroup, pipes ...*os.File) {
	done := make(chan struct{})
	go func() { readers.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(killGrace):
		for _, p := range pipes {
			p.Close()
		}
		<-done
	}
	for _, p := range pipes {
		p.Close()
	}
}

func exitCode(ps *os.ProcessState) int {
	if ps == nil {
		return -1
	}
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ps.ExitCode()
}
