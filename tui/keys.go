package tui

import "github.com/charmbracelet/bubbles/key"

// keyMap is the one table of key bindings. Handlers match against these bindings and
// bubbles/help renders them, so a key that does not apply is disabled once (in
// apply) and disappears from both.
type keyMap struct {
	// Walk.
	Up, Down       key.Binding
	Run            key.Binding // enter: run the step, or continue once it is finished
	Block          key.Binding // 1-9: run one block
	Skip, Rerun    key.Binding
	Focus          key.Binding
	DocUp, DocDown key.Binding
	// Search and copy.
	Search, SearchNext, SearchPrev, Copy key.Binding
	Pager                                key.Binding // v: the step's text full screen
	// Ask and quit confirmation.
	Yes, No key.Binding
	// Gates.
	GateYes, GateNo, GateSubmit, GateCancel key.Binding
	GateLine, GatePage                      key.Binding // scroll a gate that does not fit
	// Params form.
	FormNext, FormPrev, FormSubmit key.Binding
	// Final panel.
	Close key.Binding
	// Always.
	Help, Quit, Interrupt key.Binding

	ctx keyContext // set by apply: the short help depends on it
}

func newKeyMap() keyMap {
	slash, next, prev, cp := searchBindings()
	return keyMap{
		Search: slash, SearchNext: next, SearchPrev: prev, Copy: cp,
		Pager:      key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "full screen")),
		Up:         key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:       key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Run:        key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "run")),
		Block:      key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6", "7", "8", "9"), key.WithHelp("1-9", "run one block")),
		Skip:       key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "skip")),
		Rerun:      key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "re-run")),
		Focus:      key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "output")),
		DocUp:      key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", "scroll step up")),
		DocDown:    key.NewBinding(key.WithKeys("pgdown", "ctrl+d", " "), key.WithHelp("pgdn", "scroll step down")),
		Yes:        key.NewBinding(key.WithKeys("y", "Y"), key.WithHelp("y", "yes")),
		No:         key.NewBinding(key.WithKeys("n", "N"), key.WithHelp("n", "no")),
		GateYes:    key.NewBinding(key.WithKeys("y", "Y"), key.WithHelp("y", "run it")),
		GateNo:     key.NewBinding(key.WithKeys("n", "N", "enter", "esc"), key.WithHelp("n/enter", "don't run")),
		GateSubmit: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "confirm")),
		GateCancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "don't run")),
		GateLine:   key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "scroll")),
		GatePage:   key.NewBinding(key.WithKeys("pgup", "pgdown"), key.WithHelp("pgup/pgdn", "page")),
		FormNext:   key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab", "next field")),
		FormPrev:   key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab", "previous field")),
		FormSubmit: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "start")),
		Close:      key.NewBinding(key.WithKeys("enter", "esc"), key.WithHelp("enter", "exit")),
		Help:       key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "all keys")),
		Quit:       key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		Interrupt:  key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
	}
}

// keyContext is what the screen is doing, as far as keys are concerned.
type keyContext int

const (
	ctxWalk keyContext = iota
	ctxRunning
	ctxGateRisky
	ctxGateTyped
	ctxAsk
	ctxParams
	ctxQuitConfirm
	ctxFinal
	ctxAutopilot // the autopilot is answering: only help and quitting apply
	ctxSearch    // a search query is typed
	ctxPager     // the step's text is shown full screen
)

// keyState is everything apply needs to decide which bindings are live.
type keyState struct {
	ctx          keyContext
	stepDone     bool // the cursor step is finished: enter continues, r re-runs
	stepRunnable bool // the cursor step has something to run
	blocks       int  // runnable blocks in the cursor step (1-9 applies when > 1)
	outputFocus  bool
	showAll      bool
	lastField    bool   // the params form's focus is on its last field
	gateScroll   bool   // the open gate does not fit: its body scrolls
	searched     bool   // a search has matches to step through
	reads        string // what enter reads, when the cursor step only reads
	intro        bool   // the introduction's page is shown
}

// apply enables the bindings that mean something in ks and sets their help text.
func (k *keyMap) apply(ks keyState) {
	k.ctx = ks.ctx
	all := []*key.Binding{
		&k.Up, &k.Down, &k.Run, &k.Block, &k.Skip, &k.Rerun, &k.Focus, &k.DocUp, &k.DocDown,
		&k.Yes, &k.No, &k.GateYes, &k.GateNo, &k.GateSubmit, &k.GateCancel, &k.GateLine, &k.GatePage,
		&k.FormNext, &k.FormPrev, &k.FormSubmit, &k.Close, &k.Help, &k.Quit, &k.Interrupt,
		&k.Search, &k.SearchNext, &k.SearchPrev, &k.Copy, &k.Pager,
	}
	for _, b := range all {
		b.SetEnabled(false)
	}
	on := func(bs ...*key.Binding) {
		for _, b := range bs {
			b.SetEnabled(true)
		}
	}
	on(&k.Help, &k.Interrupt)
	if ks.showAll {
		k.Help.SetHelp("?", "fewer keys")
	} else {
		k.Help.SetHelp("?", "all keys")
	}
	k.Interrupt.SetHelp("ctrl+c", "quit")
	k.Quit.SetHelp("q", "quit")
	scroll := func(back string) {
		k.Focus.SetHelp("tab", "output")
		if ks.outputFocus {
			on(&k.Up, &k.Down)
			k.Up.SetHelp("↑/k", "scroll up")
			k.Down.SetHelp("↓/j", "scroll down")
			k.Focus.SetHelp("tab", back)
		}
	}

	if ks.gateScroll && (ks.ctx == ctxGateRisky || ks.ctx == ctxGateTyped) {
		on(&k.GateLine, &k.GatePage)
	}
	switch ks.ctx {
	case ctxSearch:
		k.Help.SetEnabled(false) // '?' may be searched for
		on(&k.GateSubmit, &k.GateCancel)
		k.GateSubmit.SetHelp("enter", "search")
		k.GateCancel.SetHelp("esc", "cancel")
	case ctxPager:
		on(&k.Up, &k.Down, &k.DocUp, &k.DocDown, &k.Pager, &k.GateCancel, &k.Quit)
		k.Up.SetHelp("↑/k", "up")
		k.Down.SetHelp("↓/j", "down")
		k.Pager.SetHelp("v", "back")
		k.GateCancel.SetHelp("esc", "back")
		k.Quit.SetHelp("q", "back")
	case ctxWalk, ctxRunning:
		on(&k.Quit, &k.Focus, &k.DocUp, &k.DocDown, &k.Search, &k.Copy, &k.Pager)
		if ks.searched {
			on(&k.SearchNext, &k.SearchPrev)
		}
		k.Up.SetHelp("↑/k", "up")
		k.Down.SetHelp("↓/j", "down")
		scroll("back to steps")
		if ks.ctx == ctxRunning {
			k.Interrupt.SetHelp("ctrl+c", "cancel")
			break
		}
		on(&k.Up, &k.Down, &k.Skip)
		switch {
		case ks.stepDone:
			on(&k.Run)
			k.Run.SetHelp("enter", "continue")
			if ks.stepRunnable {
				on(&k.Rerun)
			}
		case ks.stepRunnable && ks.reads != "":
			on(&k.Run)
			k.Run.SetHelp("enter", "read "+ks.reads)
		case ks.stepRunnable:
			on(&k.Run)
			k.Run.SetHelp("enter", "run")
		default:
			on(&k.Run)
			k.Run.SetHelp("enter", "mark read")
		}
		if ks.blocks > 1 {
			on(&k.Block)
		}
		if ks.intro {
			k.Skip.SetEnabled(false)
			k.Rerun.SetEnabled(false)
			k.Block.SetEnabled(false)
			k.Copy.SetEnabled(false)
			k.Up.SetEnabled(false)
			on(&k.Run)
			k.Run.SetHelp("enter", "step 1")
		}
	case ctxGateRisky:
		on(&k.GateYes, &k.GateNo)
		k.Interrupt.SetHelp("ctrl+c", "don't run")
	case ctxGateTyped:
		// Every printable key is typed into the name field, so ? is not help here.
		k.Help.SetEnabled(false)
		on(&k.GateSubmit, &k.GateCancel)
		k.GateCancel.SetHelp("esc", "don't run")
		k.Interrupt.SetHelp("ctrl+c", "don't run")
	case ctxAsk:
		on(&k.Yes, &k.No, &k.GateCancel, &k.Quit, &k.Focus, &k.DocUp, &k.DocDown)
		k.Yes.SetHelp("y", "yes")
		k.No.SetHelp("n", "no")
		k.GateCancel.SetHelp("esc", "not now")
		scroll("back")
	case ctxParams:
		k.Help.SetEnabled(false) // '?' may be part of a value
		on(&k.FormNext, &k.FormPrev, &k.FormSubmit)
		if ks.lastField {
			k.FormSubmit.SetHelp("enter", "start")
		} else {
			k.FormSubmit.SetHelp("enter", "next field")
		}
	case ctxQuitConfirm:
		on(&k.Yes, &k.No)
		k.Yes.SetHelp("y", "quit anyway")
		k.No.SetHelp("n/enter", "keep going")
	case ctxFinal:
		on(&k.Quit, &k.Close, &k.Focus, &k.DocUp, &k.DocDown)
		k.Quit.SetHelp("q", "exit")
		scroll("back")
	case ctxAutopilot:
		on(&k.Quit)
		k.Interrupt.SetHelp("ctrl+c", "stop and quit")
	}
}

// ShortHelp is the one-line help: the keys that matter now, the most useful first
// (the line is cut on a narrow screen).
func (k keyMap) ShortHelp() []key.Binding {
	switch k.ctx {
	case ctxGateRisky:
		return []key.Binding{k.GateYes, k.GateNo, k.GateLine, k.GatePage}
	case ctxGateTyped:
		return []key.Binding{k.GateSubmit, k.GateCancel, k.GateLine, k.GatePage}
	case ctxAsk:
		return []key.Binding{k.Yes, k.No, k.GateCancel, k.Help, k.Quit}
	case ctxParams:
		return []key.Binding{k.FormSubmit, k.FormNext, k.FormPrev, k.Interrupt}
	case ctxQuitConfirm:
		return []key.Binding{k.Yes, k.No}
	case ctxFinal:
		return []key.Binding{k.Quit, k.Focus, k.Help}
	case ctxAutopilot:
		return []key.Binding{k.Quit, k.Help}
	case ctxRunning:
		return []key.Binding{k.Interrupt, k.Focus, k.Up, k.Down, k.Help, k.Quit, k.SearchNext, k.Search}
	case ctxSearch:
		return []key.Binding{k.GateSubmit, k.GateCancel}
	case ctxPager:
		return []key.Binding{k.Pager, k.Up, k.Down, k.DocDown, k.DocUp, k.Help, k.Quit}
	}
	return []key.Binding{k.Run, k.Skip, k.Rerun, k.Up, k.Down, k.Help, k.Quit, k.SearchNext, k.Copy, k.Focus, k.Search, k.Pager}
}

// FullHelp is the `?` view, one column per kind of key.
func (k keyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.DocUp, k.DocDown, k.Focus, k.Search, k.SearchNext, k.SearchPrev, k.Copy, k.Pager},
		{k.Run, k.Block, k.Skip, k.Rerun},
		{k.Yes, k.No, k.GateYes, k.GateNo, k.GateSubmit, k.GateCancel, k.GateLine, k.GatePage},
		{k.FormNext, k.FormPrev, k.FormSubmit},
		{k.Close, k.Quit, k.Interrupt, k.Help},
	}
}

// pickerKeyMap adds choosing and leaving to bubbles/list's own keys.
type pickerKeyMap struct {
	Choose, Cancel, Interrupt key.Binding
}

func newPickerKeyMap() pickerKeyMap {
	return pickerKeyMap{
		Choose:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "choose")),
		Cancel:    key.NewBinding(key.WithKeys("esc", "q"), key.WithHelp("q", "quit")),
		Interrupt: key.NewBinding(key.WithKeys("ctrl+c")),
	}
}
