package tui

import (
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/dynodoc/dynodoc/internal/engine"
	"github.com/dynodoc/dynodoc/internal/runbook"
	"github.com/dynodoc/dynodoc/internal/textsafe"
)

// walkModel is the walk screen: it turns keys into engine events, performs the
// engine's effects as tea.Cmds, and draws the state. The params form, the gate and the
// final panel are parts of it, routed on the engine's phase.
type walkModel struct {
	opts Options
	rb   *runbook.Runbook
	st   *Styles
	keys keyMap
	help help.Model
	spin spinner.Model

	state engine.State
	seq   uint64 // bumped on every engine step; stale autopilot ticks compare it

	width, height            int
	listW, docW, bodyH, outH int

	form        *paramsForm
	gate        *gateModal
	previews    map[engine.Ref]previewState
	askAnswered string
	quitConfirm bool
	search      *search // `/`: the query and its matches
	intro       bool    // the introduction's page is shown, before step 1
	pager       *pager  // v: the step's text full screen
	final       *finalPanel
	quitting    bool

	md          *markdown
	doc         viewport.Model
	docLines    []string // the doc viewport's content, line by line
	docStep     int
	rows        []string // step list rows without cursor and icon, for listW
	rowsW       int
	icons       map[engine.Status]string // rendered once
	levels      map[engine.Ref]gateLevel
	reads       map[int]string        // what each step's enter reads ("" when it changes something)
	labels      map[engine.Ref]string // command blocks' rows, with the session's values
	out         outputPane
	outputFocus bool

	run       *activeRun
	runSeq    uint64
	cancelled bool // ctrl+c was pressed during the current run
	wg        *sync.WaitGroup
	life      chan struct{}
	lifeOnce  *sync.Once

	status    string
	statusErr bool
	statusID  int

	autoSeq     uint64 // the state an autopilot tick is armed for (0: none)
	autoPending bool   // an answer is shown and about to be sent
	autoIdle    bool   // the autopilot returned nothing: the keys are the operator's
	demo        demoState
	review      reviewScreen

	// Streamed output is drawn on a frame tick: a batch of lines that changes nothing
	// else keeps the last frame (frameHeld) and arms one tick (framePending).
	frame        string
	frameHeld    bool
	framePending bool
}

// frameInterval is how often streamed output is redrawn: about 30 frames a second,
// which a terminal shows as smooth and which costs a flood of output nothing.
const frameInterval = 33 * time.Millisecond

// frameMsg is the frame tick: output that arrived since the last frame is drawn.
type frameMsg struct{}

// finalPanel is shown once the walk is done or aborted.
type finalPanel struct {
	title   string
	text    string
	waiting bool // Options.Finish is still working
}

// NewWalk returns the walk screen for opts. Run it with RunWalk, or with any
// tea.Program (tests).
func NewWalk(opts Options) tea.Model {
	rb := opts.Runbook
	if rb == nil {
		rb = opts.Config.Runbook
	}
	if rb == nil {
		rb = &runbook.Runbook{}
	}
	cfg := opts.Config
	cfg.Runbook = rb
	if opts.AutopilotDelay <= 0 {
		opts.AutopilotDelay = defaultAutopilotDelay
	}
	st := DefaultStyles(opts.NoColor)
	m := &walkModel{
		opts:     opts,
		rb:       displayRunbook(rb),
		st:       &st,
		keys:     newKeyMap(),
		help:     help.New(),
		spin:     spinner.New(spinner.WithSpinner(spinner.MiniDot)),
		state:    initialState(opts, cfg),
		width:    opts.Width,
		height:   opts.Height,
		previews: map[engine.Ref]previewState{},
		md:       newMarkdown(st.Markdown),
		doc:      viewport.New(0, 0),
		docStep:  -1,
		levels:   map[engine.Ref]gateLevel{},
		labels:   map[engine.Ref]string{},
		wg:       &sync.WaitGroup{},
		life:     make(chan struct{}),
		lifeOnce: &sync.Once{},
	}
	if m.width <= 0 {
		m.width = defaultWidth
	}
	if m.height <= 0 {
		m.height = defaultHeight
	}
	m.help.Styles = st.Help
	m.icons = map[engine.Status]string{
		engine.Pending: st.IconPending.Render(st.Icons.Pending),
		engine.Passed:  st.IconPassed.Render(st.Icons.Passed),
		engine.Failed:  st.IconFailed.Render(st.Icons.Failed),
		engine.Errored: st.IconErrored.Render(st.Icons.Errored),
		engine.Skipped: st.IconSkipped.Render(st.Icons.Skipped),
		"waiting":      st.IconWaiting.Render(st.Icons.Waiting),
		"warned":       st.IconWarned.Render(st.Icons.Warned),
	}
	// A walk that has not yet been to step 1 opens on its introduction.
	m.intro = opts.IntroPage && opts.Autopilot == nil && len(m.rb.Steps) > 0 && len(m.state.Steps) > 0 &&
		m.state.Cursor == 0 && !m.state.Steps[0].Visited && m.state.Steps[0].Status == engine.Pending &&
		introMarkdown(m.rb, opts.Banner.Briefing) != ""
	m.doc.MouseWheelEnabled = false
	m.out = newOutputPane(m.st)
	m.syncKeys()
	m.relayout()
	return m
}

// initialState is a resumed session's state, or a new one.
func initialState(opts Options, cfg engine.Config) engine.State {
	if opts.Initial != nil {
		return *opts.Initial
	}
	return engine.New(cfg)
}

// Init starts the walk: the engine checks the params given by flags and either starts
// walking or asks for the missing ones. A resumed session that stopped mid-block goes
// back to walking at that step.
func (m *walkModel) Init() tea.Cmd {
	var ev engine.Event = engine.Start{} // a no-op on a resumed walk
	switch m.state.Phase {
	case engine.PhaseRunning, engine.PhaseConfirming, engine.PhaseAsking:
		ev = engine.Resume{}
	}
	cmd := m.dispatch(ev)
	if m.form != nil {
		// The form says what is missing; the engine's message would repeat it.
		m.status = ""
	}
	return tea.Batch(cmd, m.clockTick())
}

// clockMsg redraws the header's incident time.
type clockMsg struct{}

// clockTick arms the next redraw of the incident time, when the header shows one.
func (m *walkModel) clockTick() tea.Cmd {
	if m.opts.Banner.Started.IsZero() {
		return nil
	}
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return clockMsg{} })
}

// Update routes a message. Which keys apply is decided once per update (syncKeys).
func (m *walkModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	seq, run, phase := m.seq, m.run, m.state.Phase
	cmd := m.update(msg)
	m.syncKeys()
	if m.state.Phase == engine.PhaseAsking && phase != engine.PhaseAsking {
		m.revealAsk()
	}
	switch msg.(type) {
	case streamMsg:
		if m.seq == seq && m.run == run {
			// Only output changed: it waits for the next frame.
			m.frameHeld = true
			if !m.framePending {
				m.framePending = true
				cmd = tea.Batch(cmd, tea.Tick(frameInterval, func(time.Time) tea.Msg { return frameMsg{} }))
			}
			return m, cmd
		}
	case frameMsg:
		m.framePending = false
	}
	m.frameHeld = false
	return m, cmd
}

func (m *walkModel) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.relayout()
		if m.pager != nil {
			m.openPager() // rendered again at the new width
		}
		return nil
	case tea.KeyMsg:
		return m.handleKeys(msg)
	case copiedMsg:
		return m.setStatus(msg.status, msg.failed)
	case tea.MouseMsg:
		m.wheel(msg)
		return nil
	case spinner.TickMsg:
		if m.state.Phase != engine.PhaseRunning {
			return nil // the spinner stops when nothing runs
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		m.refreshDoc()
		return cmd
	case streamMsg:
		return m.onStream(msg)
	case resultMsg:
		return m.onResult(msg.run, msg.ref, msg.result)
	case interactiveMsg:
		return m.onInteractive(msg)
	case previewMsg:
		if _, open := m.previews[msg.ref]; !open {
			return nil // the gate closed before the preview came
		}
		pv := previewState{text: m.mask(strings.TrimSpace(msg.text)), err: msg.err}
		if msg.err != nil { // an API's error can quote what it was sent
			pv.err = errors.New(m.mask(msg.err.Error()))
		}
		m.previews[msg.ref] = pv
		return m.scheduleAutopilot()
	case finishMsg:
		if m.final != nil {
			m.final.text, m.final.waiting = msg.text, false
		}
		return nil
	case statusClearMsg:
		if msg.id == m.statusID {
			m.status, m.statusErr = "", false
		}
		return nil
	case autopilotMsg:
		return m.onAutopilot(msg)
	case autopilotApplyMsg:
		return m.onAutopilotApply(msg)
	case frameMsg:
		return nil
	case clockMsg:
		return m.clockTick()
	}
	// Anything else (a text input's cursor blink) goes to the input with the focus.
	switch {
	case m.form != nil && len(m.form.fields) > 0:
		var cmd tea.Cmd
		f := &m.form.fields[m.form.focus]
		f.input, cmd = f.input.Update(msg)
		return cmd
	case m.gate != nil && m.gate.typed:
		var cmd tea.Cmd
		m.gate.input, cmd = m.gate.input.Update(msg)
		return cmd
	case m.search != nil && m.search.typing:
		var cmd tea.Cmd
		m.search.input, cmd = m.search.input.Update(msg)
		return cmd
	}
	return nil
}

// keyContext says which bindings apply now.
func (m *walkModel) keyContext() keyContext {
	switch {
	case m.final != nil || terminal(m.state.Phase):
		return ctxFinal
	case m.quitConfirm:
		return ctxQuitConfirm
	case m.autopilotOn():
		return ctxAutopilot
	case m.form != nil:
		return ctxParams
	case m.gate != nil && m.gate.typed:
		return ctxGateTyped
	case m.gate != nil:
		return ctxGateRisky
	case m.state.Phase == engine.PhaseAsking:
		return ctxAsk
	case m.search != nil && m.search.typing:
		return ctxSearch
	case m.pager != nil:
		return ctxPager
	case m.state.Phase == engine.PhaseRunning:
		return ctxRunning
	}
	return ctxWalk
}

func (m *walkModel) syncKeys() {
	ks := keyState{ctx: m.keyContext(), outputFocus: m.outputFocus, showAll: m.help.ShowAll, intro: m.intro}
	if i := m.state.Cursor; i >= 0 && i < len(m.state.Steps) && i < len(m.rb.Steps) {
		ks.stepDone = m.state.Steps[i].Status.Done()
		for _, b := range m.rb.Steps[i].Blocks {
			if b.Runnable() {
				ks.blocks++
			}
		}
		ks.stepRunnable = ks.blocks > 0
		if what, ok := m.readsFor(i); ok {
			ks.reads = what
		}
	}
	if m.form != nil {
		ks.lastField = m.form.lastField()
	}
	ks.searched = m.search != nil && !m.search.typing && len(m.search.hits) > 0
	if m.gate != nil {
		m.gateView() // measures the gate: whether it scrolls decides the keys
		ks.gateScroll = m.gate.scrollable()
	}
	m.keys.apply(ks)
}

// readsFor is StepReads for the help line, kept per step: params are fixed once the
// walk starts, so what a step reads is too.
func (m *walkModel) readsFor(i int) (string, bool) {
	if m.reads == nil {
		m.reads = map[int]string{}
	}
	if what, ok := m.reads[i]; ok {
		return what, what != ""
	}
	if m.state.Phase != engine.PhaseWalking && m.state.Phase != engine.PhaseRunning {
		return "", false
	}
	what, _ := StepReads(m.state, i)
	m.reads[i] = truncate(what, 28)
	return m.reads[i], m.reads[i] != ""
}

// takesText reports whether keys go into a text field now (the destructive gate's
// name, a param's value): there a group of runes, a paste above all, is text.
func (m *walkModel) takesText() bool {
	switch m.keyContext() {
	case ctxGateTyped, ctxParams, ctxSearch:
		return true
	}
	return false
}

// handleKeys handles a key message. bubbletea groups the runes that arrive in one
// read (a held key, typing over SSH, a paste, tmux send-keys) into one KeyRunes
// message; in a text field they are text, elsewhere each of them is a key of its
// own, handled in order. A rune that opens a question (a gate, an ask, quitting)
// drops the rest: a question is answered only by keys pressed while it is shown,
// never by a rune that was already on its way.
func (m *walkModel) handleKeys(k tea.KeyMsg) tea.Cmd {
	if k.Type != tea.KeyRunes || len(k.Runes) < 2 || m.takesText() {
		return m.handleKey(k)
	}
	var cmds []tea.Cmd
	for i, r := range k.Runes {
		before := m.keyContext()
		one := k
		one.Runes, one.Paste = []rune{r}, false
		cmds = append(cmds, m.handleKey(one))
		m.syncKeys() // the next rune is matched against what applies after this one
		if m.keyContext() == ctxSearch && i+1 < len(k.Runes) {
			// `/` and its query in one read: the rest is the query, as typed.
			rest := k
			rest.Runes = k.Runes[i+1:]
			cmds = append(cmds, m.searchKey(rest))
			break
		}
		if now := m.keyContext(); m.quitting || (now != before && now != ctxWalk && now != ctxRunning) {
			break
		}
	}
	return tea.Batch(cmds...)
}

func (m *walkModel) handleKey(k tea.KeyMsg) tea.Cmd {
	keys := m.keys
	if m.statusErr { // seen: the key that follows a refusal clears it
		m.status, m.statusErr = "", false
	}
	if key.Matches(k, keys.Interrupt) {
		return m.interrupt()
	}
	if key.Matches(k, keys.Help) {
		m.help.ShowAll = !m.help.ShowAll
		m.syncKeys()
		m.relayout()
		return nil
	}
	switch m.keyContext() {
	case ctxFinal:
		if cmd, ok := m.reviewKey(k); ok {
			return cmd
		}
		if key.Matches(k, keys.Quit, keys.Close) {
			return m.exit()
		}
		return m.scrollKeys(k)
	case ctxQuitConfirm:
		m.quitConfirm = false
		if key.Matches(k, keys.Yes) {
			return m.quitNow()
		}
		return nil
	case ctxAutopilot:
		if key.Matches(k, keys.Quit) {
			return m.quit()
		}
		if cmd, ok := m.demoKey(k); ok {
			return cmd
		}
		return nil
	case ctxSearch:
		return m.searchKey(k)
	case ctxPager:
		return m.pagerKey(k)
	case ctxParams:
		cmd, submit := m.form.Update(k, keys)
		if submit {
			return m.dispatch(engine.Start{Params: m.form.values()})
		}
		return cmd
	case ctxGateRisky:
		switch {
		case m.gateScrollKey(k):
			return nil
		case key.Matches(k, keys.GateYes):
			return m.dispatch(engine.Confirm{Ref: m.gate.gate.Ref, Text: "y", By: engine.ByTyped})
		case key.Matches(k, keys.GateNo):
			return m.dispatch(engine.Cancel{})
		}
		return nil
	case ctxGateTyped:
		switch {
		case m.gateScrollKey(k):
			return nil
		case key.Matches(k, keys.GateSubmit):
			return m.dispatch(engine.Confirm{Ref: m.gate.gate.Ref, Text: m.gate.input.Value(), By: engine.ByTyped})
		case key.Matches(k, keys.GateCancel):
			return m.dispatch(engine.Cancel{})
		}
		var cmd tea.Cmd
		m.gate.retry = "" // the refusal stays until the next key
		m.gate.input, cmd = m.gate.input.Update(k)
		return cmd
	case ctxAsk:
		switch {
		case key.Matches(k, keys.Yes):
			return m.dispatch(engine.Answer{Yes: true})
		case key.Matches(k, keys.No):
			return m.dispatch(engine.Answer{Yes: false})
		case key.Matches(k, keys.GateCancel):
			return m.dispatch(engine.Cancel{})
		case key.Matches(k, keys.Quit):
			return m.quit()
		}
		return m.scrollKeys(k)
	}
	return m.walkKey(k)
}

// revealAsk scrolls the step pane down to the question, which is drawn under the
// blocks at the end of the step: the operator reads it with its evidence above.
func (m *walkModel) revealAsk() {
	if want := max(len(m.docLines)-m.doc.Height, 0); want > m.doc.YOffset {
		m.doc.SetYOffset(want)
	}
}

// gateScrollKey scrolls a gate that does not fit; it reports whether k did.
func (m *walkModel) gateScrollKey(k tea.KeyMsg) bool {
	if !key.Matches(k, m.keys.GateLine, m.keys.GatePage) {
		return false
	}
	switch k.Type {
	case tea.KeyUp:
		m.gate.scroll(-1)
	case tea.KeyDown:
		m.gate.scroll(1)
	case tea.KeyPgUp:
		m.gate.scroll(-m.gate.page())
	case tea.KeyPgDown:
		m.gate.scroll(m.gate.page())
	}
	return true
}

// wheelLines is how far one notch of the mouse wheel scrolls.
const wheelLines = 3

// wheel scrolls the pane under the mouse: the step list and the step pane scroll the
// step's text, the output pane its output, an open gate its body. Other mouse events
// are ignored.
func (m *walkModel) wheel(msg tea.MouseMsg) {
	dir := 0
	switch msg.Button {
	case tea.MouseButtonWheelUp:
		dir = -1
	case tea.MouseButtonWheelDown:
		dir = 1
	default:
		return
	}
	if msg.Action != tea.MouseActionPress {
		return
	}
	switch {
	case m.gate != nil:
		m.gate.scroll(dir * wheelLines)
	case m.form != nil || m.final != nil || m.quitConfirm:
	case msg.Y >= 2+m.bodyH: // below the header (2 lines) and the step pane
		m.out.scroll(dir * wheelLines)
	case msg.Y >= 2:
		if dir < 0 {
			m.doc.ScrollUp(wheelLines)
		} else {
			m.doc.ScrollDown(wheelLines)
		}
	}
}

// introKey is the introduction's page in the Markdown cache.
const introKey = -1

// introKeyHandled handles a key on the introduction's page: enter or ↓ goes to step 1,
// the scrolling and search keys apply, nothing runs.
func (m *walkModel) introKeyHandled(k tea.KeyMsg) (tea.Cmd, bool) {
	keys := m.keys
	switch {
	case key.Matches(k, keys.Run, keys.Down):
		m.intro = false
		m.refreshDoc()
		return nil, true
	case key.Matches(k, keys.Quit, keys.Search, keys.SearchNext, keys.SearchPrev, keys.DocUp, keys.DocDown, keys.Focus, keys.Pager):
		return nil, false
	}
	return nil, true // skip, re-run, a block's number, copy: not on this page
}

// walkKey handles keys while walking or while a block runs.
func (m *walkModel) walkKey(k tea.KeyMsg) tea.Cmd {
	keys := m.keys
	if m.intro && m.state.Phase == engine.PhaseWalking {
		if cmd, done := m.introKeyHandled(k); done {
			return cmd
		}
	}
	switch {
	case key.Matches(k, keys.Quit):
		if m.state.Phase == engine.PhaseRunning {
			m.quitConfirm = true
			return nil
		}
		return m.quit()
	case m.outputFocus && key.Matches(k, keys.Up, keys.Down):
		return m.scrollKeys(k)
	case key.Matches(k, keys.Up):
		if m.state.Cursor > 0 {
			return m.dispatch(engine.Select{Step: m.state.Cursor - 1})
		}
		if m.opts.IntroPage && !m.intro && m.state.Phase == engine.PhaseWalking && introMarkdown(m.rb, m.opts.Banner.Briefing) != "" {
			m.intro = true // back to the introduction, above step 1
			m.refreshDoc()
		}
	case key.Matches(k, keys.Down):
		if m.state.Cursor < len(m.state.Steps)-1 {
			return m.dispatch(engine.Select{Step: m.state.Cursor + 1})
		}
	case key.Matches(k, keys.Run):
		if m.state.Steps[m.state.Cursor].Status.Done() {
			return m.dispatch(engine.Continue{})
		}
		return m.dispatch(engine.Run{Block: -1})
	case key.Matches(k, keys.Rerun):
		return m.dispatch(engine.Run{Block: -1})
	case key.Matches(k, keys.Block):
		return m.dispatch(engine.Run{Block: int(k.Runes[0] - '1')})
	case key.Matches(k, keys.Skip):
		return m.dispatch(engine.Skip{})
	case key.Matches(k, keys.Search):
		m.search = newSearch()
		return textinput.Blink
	case key.Matches(k, keys.SearchNext):
		return m.searchStep(1)
	case key.Matches(k, keys.SearchPrev):
		return m.searchStep(-1)
	case key.Matches(k, keys.Copy):
		return m.copyBlock()
	case key.Matches(k, keys.Pager):
		m.openPager()
	default:
		return m.scrollKeys(k)
	}
	return nil
}

// scrollKeys handles focus and scrolling, which apply in several contexts.
func (m *walkModel) scrollKeys(k tea.KeyMsg) tea.Cmd {
	keys := m.keys
	page := m.out.pageSize()
	switch {
	case key.Matches(k, keys.Focus):
		m.outputFocus = !m.outputFocus
		m.syncKeys()
		m.relayout()
	case m.outputFocus && key.Matches(k, keys.Up):
		m.out.scroll(-1)
	case m.outputFocus && key.Matches(k, keys.Down):
		m.out.scroll(1)
	case m.outputFocus && key.Matches(k, keys.DocUp):
		m.out.scroll(-page)
	case m.outputFocus && key.Matches(k, keys.DocDown):
		m.out.scroll(page)
	case key.Matches(k, keys.DocUp):
		m.doc.HalfPageUp()
	case key.Matches(k, keys.DocDown):
		m.doc.HalfPageDown()
	}
	return nil
}

// interrupt is ctrl+c: it cancels what is in progress (a running block, an open gate)
// and quits when there is nothing to cancel, or when it is pressed a second time.
func (m *walkModel) interrupt() tea.Cmd {
	switch m.keyContext() {
	case ctxRunning:
		if m.cancelled {
			return m.quitNow()
		}
		m.cancelled = true
		cmd := m.dispatch(engine.Cancel{})
		return tea.Batch(cmd, m.setStatus("cancelling… press ctrl+c again to quit", true))
	case ctxGateRisky, ctxGateTyped:
		return m.dispatch(engine.Cancel{})
	case ctxFinal:
		return m.exit()
	}
	return m.quitNow()
}

// quit ends the walk at the operator's request; the final panel follows when there
// is a Finish to show.
func (m *walkModel) quit() tea.Cmd {
	cmd := m.dispatch(engine.Quit{})
	if m.final == nil {
		return tea.Batch(cmd, m.exit())
	}
	return cmd
}

// quitNow leaves at once: whatever runs is cancelled, no final panel.
func (m *walkModel) quitNow() tea.Cmd {
	m.quitting = true
	if m.run != nil {
		m.run.cancel()
	}
	cmd := m.dispatch(engine.Quit{})
	return tea.Batch(cmd, m.exit())
}

func (m *walkModel) exit() tea.Cmd {
	m.quitting = true
	return tea.Quit
}

// setStatus shows a transient message that clears itself.
func (m *walkModel) setStatus(text string, isErr bool) tea.Cmd {
	m.statusID++
	m.status, m.statusErr = textsafe.Visible(text), isErr
	id := m.statusID
	if isErr {
		return nil // a refusal stays until the next key (handleKey)
	}
	return tea.Tick(statusTTL, func(time.Time) tea.Msg { return statusClearMsg{id: id} })
}

// mask readies text from outside (a gate, a result, a finding, a preview) for the
// screen: secrets masked, and escape sequences, controls, bidi and zero-width
// characters written out (\x1b, <U+202E>).
func (m *walkModel) mask(s string) string { return textsafe.Visible(m.maskSecrets(s)) }

// maskSecrets only masks: an output line keeps its escapes for the pane, which
// removes them (cleanLine).
func (m *walkModel) maskSecrets(s string) string {
	if m.opts.Mask == nil {
		return s
	}
	return m.opts.Mask(s)
}

// modalOpen names the modal on screen, or "".
func (m *walkModel) modalOpen() string {
	switch {
	case m.final != nil:
		return "final"
	case m.quitConfirm:
		return "quit"
	case m.gate != nil:
		return "gate"
	case m.state.Phase == engine.PhaseAsking:
		return "ask"
	}
	return ""
}

func terminal(p engine.Phase) bool { return p == engine.PhaseDone || p == engine.PhaseAborted }

// shutdown releases what the walk holds once its program has ended: the running
// block is cancelled (and waited for, briefly).
func (m *walkModel) shutdown(wait time.Duration) {
	if m.run != nil {
		m.run.cancel()
	}
	// Nobody reads output any more: let the command's sends give up, then wait for
	// it to end so that it leaves no process behind.
	m.lifeOnce.Do(func() { close(m.life) })
	done := make(chan struct{})
	go func() { m.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(wait):
	}
}
