// Command dynodoc-engine is all of dynodoc: the dynodoc front (cmd/dynodoc) execs it
// for every command but the few it answers itself. It runs the same when called
// directly.
package main

import (
	"os"

	"github.com/dynodoc/dynodoc/internal/cli"
)

func main() { os.Exit(cli.Main()) }
