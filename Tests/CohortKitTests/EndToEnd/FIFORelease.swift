import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs code that must not open a named pipe for reading, without letting a test hang when it
/// does: once `seconds` have passed, and then every tenth of a second until the code returns, a
/// watcher opens each pipe for writing without blocking (which succeeds only while a reader has
/// it open or is blocked opening it) and closes it again. A blocked reader, in this process or in
/// a stage or make run as a child, then reads an empty file and goes on, and the test fails on
/// `released` instead of waiting forever.
enum FIFORelease {
    private final class State: @unchecked Sendable {
        let lock = NSLock()
        var done = false
        var released = false
    }

    static func run<T>(releasing fifos: [String], after seconds: Double = 3, _ body: () throws -> T) rethrows -> (
        result: T, released: Bool
    ) {
        let state = State()
        let start = Date()
        let watcher = Thread {
            while !state.lock.withLock({ state.done }) {
                if Date().timeIntervalSince(start) >= seconds {
                    for path in fifos {
                        let fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
                        if fd >= 0 {
                            close(fd)
                            state.lock.withLock { state.released = true }
                        }
                    }
                }
                usleep(100_000)
            }
        }
        watcher.start()
        defer { state.lock.withLock { state.done = true } }
        let result = try body()
        return (result, state.lock.withLock { state.released })
    }

    /// Makes a named pipe at `path`.
    static func make(_ path: String) throws {
        guard mkfifo(path, 0o600) == 0 else {
            throw NSError(domain: NSPOSIXErrorDomain, code: Int(errno), userInfo: [NSFilePathErrorKey: path])
        }
    }
}
