// Command dynodoc-guard is `dynodoc guard -- heroku ARGS` in a binary of its own, small
// enough to start in about a millisecond: the shell function of `dynodoc guard init`
// calls it when it is installed next to dynodoc.
package main

import (
	"os"

	"github.com/dynodoc/dynodoc/internal/build"
	"github.com/dynodoc/dynodoc/internal/guard"
)

func main() { os.Exit(guard.Main(os.Args[1:], build.String())) }
