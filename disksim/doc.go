// Package disksim is the simulated filesystem behind each simulated node.
//
// It models what a power loss can do to a POSIX filesystem, in the spirit
// of pebble's strict MemFS, and injects faults in the spirit of pebble's
// errorfs.
//
// # Durability model
//
// Every file has a current content (what reads see) and a synced content
// (what is on the platter). File.Sync makes the synced content equal the
// current content. Every directory has current entries and synced entries
// (name -> inode); Create, OpenAppend (when it creates), Rename, Remove and
// MkdirAll change the current entries of the parent directory, and only
// SyncDir of that directory makes them durable. A file that was synced but
// whose directory entry never was does not survive a power loss. The root
// directory itself always exists.
//
// Create on an existing file truncates it in place (O_TRUNC): the truncation
// is pending until the next Sync of the file, exactly like appended data.
//
// # Crashes
//
// Crash(CrashLoseAll) and Crash(CrashTorn) simulate a power loss: every
// directory reverts to its synced entries, and every file still reachable
// keeps its synced content plus, for CrashTorn, a prefix of its unsynced tail
// whose length is drawn from the RNG (a file truncated since its last sync
// either keeps its synced content, or is truncated and keeps a prefix of what
// was written since). Files reachable only through unsynced entries vanish.
// Whatever is kept becomes both current and synced, so bytes lost in a crash
// can never reappear. Crash(CrashKeepAll) is a kill -9 of the process: the
// page cache survives, nothing changes on disk. In every mode, file handles
// opened before the crash fail with ErrStaleHandle.
//
// Directories revert as a whole; a rename between two directories of which
// only one was synced can therefore leave the file reachable under both names
// (or neither) after a crash, as in pebble's strict MemFS.
//
// # Faults
//
// Injectors (AddInjector) are evaluated in order for every operation; the
// first enabled one whose op set and path glob match and whose probability
// fires decides the fault. See Injector for what each operation does when
// a fault fires.
//
// Everything random comes from the *sim.Rand given to New, and every walk
// over names is sorted, so a seed replays byte for byte.
package disksim
