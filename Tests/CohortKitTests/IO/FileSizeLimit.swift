import Foundation
import XCTest

/// Runs `body` with the process's file-size limit (`RLIMIT_FSIZE`) at `bytes` and `SIGXFSZ`
/// ignored, so a write past the limit fails with `EFBIG` instead of ending the process; both are
/// restored afterwards. The tests of a full disk's kind of failure use it.
func withFileSizeLimit(_ bytes: rlim_t, _ body: () throws -> Void) rethrows {
    let previousHandler = signal(SIGXFSZ, SIG_IGN)
    var saved = rlimit()
    getrlimit(Int32(RLIMIT_FSIZE.rawValue), &saved)
    var limited = saved
    limited.rlim_cur = bytes
    XCTAssertEqual(setrlimit(Int32(RLIMIT_FSIZE.rawValue), &limited), 0)
    defer {
        setrlimit(Int32(RLIMIT_FSIZE.rawValue), &saved)
        signal(SIGXFSZ, previousHandler)
    }
    try body()
}
