import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The temporary files a stage has open, removed when SIGINT, SIGTERM or SIGHUP ends it.
///
/// The handler may run at any instruction, so it only walks a fixed table of C strings that were
/// copied when each file was registered, calls `unlink` (async-signal-safe) on each, then restores
/// the default action and raises the signal again so the parent sees the usual exit status.
/// SIGXFSZ is ignored: over a file-size limit `write` then fails with EFBIG, which the writer
/// reports as an ordinary error naming the file.
public enum SignalCleanup {
    static let capacity = 256
    nonisolated(unsafe) static let slots: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let p = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
        p.initialize(repeating: nil, count: capacity)
        return p
    }()
    nonisolated(unsafe) static var lock = pthread_mutex_t()
    nonisolated(unsafe) static var installed = false

    /// Installs the handlers (once per process).
    public static func install() {
        guard !installed else { return }
        installed = true
        pthread_mutex_init(&lock, nil)
        _ = slots
        signal(SIGXFSZ, SIG_IGN)
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            var action = sigaction()
            #if canImport(Glibc)
                action.__sigaction_handler.sa_handler = signalHandler
            #else
                action.__sigaction_u.__sa_handler = signalHandler
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(sig, &action, nil)
        }
    }

    /// A registered path: its slot and the C string stored there.
    public struct Token {
        let slot: Int
        let string: UnsafeMutablePointer<CChar>
    }

    /// Remembers `path` until `unregister` (nil when the table is full, which only costs the
    /// cleanup of that one file on a signal).
    @discardableResult
    public static func register(_ path: String) -> Token? {
        guard let copy = strdup(path) else { return nil }
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        for i in 0..<capacity where slots[i] == nil {
            slots[i] = copy
            return Token(slot: i, string: copy)
        }
        free(copy)
        return nil
    }

    /// Forgets a registered path (after it was renamed or removed); a no-op when `removeAll`
    /// already took it.
    public static func unregister(_ token: Token?) {
        guard let token else { return }
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        guard slots[token.slot] == token.string else { return }
        slots[token.slot] = nil
        free(token.string)
    }

    /// Removes every registered file now (on the error path, before the process exits).
    public static func removeAll() {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        for i in 0..<capacity {
            if let p = slots[i] {
                unlink(p)
                free(p)
                slots[i] = nil
            }
        }
    }
}

/// The signal handler: unlink only, then die of the same signal.
private func signalHandler(_ sig: Int32) {
    for i in 0..<SignalCleanup.capacity {
        if let p = SignalCleanup.slots[i] { unlink(p) }
    }
    signal(sig, SIG_DFL)
    raise(sig)
}

/// Temporary files (`.<name>.tmp-<pid>`) left by a stage that was killed (kill -9, power loss).
public enum StaleTemporaries {
    /// The process id in a temporary file's name, or nil when `name` is not one.
    public static func pid(inTemporaryName name: String) -> Int32? {
        guard name.hasPrefix("."), let r = name.range(of: ".tmp-", options: .backwards) else { return nil }
        // Only the pipeline's own pattern: `.` + file name + `.tmp-` + digits.
        let digits = name[r.upperBound...]
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let pid = Int32(digits) else {
            return nil
        }
        return pid
    }

    /// Whether process `pid` is still running (then its temporary file is not stale). A process
    /// that is exiting (killed: the kernel's PF_EXITING flag) or has exited and awaits its parent
    /// (a zombie) still answers `kill(pid, 0)`, but will write nothing more.
    static func isAlive(_ pid: Int32) -> Bool {
        if pid == getpid() { return true }
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        return !isExiting(pid)
    }

    /// From `/proc/<pid>/stat` (Linux): state Z or X, or the PF_EXITING flag (0x4). False where
    /// there is no such file.
    static func isExiting(_ pid: Int32) -> Bool {
        guard let bytes = try? FilePaths.readAll("/proc/\(pid)/stat") else { return false }
        let text = String(decoding: bytes, as: UTF8.self)
        // "pid (comm) state ppid pgrp session tty_nr tpgid flags …"; comm may hold spaces and ')'.
        guard let close = text.range(of: ")", options: .backwards) else { return false }
        let fields = text[close.upperBound...].split(separator: " ")
        guard fields.count > 6, let flags = UInt64(fields[6]) else { return false }
        return fields[0] == "Z" || fields[0] == "X" || flags & 0x4 != 0
    }

    /// Removes the temporaries in `dir` whose writer is gone; `names` limits it to temporaries of
    /// those file names (for folders the pipeline shares with other files, like reports/).
    /// Returns the removed paths.
    @discardableResult
    public static func remove(in dir: String, onlyFor names: Set<String>? = nil, evenIfAlive: Bool = false) -> [String]
    {
        guard let d = opendir(dir) else { return [] }
        defer { closedir(d) }
        var removed: [String] = []
        while let e = readdir(d) {
            let name = withUnsafePointer(to: e.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: e.pointee.d_name)) {
                    String(cString: $0)
                }
            }
            guard let pid = pid(inTemporaryName: name), let cut = name.range(of: ".tmp-", options: .backwards) else {
                continue
            }
            if let names, !names.contains(String(name[name.index(after: name.startIndex)..<cut.lowerBound])) {
                continue
            }
            guard evenIfAlive || !isAlive(pid) else { continue }
            let path = "\(dir)/\(name)"
            if unlink(path) == 0 { removed.append(path) }
        }
        return removed.sorted()
    }
}
