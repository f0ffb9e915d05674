// Package lint holds tests that enforce the project's determinism rules
// mechanically over the source tree.
package lint
