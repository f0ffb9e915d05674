// Package interop holds the tests that replicate between `replsim server`
// and a real redis-server 7.0 on loopback, in both directions.
package interop
