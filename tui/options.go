package tui

import (
	"context"
	"io"
	"regexp"
	"time"

	"github.com/dynodoc/dynodoc/internal/engine"
	"github.com/dynodoc/dynodoc/internal/runbook"
)

// Options configure a walk.
type Options struct {
	// Runbook is the runbook to walk; Config.Runbook is used when it is nil.
	Runbook *runbook.Runbook
	// Config fixes the engine session (params given by flags, dry run, registry).
	Config engine.Config
	// Initial, when set, is the state to start from instead of engine.New(Config): a
	// resumed session replayed from its journal.
	Initial *engine.State
	// Backend performs commands, checks and actions. Nil runs nothing: every block
	// then ends in an error that says so.
	Backend Backend
	// Journal receives every engine record, in order, from Update: it must queue the
	// record and return (journal.Writer.Append does). The Backend is expected to wait
	// for the records to be on disk before it starts a command or an action.
	Journal func(engine.Record)
	// Mask hides secrets in text shown on screen (output lines, summaries, previews).
	Mask func(string) string
	// Banner adds session facts to the header (training mode).
	Banner Banner
	// Autopilot, when set, plays the walk: after each settled state and
	// AutopilotDelay it is asked for the next event (ok=false leaves the keys to
	// the operator).
	Autopilot      func(engine.State) (engine.Event, bool)
	AutopilotDelay time.Duration
	// Demo, when set with Autopilot, paces it for a reader and lets them pause it.
	Demo *Demo
	// Finish, when set, is called (in a tea.Cmd) once the walk is done or aborted;
	// its text is shown in the final panel.
	Finish func(engine.State) string
	// NoHerokuCLI says that `heroku` is not on PATH: command blocks that call it say
	// so before they are run.
	NoHerokuCLI bool
	// NoColor drops colours (NO_COLOR is also honoured by RunWalk).
	NoColor bool
	// IntroPage shows the runbook's introduction (and a drill's briefing) as a page of
	// its own before step 1, where a new walk starts; without it they open step 1.
	IntroPage bool
	// Clipboard receives the OSC 52 sequence that `c` writes (the terminal; RunWalk
	// sets it to its output). Nil: nothing can be copied.
	Clipboard io.Writer
	// Width and Height are the initial size, before the terminal reports one (tests).
	Width, Height int
	// Context, when set, ends the walk once it is done (a signal such as SIGHUP): the
	// running command is cancelled and waited for, as on quit.
	Context context.Context
}

// Banner is what the header says about the session beyond the runbook and its app.
type Banner struct {
	// Training marks a drill against the simulated Heroku: the header says TRAINING.
	Training bool
	// Scenario is the drill's scenario name.
	Scenario string
	// Apps are the simulated apps, named in the TRAINING badge.
	Apps []string
	// Briefing is the drill's story, shown before the first step.
	Briefing string
	// Session is the journaled session's id, shown in the header ("" when there is none).
	Session string
	// Started is when the incident's session began (a resumed one: its first record);
	// the header shows the time since. Zero shows none.
	Started time.Time
}

const (
	defaultWidth          = 80
	defaultHeight         = 24
	defaultAutopilotDelay = 1200 * time.Millisecond
	statusTTL             = 4 * time.Second
	outputLimit           = 10000
)

var herokuCall = regexp.MustCompile(`(^|[\s;|&(!])heroku(\s|$)`)

// CallsHeroku reports whether a shell block's text runs the Heroku CLI.
func CallsHeroku(body string) bool { return herokuCall.MatchString(body) }
