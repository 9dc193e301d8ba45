/// An error a stage reports to the user: a one-paragraph message and the exit code of docs/stages.md#exit-codes.
public protocol PipelineError: Error, CustomStringConvertible {
    /// 1 data error, 2 usage or configuration error, 3 threshold breached.
    var exitCode: Int32 { get }
}

/// Bad or missing input data, unreadable files or manifests (exit 1).
public enum InputError: PipelineError, Equatable {
    case missingFile(path: String)
    case cannotRead(path: String, reason: String)
    case cannotWrite(path: String, reason: String)
    /// A stage output read by a later stage is not what that stage wrote.
    case malformedFile(path: String, line: Int, reason: String)
    case unsupportedSchema(path: String, output: String, found: Int, supported: Int)
    /// `notes`: sentences to add after the reasons (look-alike columns the rows' absence suggests).
    case rejectRatioExceeded(
        source: String, path: String, ratio: Double, limit: Double, topReasons: [String], notes: [String] = [],
        key: String = "ingest.max_reject_ratio")
    case badSource(path: String, reason: String, hint: String)
    /// A line (a CSV record) longer than the readers' limit: not the file it should be.
    case lineTooLong(path: String, line: Int, limit: Int)

    public var exitCode: Int32 {
        if case .cannotWrite = self { return 1 }
        return 1
    }

    public var description: String {
        switch self {
        case .missingFile(let p):
            return
                "\(p): file not found. Check the path in pipeline.json (relative paths are resolved against the folder of pipeline.json), or run the earlier stage that writes it (for example `make`)."
        case .cannotRead(let p, let r):
            return "\(p): cannot read the file (\(r)). Check that it exists and is readable."
        case .cannotWrite(let p, let r):
            return "\(p): cannot write (\(r)). Check that the folder is writable and the disk is not full."
        case .malformedFile(let p, let line, let r):
            return
                "\(p):\(line): \(r). This file is written by an earlier stage; rerun that stage (for example `make clean && make`)."
        case .unsupportedSchema(let p, let output, let found, let supported):
            return
                "\(p): output \(output) has schema version \(found), but this tool reads version \(supported). Rerun the earlier stages with this version of the pipeline (`make clean && make`)."
        case .rejectRatioExceeded(let source, let path, let ratio, let limit, let reasons, let notes, let key):
            let pct = { (x: Double) in String(format: "%.2f%%", x * 100) }
            var s =
                "\(path): \(pct(ratio)) of the \(source) rows were rejected, above the limit of \(pct(limit)) (\(key)). No outputs were written."
            if !reasons.isEmpty { s += " Most common reasons: " + reasons.joined(separator: "; ") + "." }
            for n in notes { s += " " + n.prefix(1).uppercased() + n.dropFirst() + "." }
            s +=
                " Fix the export or the source's settings in pipeline.json (columns, date_format, delimiter, encoding), or raise \(key)\(key.hasPrefix("ingest.") ? " (or set this source's own sources.\(source).max_reject_ratio)" : "") if these rows are expected."
            return s
        case .badSource(let p, let r, let hint):
            // A reason that already starts with the path (a reader's own message) is not prefixed again.
            let text = r.hasPrefix(p + ":") ? r : "\(p): \(r)"
            return hint.isEmpty ? "\(text)." : "\(text). \(hint)"
        case .lineTooLong(let p, let line, let limit):
            let size = limit >= 1 << 20 && limit % (1 << 20) == 0 ? "\(limit >> 20) MiB" : "\(limit) bytes"
            return
                "\(p): line \(line) is longer than \(size): is this the right file? A line (one CSV record or JSON object) may hold at most \(size); check the source's \"path\" in pipeline.json"
        }
    }
}

/// A configuration mistake: unknown key, wrong type, impossible value (exit 2).
public struct ConfigError: PipelineError, Equatable {
    public var file: String
    public var keyPath: String
    public var message: String
    public var hint: String

    public var exitCode: Int32 { 2 }
    public var description: String {
        let at = keyPath.isEmpty ? file : "\(file): \(keyPath)"
        return "\(at): \(message). \(hint)"
    }
}

/// A command-line mistake: unknown flag, missing value (exit 2).
public struct UsageError: PipelineError, Equatable {
    public var tool: String
    public var message: String

    public var exitCode: Int32 { 2 }
    /// The message without the tool's name: the command line prints `tool: error: ` before it.
    public var description: String { "\(message). Run `\(tool) --help` for the flags it takes." }
}

/// One or more configured report thresholds were breached (exit 3, after the report is written).
public struct ThresholdBreach: PipelineError, Equatable {
    public var failures: [String]
    public init(failures: [String]) { self.failures = failures }
    public var exitCode: Int32 { 3 }
    public var description: String {
        "report checks failed: " + failures.joined(separator: "; ")
            + ". The report was written; see its checks section."
    }
}

/// A sum or product of money left 64 bits (exit 1): the inputs hold amounts far beyond any real
/// business, usually a wrong amount column, a missing decimal point or a wrong exchange rate.
public struct MoneyOverflow: PipelineError, Equatable {
    /// What was being computed, e.g. "the triangle's mrr_minor for cohort 2024-01".
    public var what: String
    public init(what: String) { self.what = what }
    public var exitCode: Int32 { 1 }
    public var description: String {
        "\(what) overflowed: the total is beyond ±9,223,372,036,854,775,807 minor units, the most a 64-bit amount holds. "
            + "Check the subscriptions' mrr or amount values and currency.rates (a missing decimal point or a rate written in the wrong direction is the usual cause); "
            + "each subscription is limited to 10^15 minor units of MRR, but many such rows still add up past the limit."
    }
}
