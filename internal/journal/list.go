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
	Training  string // the drill's scenario, "" for a real incident
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
