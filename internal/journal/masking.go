package journal

import (
	"github.com/dynodoc/dynodoc/internal/engine"
	"github.com/dynodoc/dynodoc/internal/textsafe"
)

// maskRecord masks a record's free text: the command, the note, params, and the
// result's summary, findings and output. Structural fields (types, ids, levels, app
// names and environments) stay, and so does Text: it holds the runbook's question or
// what the operator typed at a gate (y, yes/no, the app's name), which resume replays
// verbatim. The command's control, bidi and zero-width characters are written out
// (\x1b, <U+202E>), as the gate showed them: a journal read with cat or less must not
// hide what ran. r must be a clone: its maps and slices are changed in place.
func maskRecord(r engine.Record, m *Masker) engine.Record {
	r.Command = textsafe.Visible(m.Mask(r.Command))
	r.Note = m.Mask(r.Note)
	for k, v := range r.Params {
		r.Params[k] = m.Mask(v)
	}
	if res := r.Result; res != nil {
		res.Summary = m.Mask(res.Summary)
		maskAll(res.Findings, m)
		maskAll(res.OutputTail, m)
	}
	return r
}

func maskAll(lines []string, m *Masker) {
	for i, l := range lines {
		lines[i] = m.Mask(l)
	}
}

// maskMeta returns a copy of meta whose params and block commands are masked.
func maskMeta(meta Meta, m *Masker) *Meta {
	meta.Params, meta.EnvNotes = maskValues(meta.Params, m), maskValues(meta.EnvNotes, m)
	if meta.Steps != nil {
		steps := make([]StepInfo, len(meta.Steps))
		for i, s := range meta.Steps {
			blocks := make([]BlockInfo, len(s.Blocks))
			for j, b := range s.Blocks {
				b.Command = textsafe.Visible(m.Mask(b.Command))
				blocks[j] = b
			}
			if s.Blocks == nil {
				blocks = nil
			}
			s.Blocks = blocks
			steps[i] = s
		}
		meta.Steps = steps
	}
	return &meta
}

// maskValues is a copy of values with each value masked (nil stays nil).
func maskValues(values map[string]string, m *Masker) map[string]string {
	if values == nil {
		return nil
	}
	out := make(map[string]string, len(values))
	for k, v := range values {
		out[k] = m.Mask(v)
	}
	return out
}
