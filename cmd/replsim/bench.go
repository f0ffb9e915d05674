package main

import "io"

func benchCommand(args []string, stdout, stderr io.Writer) int { return 2 }
