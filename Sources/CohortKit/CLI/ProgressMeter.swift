import Foundation

/// Rows read so far and the rate, on stderr, while a long stage runs (SPEC §8): only when stderr
/// is a terminal and `--quiet` is off. One line rewritten in place at most twice a second, erased
/// when the stage ends, so logs and CI output keep just the stage's one summary line.
public final class ProgressMeter {
    /// The meter of the running stage; nil when progress is not shown (the common case in tests,
    /// `make` logs and CI).
    public static var current: ProgressMeter?

    private let label: String
    private var rows = 0
    private var nextCheck = 1 << 16
    private let started = Date()
    private var lastPrint = Date()
    private var printed = false

    init(label: String) { self.label = label }

    /// Counts one input row; looks at the clock only every 65,536 rows.
    @inline(__always) public func tick() {
        rows += 1
        if rows >= nextCheck { nextCheck += 1 << 16; report() }
    }

    private func report() {
        let now = Date()
        guard now.timeIntervalSince(lastPrint) >= 0.5 else { return }
        lastPrint = now
        let rate = Double(rows) / max(now.timeIntervalSince(started), 1e-9)
        FileHandleStderr.write("\r\u{1B}[K\(label): \(ProgressMeter.grouped(rows)) rows read, \(ProgressMeter.grouped(Int(rate))) rows/s")
        printed = true
    }

    /// Erases the progress line (before the summary line, and at the end).
    func finish() {
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
