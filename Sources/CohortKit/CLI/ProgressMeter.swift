import Foundation
import Synchronization

/// Rows read so far and the rate, on stderr, while a long stage runs (docs/stages.md#progress-and-messages): only when stderr
/// is a terminal and `--quiet` is off. One line rewritten in place at most twice a second, erased
/// when the stage ends, so logs and CI output keep just the stage's one summary line.
///
/// The stage's context holds it (`StageContext.progress`) and hands it to the readers it opens.
public final class ProgressMeter {
    private let label: String
    /// Rows read, by every reader thread of the stage (parts are read side by side).
    private let rows = Atomic<Int>(0)
    private let started = Date()
    /// Guards the printing state below.
    private let lock = NSLock()
    private var lastPrint = Date()
    private var printed = false

    init(label: String) { self.label = label }

    /// Rows counted so far.
    var count: Int { rows.load(ordering: .relaxed) }

    /// Counts one input row; looks at the clock only every 65,536 rows. Safe from any thread.
    @inline(__always) public func tick() {
        let n = rows.wrappingAdd(1, ordering: .relaxed).newValue
        if n & 0xFFFF == 0 { report(n) }
    }

    private func report(_ n: Int) {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(lastPrint) >= 0.5 else { return }
        lastPrint = now
        let rate = Double(n) / max(now.timeIntervalSince(started), 1e-9)
        FileHandleStderr.write(
            "\r\u{1B}[K\(label): \(ProgressMeter.grouped(n)) rows read, \(ProgressMeter.grouped(Int(rate))) rows/s")
        printed = true
    }

    /// Erases the progress line (before the summary line, and at the end).
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if printed { FileHandleStderr.write("\r\u{1B}[K") }
        printed = false
    }

    static func grouped(_ n: Int) -> String {
        let digits = Array(String(n))
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(d)
        }
        return out
    }
}
