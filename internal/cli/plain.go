package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/glamour"

	"github.com/dynodoc/dynodoc/internal/effects"
	"github.com/dynodoc/dynodoc/internal/engine"
	"github.com/dynodoc/dynodoc/internal/risk"
	"github.com/dynodoc/dynodoc/internal/runbook"
	"github.com/dynodoc/dynodoc/internal/textsafe"
	"github.com/dynodoc/dynodoc/internal/textsafe/textout"
	"github.com/dynodoc/dynodoc/tui"
)

// plainDriver walks a runbook as text, one line read per prompt: the same engine and
// the same gates as the TUI, for pipes, CI and screen readers.
type plainDriver struct {
	ctx       context.Context
	in        *bufio.Reader
	out       io.Writer
	backend   effects.Backend
	journal   func(engine.Record)
	sync      func() error // waits for the journal's records to be on disk
	yes       bool         // --yes approves risky gates
	confirm   string       // --confirm APP approves a destructive gate for APP
	autopilot func(engine.State) (engine.Event, bool)
	recheck   func(context.Context) // waits before the autopilot re-runs a step
	reasons   map[string]string     // step id -> the senior's reason for the demo's answer
	render    func(string) string
	mask      func(string) string // hides secrets in what the gate shows
	shown     int                 // the step whose text was printed last (-1 none)
	started   bool                // Start was sent once
	echo      bool                // answers come from a pipe, not a terminal that echoes them
	herokuCLI *bool               // whether `heroku` is on PATH, once looked up
	gateShown *engine.Ref         // the gate printed last
	// headerShown: the open gate's header was printed before its preview
	headerShown bool
	lines       chan readResult // fed by readLines, started by the first prompt
	again       int             // a finished step the walk came back to, offered again (-1 none)
	// dryRun walks every block of every step and shows every gate without reading a
	// line: whatever the input holds, a dry run runs nothing and asks nothing.
	dryRun bool
}

func newPlainDriver(ctx context.Context, in io.Reader, out io.Writer, b effects.Backend) *plainDriver {
	d := &plainDriver{ctx: ctx, in: bufio.NewReader(in), out: out, backend: b, shown: -1, again: -1,
		render: func(s string) string { return s }, mask: func(s string) string { return s },
		echo: !isTerminal(in)}
	d.setWidth(80)
	return d
}

// setWidth renders the steps' Markdown as plain text wrapped to w columns.
func (d *plainDriver) setWidth(w int) {
	r, err := glamour.NewTermRenderer(glamour.WithStyles(tui.PlainStyle()), glamour.WithWordWrap(min(max(w-4, 20), tui.MaxProse)))
	if err != nil {
		return
	}
	d.render = func(s string) string {
		out, err := tui.RenderWrapped(r, s, w)
		if err != nil {
			return s
		}
		return trimLines(out)
	}
}

var errNoInput = errors.New("no more input")

// readLine reads one answer; errNoInput once the input is exhausted, the context's
// error once a signal ends the walk (a prompt does not hold up SIGTERM or SIGHUP).
// What the walk did so far is on disk before it waits for the operator, who may walk away.
func (d *plainDriver) readLine(prompt string) (string, error) {
	if d.sync != nil {
		_ = d.sync() // a failing journal stops commands and actions (backend.synced)
	}
	fmt.Fprint(d.out, prompt)
	if d.lines == nil {
		d.lines = make(chan readResult)
		go d.readLines()
	}
	r := readResult{err: io.EOF}
	select {
	case got, ok := <-d.lines:
		if ok {
			r = got
		}
	case <-d.ctx.Done():
		fmt.Fprintln(d.out)
		return "", d.ctx.Err()
	}
	line, err := r.line, r.err
	if err != nil && line == "" {
		fmt.Fprintln(d.out)
		return "", errNoInput
	}
	line = strings.TrimRight(line, "\r\n")
	if d.echo {
		fmt.Fprintln(d.out, line) // a piped answer shows in the transcript, as typed
	}
	return line, nil
}

type readResult struct {
	line string
	err  error
}

// readLines is the one reader of the input: each line is handed to readLine; at the
// end of the input the channel closes.
func (d *plainDriver) readLines() {
	for {
		line, err := d.in.ReadString('\n')
		d.lines <- readResult{line, err}
		if err != nil {
			close(d.lines)
			return
		}
	}
}

// walk drives the session to done or aborted.
func (d *plainDriver) walk(s engine.State) (engine.State, error) {
	for {
		if d.ctx.Err() != nil && s.Phase != engine.PhaseDone && s.Phase != engine.PhaseAborted {
			return s, d.ctx.Err() // the walk's caller journals the interruption
		}
		ev, err := d.next(s)
		if d.ctx.Err() != nil {
			return s, d.ctx.Err() // a prompt was cut short: nothing it returned applies
		}
		if err != nil {
			return s, err
		}
		if ev == nil {
			return s, nil
		}
		s = d.apply(s, ev)
		// A Continue that lands on a finished step came back to it (a no= or fail= that
		// leads back): it is offered again, never passed over on and on.
		d.again = -1
		if _, ok := ev.(engine.Continue); ok && s.Phase == engine.PhaseWalking && s.Steps[s.Cursor].Status.Done() {
			d.again = s.Cursor
		}
	}
}

// next decides the next event: from the autopilot, the flags or a typed line.
func (d *plainDriver) next(s engine.State) (engine.Event, error) {
	switch s.Phase {
	case engine.PhaseDone, engine.PhaseAborted:
		return nil, nil
	case engine.PhaseParams:
		return d.params(s)
	case engine.PhaseWalking:
		again := d.again == s.Cursor && d.autopilot == nil
		if s.Steps[s.Cursor].Status.Done() && !again {
			return engine.Continue{}, nil
		}
		if again && d.dryRun {
			return engine.Skip{}, nil // a dry run answers no: going back would loop
		}
		if again {
			d.shown = -1 // show it again: an answer or a result led back to it
		}
		d.showStep(s)
		if d.autopilot != nil {
			return d.auto(s), nil
		}
		if d.dryRun {
			return engine.Run{Block: -1}, nil
		}
		line, err := d.readLine(d.stepPrompt(s))
		if errors.Is(err, errNoInput) && !d.yes && d.confirm == "" {
			// Nobody said what to do with the rest: stop, resumable, rather than walk
			// it by default. --yes or --confirm is what says "walk it all unattended".
			fmt.Fprintln(d.out, "stdin closed: stopping here")
			return engine.Quit{}, nil
		}
		switch strings.ToLower(strings.TrimSpace(line)) {
		case "s":
			return engine.Skip{}, nil
		case "q":
			return engine.Quit{}, nil
		}
		if err != nil && s.Steps[s.Cursor].Visited {
			return engine.Skip{}, nil // input ran out on a step that already ran once
		}
		return engine.Run{Block: -1}, nil
	case engine.PhaseConfirming:
		return d.gate(s)
	case engine.PhaseAsking:
		fmt.Fprintf(d.out, "\n? %s\n", textsafe.Visible(s.Ask.Question))
		if d.autopilot != nil {
			ev := d.auto(s)
			switch a := ev.(type) {
			case engine.Answer:
				fmt.Fprintf(d.out, "  answered: %s\n", yesNo(a.Yes))
				if why := d.reasons[s.Cfg.Runbook.Steps[s.Ask.Ref.Step].ID]; why != "" {
					fmt.Fprintf(d.out, "  why: %s\n", textsafe.Visible(why))
				}
			case engine.Run:
				fmt.Fprintln(d.out, "  not yet: the checks say the app is not healthy; the demo waits and checks again")
				if d.recheck != nil {
					d.recheck(d.ctx)
				}
			}
			return ev, nil
		}
		if d.dryRun {
			fmt.Fprintln(d.out, "  dry run: not answered; the walk goes on to the next step")
			return engine.Answer{Yes: false}, nil
		}
		line, err := d.readLine("  [y/N] > ")
		if errors.Is(err, errNoInput) {
			// No answer is not "no": a "no" that leads back to this question would ask
			// it forever. The session stays unfinished, to resume with an answer.
			return nil, &ExitError{Code: ExitFailed, Err: fmt.Errorf("the input ended at the question %q: the walk stops here (answer it on a terminal, or give one line per question)", s.Ask.Question)}
		}
		switch strings.ToLower(strings.TrimSpace(line)) {
		case "y", "yes":
			return engine.Answer{Yes: true}, nil
		case "q":
			return engine.Quit{}, nil
		}
		return engine.Answer{Yes: false}, nil
	}
	return nil, fmt.Errorf("the walk is stuck in phase %s", s.Phase)
}

// stepPrompt asks what to do with the step, saying what enter reads when it only reads.
func (d *plainDriver) stepPrompt(s engine.State) string {
	if what, ok := tui.StepReads(s, s.Cursor); ok {
		return fmt.Sprintf("[enter] run (reads %s)  s skip  q quit > ", what)
	}
	return "[enter] run  s skip  q quit > "
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func (d *plainDriver) auto(s engine.State) engine.Event {
	ev, ok := d.autopilot(s)
	if !ok {
		return engine.Quit{}
	}
	return ev
}

// params asks for the params the engine refused (missing or invalid), one line each.
func (d *plainDriver) params(s engine.State) (engine.Event, error) {
	if !d.started {
		d.started = true
		return engine.Start{}, nil // the flags may be all it needs
	}
	values := map[string]string{}
	for _, p := range s.Cfg.Runbook.Params {
		problem := s.ParamErrors[p.Name]
		if problem == "" {
			continue
		}
		if v := s.Cfg.Params[p.Name]; v != "" {
			fmt.Fprintf(d.out, "%s %q: %s\n", p.Name, v, textsafe.Visible(problem))
		}
		prompt := textsafe.Visible(p.Prompt)
		if prompt == "" {
			prompt = p.Name
		}
		line, err := d.readLine(fmt.Sprintf("%s (%s): ", prompt, p.Name))
		if err != nil || d.autopilot != nil {
			return nil, usageError("param %s is %s: pass it with --set %s=VALUE (or --app/--staging)", p.Name, problem, p.Name)
		}
		values[p.Name] = strings.TrimSpace(line)
	}
	return engine.Start{Params: values}, nil
}

func (d *plainDriver) showStep(s engine.State) {
	if d.shown == s.Cursor {
		return
	}
	d.shown = s.Cursor
	step := s.Cfg.Runbook.Steps[s.Cursor]
	fmt.Fprintf(d.out, "\n── Step %d/%d: %s ──\n", s.Cursor+1, len(s.Steps), textsafe.Visible(step.Title))
	fmt.Fprint(d.out, d.render(textsafe.Markdown(step.Body)))
	if blocks := herokuBlocks(step); len(blocks) > 0 && !d.hasHerokuCLI() {
		verb := "need"
		if len(blocks) == 1 {
			verb = "needs"
		}
		fmt.Fprintf(d.out, "  note: %s %s %s the Heroku CLI (heroku), which is not installed here: run, it fails.\n"+
			"  The built-in checks and actions do not need it (install: https://devcenter.heroku.com/articles/heroku-cli)\n",
			plural(len(blocks), "block", "blocks"), joinInts(blocks), verb)
	}
}

// hasHerokuCLI reports whether `heroku` is on PATH, looked up once.
func (d *plainDriver) hasHerokuCLI() bool {
	if d.herokuCLI == nil {
		_, err := lookHeroku()
		found := err == nil
		d.herokuCLI = &found
	}
	return *d.herokuCLI
}

func lookHeroku() (string, error) { return exec.LookPath("heroku") }

// herokuBlocks are the numbers (from 1) of the step's command blocks that call the
// Heroku CLI.
func herokuBlocks(step runbook.Step) []int {
	var out []int
	for i, b := range step.Blocks {
		if b.Kind == runbook.KindCommand && tui.CallsHeroku(b.Body) {
			out = append(out, i+1)
		}
	}
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func joinInts(ns []int) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ", ")
}

// gate prints the open gate and collects its answer.
func (d *plainDriver) gate(s engine.State) (engine.Event, error) {
	g := *s.Gate
	askedAgain := s.Refused != nil && s.Refused.AskedAgain // a typo: the gate is asked again
	shown := d.headerShown || (d.gateShown != nil && *d.gateShown == g.Ref && askedAgain)
	d.headerShown = false
	if !shown {
		d.printGate(g) // a gate asked again after a typo is not printed again
	}
	d.gateShown = &g.Ref
	ref := g.Ref
	switch {
	case d.autopilot != nil:
		ev := d.auto(s)
		if c, ok := ev.(engine.Confirm); ok {
			fmt.Fprintf(d.out, "  the demo typed: %s\n", c.Text)
		}
		return ev, nil
	case d.dryRun:
		fmt.Fprintln(d.out, "  dry run: this gate would open here; nothing ran")
		return engine.Cancel{}, nil
	case g.Level == risk.Risky && d.yes:
		fmt.Fprintln(d.out, "  approved by --yes")
		return engine.Confirm{Ref: ref, Text: "y", By: engine.ByYes}, nil
	case g.Level == risk.Destructive && d.confirm != "":
		fmt.Fprintf(d.out, "  --confirm %s\n", d.confirm)
		return engine.Confirm{Ref: ref, Text: d.confirm, By: engine.ByConfirmFlag}, nil
	case g.Level == risk.Destructive && d.yes:
		fmt.Fprintf(d.out, "  --yes does not approve a destructive step: pass --confirm %s\n", g.Expect)
		return engine.Cancel{}, nil
	}
	prompt := "  Run it? [y/N] > "
	if g.Level == risk.Destructive {
		prompt = fmt.Sprintf("  To proceed, type %s > ", g.Expect)
	}
	line, err := d.readLine(prompt)
	if errors.Is(err, errNoInput) && !askedAgain {
		// No answer is neither an approval nor a refusal to walk on from: the walk
		// stops here, resumable, rather than answer the rest of it by default. (A
		// wrong name typed, then nothing, is a refusal: the gate is cancelled.)
		fmt.Fprintln(d.out, "stdin closed: stopping here")
		return engine.Quit{}, nil
	}
	if err != nil {
		return engine.Cancel{}, nil
	}
	switch {
	case strings.TrimSpace(line) == "q":
		return engine.Quit{}, nil
	case g.Level == risk.Destructive && strings.TrimSpace(line) == "":
		return engine.Cancel{}, nil // empty cancels a destructive gate
	}
	return engine.Confirm{Ref: ref, Text: line, By: engine.ByTyped}, nil
}

func (d *plainDriver) printGate(g engine.Gate) {
	title := strings.ToUpper(g.Level.String())
	where := g.App
	if where == "" {
		where = "(no app named)"
	}
	if g.Env != "" {
		where += " [" + strings.ToUpper(g.Env) + "]"
	}
	if g.DryRun {
		title = "DRY RUN — " + title
	}
	fmt.Fprintf(d.out, "\n!! %s step on %s\n", title, textsafe.Visible(where))
	// The command as it runs, with what a terminal would not draw as itself written
	// out (\x1b, <U+202E>): the operator approves what is shown.
	fmt.Fprintf(d.out, "   $ %s\n", strings.ReplaceAll(textsafe.Visible(d.mask(g.Command)), "\n", "\n     "))
	for _, r := range g.Reasons {
		fmt.Fprintf(d.out, "   - %s\n", textsafe.Visible(d.mask(r)))
	}
	if len(g.Foreign) > 0 {
		fmt.Fprintf(d.out, "   ! targets an app outside this session: %s\n", textsafe.Visible(strings.Join(g.Foreign, ", ")))
	}
	if g.Question != "" {
		fmt.Fprintf(d.out, "   %s\n", textsafe.Visible(g.Question))
	}
}

// apply steps the engine and performs the effects, synchronously.
func (d *plainDriver) apply(s engine.State, ev engine.Event) engine.State {
	queue := []engine.Event{ev}
	for len(queue) > 0 {
		var fx []engine.Effect
		s, fx = engine.StepOwned(s, queue[0]) // the driver keeps only the newest state
		queue = queue[1:]
		// Every record of this step goes to the journal before any effect starts
		// (write-ahead: the backend syncs it before a command or an action).
		for _, e := range fx {
			if j, ok := e.(engine.Journal); ok && d.journal != nil {
				d.journal(j.Record)
			}
		}
		for _, e := range fx {
			if p, ok := e.(engine.PreviewAction); ok && s.Gate != nil && s.Gate.Ref == p.Ref {
				d.printGate(*s.Gate) // the gate's header comes before its preview
				d.gateShown = &s.Gate.Ref
				d.headerShown = true
			}
		}
		for _, e := range fx {
			if next := d.perform(e); next != nil {
				if r, ok := next.(engine.Result); ok && r.Result.Ended.IsZero() {
					r.Result.Ended = time.Now()
					next = r
				}
				queue = append(queue, next)
			}
		}
		if s.Refused != nil {
			fmt.Fprintf(d.out, "  %s\n", textsafe.Visible(s.Message))
		}
	}
	return s
}

// perform carries out one effect and returns the event it produces, if any. The result
// of a block that a signal stopped is not passed on: its outcome is unknown, and the
// session stays at that block for resume.
func (d *plainDriver) perform(e engine.Effect) engine.Event {
	ev := d.performed(e)
	if _, ok := ev.(engine.Result); ok && d.ctx.Err() != nil {
		return nil
	}
	return ev
}

func (d *plainDriver) performed(e engine.Effect) engine.Event {
	switch e := e.(type) {
	case engine.PreviewAction:
		p, err := d.backend.Preview(d.ctx, e)
		if err != nil {
			fmt.Fprintf(d.out, "   (no preview: %s)\n", textsafe.Visible(err.Error()))
		} else {
			fmt.Fprintf(d.out, "   preview:\n     %s\n", strings.ReplaceAll(textsafe.Visible(strings.TrimSpace(p)), "\n", "\n     "))
		}
	case engine.RunCommand:
		fmt.Fprintln(d.out, "  running…")
		res := d.backend.Command(d.ctx, e, func(_, line string) {
			fmt.Fprintf(d.out, "  │ %s\n", d.mask(textout.Line(line)))
		})
		d.printResult(res)
		return engine.Result{Ref: e.Ref, Result: res}
	case engine.RunCheck:
		fmt.Fprintf(d.out, "  check %s…\n", e.ID)
		res := d.backend.Check(d.ctx, e)
		d.printResult(res)
		return engine.Result{Ref: e.Ref, Result: res}
	case engine.RunAction:
		fmt.Fprintf(d.out, "  action %s…\n", e.ID)
		res := d.backend.Action(d.ctx, e)
		d.printResult(res)
		return engine.Result{Ref: e.Ref, Result: res}
	}
	return nil
}

func (d *plainDriver) printResult(r engine.BlockResult) {
	icon := map[engine.Outcome]string{engine.OutcomePass: "✓", engine.OutcomeWarn: "⚠", engine.OutcomeFail: "✗", engine.OutcomeError: "!"}[r.Outcome]
	summary := r.Summary
	if summary == "" {
		summary = fmt.Sprintf("exit %d after %s", r.ExitCode, r.Duration.Round(time.Millisecond))
	}
	fmt.Fprintf(d.out, "  %s %s: %s\n", icon, r.Outcome, textsafe.Visible(summary))
	for _, f := range r.Findings {
		fmt.Fprintf(d.out, "    - %s\n", textsafe.Visible(f))
	}
	if r.Next != "" {
		fmt.Fprintf(d.out, "    next: %s\n", textsafe.Visible(r.Next))
	}
}

// trimLines drops the padding glamour adds to the end of every line: a transcript in
// a pipe or a file should not carry it.
func trimLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}
