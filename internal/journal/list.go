package journal

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Summary is one line of the session list.
type Summary struct {
	ID        string
	Runbook   string
	Title     string            // the runbook's front matter title
	Apps      map[string]string // app -> environment
	Training  string            // the drill's scenario, "" for a real incident
	Verdict   string            // the walk's verdict (VerdictResolved...), when it gave one
	Operator  string
	Started   time.Time
	Status    string // finished, aborted or unfinished
	StepsDone int
	Steps     int
	// Problem is set when the journal is damaged: it cannot be resumed as it is.
	Problem string
}

// List summarises every journal in dir, newest first. A missing dir is an empty list;
// a damaged journal is listed with its Problem.
func List(dir string) ([]Summary, error) {
	if dir == "" {
		return nil, ErrNoDir
	}
	paths, err := filepath.Glob(filepath.Join(dir, "*"+Ext))
	if err != nil {
		return nil, fmt.Errorf("unable to list sessions: %w", err)
	}
	list := make([]Summary, 0, len(paths))
	for _, p := range paths {
		id := strings.TrimSuffix(filepath.Base(p), Ext)
		if !validID(id) {
			continue
		}
		s, err := Read(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue // removed meanwhile
		}
		list = append(list, summarise(id, s, err))
	}
	slices.SortFunc(list, func(a, b Summary) int {
		return cmp.Or(b.Started.Compare(a.Started), strings.Compare(b.ID, a.ID))
	})
	return list, nil
}

func summarise(id string, s *Session, err error) Summary {
	sum := Summary{ID: id, Status: StatusUnfinished}
	if s != nil {
		sum.Runbook, sum.Training, sum.Operator = s.Meta.Runbook, s.Meta.Training, s.Meta.Operator
		sum.Started, sum.Status = s.Meta.Started, s.Status()
		sum.StepsDone, sum.Steps = s.StepsDone(), len(s.Meta.Steps)
		sum.Title, sum.Apps = s.Meta.Title, s.Meta.Apps
		for _, r := range s.Records {
			if r.Type == TypeVerdict {
				sum.Verdict = r.Status
			}
		}
	}
	if err != nil {
		sum.Problem = err.Error()
	}
	if sum.Started.IsZero() && len(id) >= len(idTime) {
		// No readable meta: the id still tells when the session began.
		sum.Started, _ = time.Parse(idTime, id[:len(idTime)])
	}
	return sum
}

// ErrNoUnfinished means no session in the directory was interrupted.
var ErrNoUnfinished = errors.New("no unfinished session to resume: `dynodoc sessions` lists them all")

// LatestUnfinished returns the id of the newest interrupted session (no end record)
// whose journal is intact: the one `dynodoc resume` picks by default.
func LatestUnfinished(dir string) (string, error) {
	list, err := List(dir)
	if err != nil {
		return "", err
	}
	for _, s := range list {
		if s.Status == StatusUnfinished && s.Problem == "" {
			return s.ID, nil
		}
	}
	return "", ErrNoUnfinished
}

// Resumable says why the session cannot be resumed, or "" when it can: it was
// interrupted or quit, its journal is intact, and it is not a drill (a drill's
// simulated Heroku is gone with the process that served it).
func (s Summary) Resumable() (whyNot string) {
	switch {
	case s.Problem != "":
		return "its journal is damaged"
	case s.Training != "":
		return "a training drill (" + s.Training + ", " + s.Status + ") whose simulated Heroku is gone"
	case IsGuard(s.Runbook):
		return "a command run through dynodoc guard: there is no walk to resume"
	case s.Status == StatusFinished:
		return "it is finished"
	}
	return ""
}

// Skipped is a session LatestResumable passed over, and why.
type Skipped struct {
	ID, Why string
}

// LatestResumable returns the id of the newest session that can be resumed, and the
// newer sessions it skipped that the operator may have meant (drills, whose simulated
// Heroku is gone, and unfinished sessions with a damaged journal), with why.
func LatestResumable(dir string) (string, []Skipped, error) {
	list, err := List(dir)
	if err != nil {
		return "", nil, err
	}
	var skipped []Skipped
	for _, s := range list {
		why := s.Resumable()
		if why == "" {
			return s.ID, skipped, nil
		}
		if s.Status != StatusFinished || s.Training != "" {
			skipped = append(skipped, Skipped{ID: s.ID, Why: why})
		}
	}
	return "", skipped, ErrNoResumable
}

// ErrNoResumable means no session in the directory can be resumed.
var ErrNoResumable = errors.New("no session to resume (an interrupted or quit walk that is not a drill): `dynodoc sessions` lists them all")

// guardPrefix starts the runbook name of a session that dynodoc guard journaled for
// one Heroku CLI command.
const guardPrefix = "guard: "

// IsGuard reports whether a session's runbook name is that of a guarded command.
func IsGuard(runbook string) bool { return strings.HasPrefix(runbook, guardPrefix) }
