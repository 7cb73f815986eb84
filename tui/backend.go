// Package tui holds dynodoc's bubbletea models: the runbook picker, the walk screen, gates
// and forms. Keys become engine events; engine effects become tea.Cmds that call a
// Backend. All lipgloss styles live in styles.go and all key bindings in keys.go.
package tui

import "github.com/dynodoc/dynodoc/internal/effects"

// Backend is effects.Backend, which the TUI calls from its tea.Cmds and the plain mode
// from its loop.
type Backend = effects.Backend
