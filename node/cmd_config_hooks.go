package node

import "fmt"

// ConfigSet changes one setting at runtime, as CONFIG SET name value would.
func (n *Node) ConfigSet(name, value string) error {
	return fmt.Errorf("CONFIG SET %s: not implemented", name)
}
