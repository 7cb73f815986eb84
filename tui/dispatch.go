package tui

import (
	"context"
	"fmt"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/dynodoc/dynodoc/internal/engine"
	"github.com/dynodoc/dynodoc/internal/runbook"
)

// dispatch is the one place the engine is stepped: the new state replaces the old one
// and every effect becomes a tea.Cmd.
func (m *walkModel) dispatch(ev engine.Event) tea.Cmd {
	prev := m.state
	s, effs := engine.Step(m.state, ev)
	m.state = s
	m.seq++
	cmds := make([]tea.Cmd, 0, len(effs)+1)
	for _, e := range effs {
		cmds = append(cmds, m.perform(e))
	}
	cmds = append(cmds, m.afterStep(prev))
	return tea.Batch(cmds...)
}

// perform turns one engine effect into a tea.Cmd. Nothing here does I/O itself.
func (m *walkModel) perform(e engine.Effect) tea.Cmd {
	b := m.opts.Backend
	switch e := e.(type) {
	case engine.RunCommand:
		m.startOutput(e.Ref)
		run := m.startRun(e.Ref)
		if b == nil {
			return m.resultNow(run, e.Ref, noBackendResult())
		}
		if e.Interactive {
			m.out.appendMarker("  (interactive: the command has the terminal; ctrl+c brings you back)")
			m.out.flush()
			return interactiveCmd(b, run.id, e)
		}
		ch := make(chan streamEvent, 256)
		run.stream = ch
		m.wg.Add(1)
		return tea.Batch(runCommandCmd(b, run.ctx, e, ch, m.life, m.wg), waitStream(run.id, ch), m.spin.Tick)
	case engine.RunCheck:
		m.startOutput(e.Ref)
		run := m.startRun(e.Ref)
		if b == nil {
			return m.resultNow(run, e.Ref, noBackendResult())
		}
		m.wg.Add(1)
		return tea.Batch(runCheckCmd(b, run.ctx, run.id, e, m.wg), m.spin.Tick)
	case engine.RunAction:
		m.startOutput(e.Ref)
		run := m.startRun(e.Ref)
		if b == nil {
			return m.resultNow(run, e.Ref, noBackendResult())
		}
		m.wg.Add(1)
		return tea.Batch(runActionCmd(b, run.ctx, run.id, e, m.wg), m.spin.Tick)
	case engine.PreviewAction:
		if b == nil {
			m.previews[e.Ref] = previewState{err: errNoBackend}
			return nil
		}
		m.previews[e.Ref] = previewState{pending: true}
		return previewCmd(b, e)
	case engine.AskConfirm:
		m.openGate(e.Gate)
		return nil
	case engine.CancelRun:
		if m.run != nil && m.run.ref == e.Ref {
			m.run.cancel()
		}
		return nil
	case engine.Journal:
		// Handed over here, in Update, so that the record is queued before any tea.Cmd
		// of this step runs: the Backend syncs the journal before it starts a command
		// or an action (write-ahead). Options.Journal does not block.
		if m.opts.Journal != nil {
			m.opts.Journal(e.Record)
		}
		return nil
	}
	return nil
}

// openGate shows the gate unless it is already open.
func (m *walkModel) openGate(g engine.Gate) {
	if m.gate != nil && m.gate.gate.Ref == g.Ref {
		return
	}
	m.gate = newGateModal(displayGate(g, m.mask), m.st)
}

// startRun records the block now running; its context is what ctrl+c cancels.
func (m *walkModel) startRun(ref engine.Ref) *activeRun {
	m.runSeq++
	ctx, cancel := context.WithCancel(context.Background())
	m.run = &activeRun{id: m.runSeq, ref: ref, ctx: ctx, cancel: cancel, started: time.Now()}
	m.cancelled = false
	return m.run
}

// resultNow reports a result without calling the Backend.
func (m *walkModel) resultNow(run *activeRun, ref engine.Ref, res engine.BlockResult) tea.Cmd {
	id := run.id
	return func() tea.Msg { return resultMsg{run: id, ref: ref, result: res} }
}

// startOutput writes the block's opening line into the output pane.
func (m *walkModel) startOutput(ref engine.Ref) {
	label := fmt.Sprintf("step %d · block %d", ref.Step+1, ref.Block+1)
	m.out.label = label
	m.out.follow = true // a new block: show its output as it comes
	if blk, ok := m.block(ref); ok {
		m.out.appendMarker("▶ " + label + ": " + m.mask(m.labelAt(ref, blk)))
	}
	m.out.flush()
	if m.out.grew {
		m.out.grew = false
		m.relayout()
	}
}

func (m *walkModel) block(ref engine.Ref) (runbook.Block, bool) {
	if ref.Step < 0 || ref.Step >= len(m.rb.Steps) || ref.Block < 0 || ref.Block >= len(m.rb.Steps[ref.Step].Blocks) {
		return runbook.Block{}, false
	}
	return m.rb.Steps[ref.Step].Blocks[ref.Block], true
}

func (m *walkModel) onStream(msg streamMsg) tea.Cmd {
	if m.run == nil || m.run.id != msg.run {
		return nil
	}
	for _, ev := range msg.events {
		if ev.done {
			m.out.flush()
			return m.onResult(msg.run, m.run.ref, ev.result)
		}
		m.out.appendLine(ev.stream, m.maskSecrets(ev.line))
	}
	m.out.flush()
	return waitStream(msg.run, m.run.stream)
}

func (m *walkModel) onInteractive(msg interactiveMsg) tea.Cmd {
	if m.run == nil || m.run.id != msg.run {
		return nil
	}
	if msg.cmd == nil && msg.done != nil {
		return m.onResult(msg.run, msg.ref, msg.done(nil)) // the Backend refused to start it and says why
	}
	if msg.cmd == nil || msg.done == nil {
		return m.onResult(msg.run, msg.ref, engine.BlockResult{Status: engine.Errored, Outcome: engine.OutcomeError, ExitCode: -1, Summary: "the interactive command could not be started"})
	}
	return handOverCmd(msg.run, msg.ref, msg.cmd, msg.done)
}

// onResult reports a finished block to the engine. The result of a run that is no
// longer current (the walk was quit) is dropped.
func (m *walkModel) onResult(run uint64, ref engine.Ref, res engine.BlockResult) tea.Cmd {
	if m.run == nil || m.run.id != run {
		return nil
	}
	if res.Duration == 0 {
		res.Duration = time.Since(m.run.started)
	}
	if res.Ended.IsZero() {
		res.Ended = time.Now()
	}
	m.run.cancel() // release the context
	m.run = nil
	var cmds []tea.Cmd
	if m.cancelled {
		cmds = append(cmds, m.setStatus("cancelled", false))
	}
	m.cancelled = false
	end := "■ " + string(res.Status)
	if res.Outcome != "" {
		end = "■ " + string(res.Outcome)
	}
	if blk, ok := m.block(ref); ok && blk.Kind == runbook.KindCommand {
		end += fmt.Sprintf(" · exit %d", res.ExitCode)
	}
	if res.Summary != "" {
		end += " · " + m.mask(res.Summary)
	}
	m.out.appendMarker(end)
	m.out.flush()
	cmds = append(cmds, m.dispatch(engine.Result{Ref: ref, Result: res}))
	m.revealBlocks()
	return tea.Batch(cmds...)
}

// afterStep brings the screen in line with a new engine state.
func (m *walkModel) afterStep(prev engine.State) tea.Cmd {
	var cmds []tea.Cmd
	s := m.state

	// Params form.
	if s.Phase == engine.PhaseParams {
		if m.form == nil {
			m.form = newParamsForm(m.rb, s, m.st)
			if len(m.form.fields) > 0 {
				cmds = append(cmds, m.form.fields[m.form.focus].input.Focus())
			}
		} else {
			m.form.setErrors(s.ParamErrors)
		}
	} else if m.form != nil || prev.Phase == engine.PhaseParams {
		m.form = nil
		clear(m.levels) // the params are known now
	}

	// Gate and question.
	switch {
	case s.Phase == engine.PhaseConfirming && s.Gate != nil:
		m.openGate(*s.Gate)
		if m.gate.typed && s.Refused != nil && s.Refused.AskedAgain {
			m.gate.input.SetValue("") // asked again: type the name afresh
			m.gate.retry = s.Message  // on the gate itself: it covers the status line
		}
		if m.gate.typed {
			cmds = append(cmds, m.gate.input.Focus())
		}
	case m.gate != nil:
		delete(m.previews, m.gate.gate.Ref)
		m.gate = nil
	}
	if s.Phase != engine.PhaseAsking {
		m.askAnswered = ""
	}

	if s.Message != "" {
		cmds = append(cmds, m.setStatus(s.Message, s.Refused != nil))
	}

	// The end.
	if terminal(s.Phase) && !terminal(prev.Phase) && !m.quitting {
		switch {
		case m.opts.Finish != nil:
			m.final = &finalPanel{title: endTitle(s.Phase), waiting: true}
			cmds = append(cmds, finishCmd(m.opts.Finish, s))
		case s.Phase == engine.PhaseDone:
			m.final = &finalPanel{title: endTitle(s.Phase), text: m.summary()}
		}
	}

	m.refreshDoc()
	m.syncKeys() // dispatch also runs from Init, before any Update
	m.relayout()
	if s.Phase == engine.PhaseRunning && prev.Phase != engine.PhaseRunning {
		m.revealBlocks()
	}
	cmds = append(cmds, m.scheduleAutopilot())
	return tea.Batch(cmds...)
}

func endTitle(p engine.Phase) string {
	if p == engine.PhaseDone {
		return "Walk finished"
	}
	return "Walk stopped"
}

// summary counts the steps by status, for the final panel when there is no Finish.
func (m *walkModel) summary() string {
	counts := map[engine.Status]int{}
	for _, st := range m.state.Steps {
		counts[st.Status]++
	}
	var parts []string
	for _, s := range []engine.Status{engine.Passed, engine.Failed, engine.Errored, engine.Skipped, engine.Pending} {
		if n := counts[s]; n > 0 {
			word := string(s)
			if s == engine.Pending {
				word = "not reached"
			}
			parts = append(parts, fmt.Sprintf("%d %s", n, word))
		}
	}
	text := strings.Join(parts, " · ")
	if m.state.Refusals > 0 {
		text += fmt.Sprintf("\n%d gate(s) refused along the way.", m.state.Refusals)
	}
	return text
}

// refreshDoc rebuilds the step pane: the cursor step's Markdown (cached per width)
// and its blocks with their results.
func (m *walkModel) refreshDoc() {
	if m.pager != nil {
		defer m.openPager() // the full-screen view follows: results, another step
	}
	i := m.state.Cursor
	if i < 0 || i >= len(m.rb.Steps) || i >= len(m.state.Steps) {
		m.setDoc(m.st.Hint.Render("This runbook has no steps."))
		return
	}
	if m.intro {
		md := m.md.render(introKey, introMarkdown(m.rb, m.opts.Banner.Briefing))
		next := fmt.Sprintf("enter or ↓ goes to step 1 · %s", m.rb.Steps[0].Title)
		m.setDoc(md + "\n\n" + indent(m.st.Hint.Render(wrap(next, max(m.docW-4, 10))), "  "))
		if m.docStep != introKey {
			m.doc.GotoTop()
			m.docStep = introKey
		}
		return
	}
	md := m.md.render(i, stepMarkdown(m.rb, i, m.opts.Banner.Briefing, !m.opts.IntroPage))
	content := md + "\n\n" + indent(m.blocksView(i, max(m.docW-4, 10)), "  ")
	m.setDoc(content)
	if i != m.docStep {
		m.doc.GotoTop()
		m.docStep = i
	}
}

func (m *walkModel) setDoc(content string) {
	m.doc.SetContent(content)
	m.docLines = strings.Split(content, "\n")
}

// revealBlocks scrolls the step pane down to its blocks and their results when they
// are out of view (the operator who pressed enter wants to see what ran), keeping the
// blocks' title in view. It never scrolls up.
func (m *walkModel) revealBlocks() {
	md, ok := m.md.cached(m.state.Cursor)
	if !ok {
		return
	}
	title := lipgloss.Height(md) + 1
	want := min(title, max(len(m.docLines)-m.doc.Height, 0))
	if want > m.doc.YOffset {
		m.doc.SetYOffset(want)
	}
}

// relayout sizes the panes for the screen, the help and the focus.
func (m *walkModel) relayout() {
	w, h := max(m.width, 20), max(m.height, 8)
	m.help.Width = w
	helpH := lipgloss.Height(m.helpView())
	rest := max(h-2-1-helpH, 4) // header (2), status line (1)
	outH := min(max(rest/4+1, 3), 14)
	if m.outputFocus {
		outH = max(rest/2, 3)
	}
	if rest < 10 || (m.out.empty() && !m.outputFocus) {
		outH = min(outH, 2) // a title and a hint until there is output to show
	}
	m.bodyH = max(rest-outH, 1)
	m.outH = outH
	m.listW = listWidth(w)
	docW := max(w-m.listW-1, 10)
	widthChanged := docW != m.docW
	m.docW = docW
	m.doc.Width = docW - 1
	m.doc.Height = m.bodyH
	if m.doc.PastBottom() {
		m.doc.GotoBottom() // a taller pane shows what scrolled off
	}
	m.out.setSize(w, outH-1)
	m.md.setWidth(docW - 1)
	if widthChanged {
		m.refreshDoc()
	}
}
