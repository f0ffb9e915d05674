package node

// valueKind is a key's type, numbered as Redis's OBJ_STRING..OBJ_HASH
// (DEBUG DIGEST mixes the number in).
type valueKind uint8

const (
	kindString valueKind = 0
	kindList   valueKind = 1
	kindSet    valueKind = 2
	kindZset   valueKind = 3
	kindHash   valueKind = 4
)

// String is the TYPE name.
func (k valueKind) String() string {
	switch k {
	case kindList:
		return "list"
	case kindSet:
		return "set"
	case kindZset:
		return "zset"
	case kindHash:
		return "hash"
	}
	return "string"
}

// value is what a non-plain key holds: a collection, or a tag on a string
// whose encoding its content does not tell (strEnc). A plain string has a
// nil value and its bytes in entry.val.
type value interface {
	kind() valueKind
	// encoding is the OBJECT ENCODING name.
	encoding() string
}

// strEnc tags a string whose OBJECT ENCODING differs from what its
// content would get from tryObjectEncoding: APPEND and SETRANGE leave a
// raw string, INCRBYFLOAT an embstr even when the result is an integer,
// COPY an int its own object.
type strEnc uint8

const (
	strRaw strEnc = iota + 1
	strEmbstr
	// strInt is an int-encoded string that is not one of the shared
	// integers (COPY's duplicate of one): OBJECT REFCOUNT 1.
	strInt
)

func (strEnc) kind() valueKind { return kindString }

func (s strEnc) encoding() string {
	switch s {
	case strRaw:
		return "raw"
	case strInt:
		return "int"
	}
	return "embstr"
}

// kind is e's type.
func (e *entry) kind() valueKind {
	if e.obj == nil {
		return kindString
	}
	return e.obj.kind()
}

// encoding is e's OBJECT ENCODING.
func (e *entry) encoding() string {
	if e.obj != nil {
		enc := e.obj.encoding()
		if enc == "embstr" && len(e.val) > embstrMax {
			return "raw"
		}
		return enc
	}
	return stringEncoding(e.val)
}

// embstrMax is OBJ_ENCODING_EMBSTR_SIZE_LIMIT.
const embstrMax = 44

// stringEncoding is the encoding tryObjectEncoding gives a string: int
// for the canonical form of a long of at most 20 characters, embstr up
// to 44 bytes, raw beyond.
func stringEncoding(s string) string {
	if len(s) <= 20 {
		if _, ok := parseInt([]byte(s)); ok {
			return "int"
		}
	}
	if len(s) <= embstrMax {
		return "embstr"
	}
	return "raw"
}

// lookupKind returns the live entry for key when it holds kind k, nil and
// true when the key is missing, and nil and false (after replying
// WRONGTYPE) when it holds another type.
func (n *Node) lookupKind(c *client, key []byte, k valueKind) (*entry, bool) {
	e := n.lookup(c, key)
	if e == nil {
		return nil, true
	}
	if e.kind() != k {
		c.addError(errWrongType)
		return nil, false
	}
	return e, true
}

// lookupString is lookupKind for strings.
func (n *Node) lookupString(c *client, key []byte) (*entry, bool) {
	return n.lookupKind(c, key, kindString)
}
