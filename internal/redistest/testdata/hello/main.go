// Command hello is a tiny main package for redistest's Binary test.
package main

func main() {}
