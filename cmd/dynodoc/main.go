package main

import (
	"os"

	"github.com/dynodoc/dynodoc/internal/cli"
)

func main() { os.Exit(cli.Main()) }
