import Foundation

/// The compact record each report run keeps in `reports_dir/history/<as_of>.json` — the headline
/// values and, per channel and cohort, the newest month offset observed — so the next run can say
/// what changed since (docs/metrics.md#drift-alerts). Commit the folder if runs should remember
/// each other across CI jobs.
///
/// A record names the pipeline that wrote it by its `work_dir` (as the configuration writes it):
/// two configurations sharing one `reports_dir` do not compare with each other's runs, and
/// `make clean` of one leaves the other's records.
struct ReportHistory: Equatable {
    var asOf: String
    /// The writing pipeline's `work_dir`, relative to its configuration's folder; nil in a record
    /// written before it was recorded (taken as this pipeline's).
    var workDir: String? = nil
    var kpis: [(String, Double)]
    /// `channel \u{1F} cohort` → newest observed offset.
    var newestOffset: [String: Int]

    static func == (a: ReportHistory, b: ReportHistory) -> Bool {
        a.asOf == b.asOf && a.workDir == b.workDir && a.newestOffset == b.newestOffset
            && a.kpis.map(\.0) == b.kpis.map(\.0)
            && a.kpis.map(\.1) == b.kpis.map(\.1)
    }

    static func key(_ channel: String, _ cohort: String) -> String { channel + "\u{1F}" + cohort }

    /// What the model shows now, for the pipeline whose `work_dir` is `workDir`.
    init(model: ReportModel, workDir: String) {
        asOf = model.asOf
        self.workDir = workDir
        kpis = model.kpis.compactMap { k in k.value.map { (k.id, $0) } }
        var newest: [String: Int] = [:]
        for t in model.triangles {
            for row in t.rows where !row.isWeighted {
                if let k = row.logo.lastIndex(where: { $0 != nil }) { newest[Self.key(t.channel, row.cohort)] = k }
            }
        }
        newestOffset = newest
    }

    init(asOf: String, workDir: String? = nil, kpis: [(String, Double)], newestOffset: [String: Int]) {
        self.asOf = asOf
        self.workDir = workDir
        self.kpis = kpis
        self.newestOffset = newestOffset
    }

    var json: JSONValue {
        .object(
            [("as_of", .string(asOf))] + (workDir.map { [("work_dir", .string($0))] } ?? []) + [
                ("kpis", .object(kpis.map { ($0.0, .number(formatting: $0.1)) })),
                (
                    "newest_offset",
                    .object(
                        newestOffset.keys.sorted().map { k in
                            (k.replacingOccurrences(of: "\u{1F}", with: " | "), .number(String(newestOffset[k] ?? 0)))
                        })
                ),
            ])
    }

    init?(json value: JSONValue) {
        guard let asOf = value["as_of"]?.stringValue, let kpis = value["kpis"]?.objectValue,
            let newest = value["newest_offset"]?.objectValue
        else { return nil }
        self.asOf = asOf
        workDir = value["work_dir"]?.stringValue
        // A value no run could have written (an edited file: 1e15 for a ratio, a negative count)
        // is left out, as a metric the run did not have: it must not become an alert of "∞%".
        self.kpis = kpis.compactMap { k, v in
            guard let d = v.doubleValue, d.isFinite, MetricCatalog.metric(k)?.validRange.contains(d) ?? true else {
                return nil
            }
            return (k, d)
        }
        var offsets: [String: Int] = [:]
        for (k, v) in newest {
            guard let n = v.intValue, n >= 0, let bar = k.range(of: " | ") else { continue }
            offsets[Self.key(String(k[..<bar.lowerBound]), String(k[bar.upperBound...]))] = n
        }
        newestOffset = offsets
    }

    /// `YYYY-MM-DD.json`: the names of history files.
    static func isFileName(_ name: String) -> Bool {
        name.count == 15 && name.hasSuffix(".json") && Day(iso: String(name.prefix(10))) != nil
    }

    /// The most a history file may hold to be read: 16 MiB. A record holds about 40 bytes per
    /// channel and cohort the report shows (`report.max_channels`, `(other)` and `(all)`): 14
    /// channels over 20 years of cohorts are about 130 KB. A larger file is no run's record, and
    /// reading it (or a link to /dev/zero) whole would cost its size in memory.
    static let maxFileBytes = 16 << 20

    /// What the file at `path` in the history folder holds.
    enum FileContents {
        case record(ReportHistory, bytes: [UInt8])
        /// Not read, or read and no record: why, as a note says it after the path ("is a named
        /// pipe (FIFO), not a regular file").
        case skipped(String)
    }

    /// The history record in the file at `path`, or why the file is skipped. Only a regular file
    /// (a symbolic link followed) of at most `maxFileBytes` is read: the folder is the user's
    /// too, and a named pipe there blocked the report (and `make clean`) until something wrote
    /// to it, while a link to /dev/zero filled memory.
    static func contents(at path: String) -> FileContents {
        switch FilePaths.readRegularFile(path, limit: maxFileBytes) {
        case .failure(.notRegular(let kind)):
            return .skipped("is \(kind), not a regular file")
        case .failure(.tooLarge(let bytes)):
            return .skipped("is \(bytes) bytes, above the \(maxFileBytes >> 20) MiB a history record may hold")
        case .failure(.unreadable(let reason)):
            return .skipped("cannot be read (\(reason))")
        case .success(let bytes):
            guard let value = try? JSONParser.parse(bytes), let record = ReportHistory(json: value) else {
                return .skipped("is not a run history record (JSON with as_of, kpis and newest_offset)")
            }
            return .record(record, bytes: bytes)
        }
    }

    /// Whether the file at `path` reads as a history record of the pipeline whose `work_dir` is
    /// `workDir` (`make clean` removes such files and keeps any other file of that name).
    static func isRecord(at path: String, workDir: String) -> Bool {
        guard case .record(let record, _) = contents(at: path), record.isOf(workDir: workDir) else { return false }
        return ReportHistory.isFileName(record.asOf + ".json") && FilePaths.basename(of: path) == record.asOf + ".json"
    }

    /// Whether this record is of the pipeline whose `work_dir` is `workDir` (a record that does
    /// not say is).
    func isOf(workDir: String) -> Bool { self.workDir.map { $0 == workDir } ?? true }

    /// The folder of a reports directory's history.
    static func directory(_ reportsDir: String) -> String { FilePaths.join(reportsDir, "history") }

    /// The latest history of the pipeline whose `work_dir` is `workDir`, as of `asOf` or earlier
    /// (the same as_of included: a rerun compares with the previous run of that date), with its
    /// path; nil when there is none. Another pipeline's records are passed over; a file that is
    /// skipped (`contents(at:)`: not a regular file, too large, unreadable, no record) is passed
    /// to `skipped` with why, so the report can say so: history is a convenience, never a reason
    /// to fail a report, but a record that could not be read changes what it compares with.
    static func previous(
        in reportsDir: String, asOf: String, workDir: String,
        skipped: (_ path: String, _ why: String) -> Void = { _, _ in }
    ) -> (history: ReportHistory, path: String, bytes: [UInt8])? {
        let dir = directory(reportsDir)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return nil }
        let candidates = names.filter { isFileName($0) && String($0.prefix(10)) <= asOf }.sorted(by: >)
        for name in candidates {
            let path = FilePaths.join(dir, name)
            switch contents(at: path) {
            case .skipped(let why):
                skipped(path, why)
            case .record(let h, let bytes):
                if h.isOf(workDir: workDir) { return (h, path, bytes) }
            }
        }
        return nil
    }
}
