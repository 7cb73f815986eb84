//go:build !windows

package shell

import "syscall"

// signalGroup sends sig to every process of the group pgid leads.
func signalGroup(pgid int, sig syscall.Signal) error { return syscall.Kill(-pgid, sig) }

// groupExists reports whether any process, zombies included, is left in the group.
func groupExists(pgid int) bool { return syscall.Kill(-pgid, 0) == nil }
