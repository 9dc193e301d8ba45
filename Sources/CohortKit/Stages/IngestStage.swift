/// `ingest`: reads each configured source, maps its columns to canonical fields, types and
/// validates every row, and writes accepted rows as JSON Lines and the rest to `rejects.jsonl`
/// with the reason (docs/metrics.md#inputs-and-validation). dbt's *staging* layer: rename, recast, validate.
///
/// Every row read is accounted for: written, rejected, or dropped as an exact duplicate.
public enum IngestStage {
    /// One rejected row.
    struct Reject {
        var line: Int
        var field: String
        var value: String
        var reason: String
        var raw: String
    }

    /// Per-source bookkeeping shared by the four readers.
    final class SourceRun {
        let source: PipelineConfig.Source
        let reader: SourceReader
        /// `ingest.date_range`: dates outside it are rejected.
        let dateRange: ClosedRange<Day>
        let out: JSONLWriter
        let rejects: JSONLWriter
        /// Accepted rows are formatted and written on a second thread (not under --threads 1).
        let writesInBackground: Bool
        var read = 0, written = 0, rejected = 0, duplicates = 0
        /// Rejects per `field: reason group` (the reason without the row's values), with the first
        /// one's line and raw row: the reject-ratio error's and the report's most common reasons.
        /// `first`: that row's full reason when it says more than the group (the value, a hint
        /// such as `looks like dd/MM/yyyy: set "date_format"`), for the reject-ratio error.
        var reasonCounts: [String: (count: Int, line: Int, example: String, first: String?)] = [:]
        var coverage = DateCoverage()
        /// Optional fields whose column is absent under its default name, with the file's column
        /// that looks like it (`DataWarnings.nearColumn`), for warnings.
        var missingFields: [(field: String, near: String?)] = []
        /// Columns without a name in the header and the values found in them (customers).
        var unnamedColumns: (columns: Int, values: Int)? = nil
        /// Accepted customers' attribute values holding a character that makes them look like
        /// another value, with the first one (`DataWarning.Kind.lookAlikeAttributes`).
        var lookAlikeAttributes:
            (
                values: Int, column: String, line: Int, value: String, character: String, position: Int,
                looksLike: String?
            )? = nil
        /// Accepted subscriptions whose amount has more decimal places than its currency's minor
        /// units, with the first one (`DataWarning.Kind.excessDecimals`).
        var excessDecimals: (rows: Int, field: String, line: Int, value: String, currency: String, minorUnits: Int)? =
            nil
        /// Id and key columns with an accepted value holding an ASCII letter: written in Latin
        /// letters, so a later value of Cyrillic or Greek look-alikes and digits (`С0001` with a
        /// Cyrillic С) is a slip, not text in that script (`KeyText.latinLookAlike`).
        /// (A flag per column in memory of its own, behind a constant pointer: asked for every
        /// key of every row, it must not cost the exclusivity check of a mutable property.)
        let latinColumns: UnsafeMutablePointer<Bool>
        let columnCount: Int
        @inline(__always) func isLatinColumn(_ col: Int) -> Bool { col < columnCount && latinColumns[col] }
        /// Accepted subscriptions whose mrr is 0 while their amount is above 0, with the first one
        /// (`DataWarning.Kind.zeroMRRWithAmount`): mrr wins, so they count as free.
        var zeroMRRWithAmount: (rows: Int, line: Int, mrr: String, amount: String)? = nil
        /// The source's row count, estimated from the sizes of its first rows.
        var rowEstimate: RowCountEstimate

        init(
            source: PipelineConfig.Source, reader: SourceReader, out: JSONLWriter, rejects: JSONLWriter,
            dateRange: ClosedRange<Day>, writesInBackground: Bool
        ) {
            self.writesInBackground = writesInBackground
            self.source = source
            self.dateRange = dateRange
            self.reader = reader
            self.out = out
            self.rejects = rejects
            rowEstimate = RowCountEstimate(path: source.path)
            columnCount = reader.columns.count
            latinColumns = .allocate(capacity: max(columnCount, 1))
            latinColumns.initialize(repeating: false, count: max(columnCount, 1))
        }

        deinit { latinColumns.deallocate() }

        var name: String { source.kind.rawValue }

        /// A row whose key was seen before: the same values again is a re-exported row (counted
        /// as a duplicate and dropped); other values under the key are rejected, naming the line
        /// where the key was first seen.
        func repeated(field: String, value: String, firstLine: Int, sameValues: Bool) throws {
            if sameValues {
                duplicates += 1
                return
            }
            // An export that lists each change of a subscription as a row of its own under one id
            // (a plan change): raising the reject limit would drop the changes, not read them.
            let hint =
                field == "subscription_id"
                ? "; if the export repeats an id on each change of a subscription (a plan change as a new row), map a column unique to each row as subscription_id, or leave it unmapped"
                : ""
            try reject(
                field: field, value: value,
                reason: "duplicate \(field) with different values (first seen on line \(firstLine))" + hint,
                group: "duplicate \(field) with different values")
        }

        /// Writes a reject naming the field (`(row)` when the whole row is unreadable), the value
        /// and the reason; `group` is the reason without the value (the reason itself when it
        /// names none), which the summaries of reasons count by.
        func reject(field: String, value: String, reason: String, group: String? = nil) throws {
            rejected += 1
            let raw = reader.raw
            let first = group.map { $0 == reason ? nil : reason } ?? nil
            reasonCounts["\(field): \(group ?? reason)", default: (0, reader.line, Self.example(raw), first)].count += 1
            let row = RejectRecord(
                source: name, line: reader.line, field: field, value: value, reason: reason,
                reasonGroup: group ?? reason, raw: raw)
            try rejects.write(row)
        }

        /// Longest example row kept for the report's reject reasons, in bytes.
        static let exampleLimit = 1000

        /// The raw row as the example of its reject reason: its first `exampleLimit` bytes (cut
        /// at a character boundary) and its length when it is longer, so one megabyte-long row
        /// does not make the manifest and the report megabytes long.
        static func example(_ raw: String, limit: Int = exampleLimit) -> String {
            guard raw.utf8.count > limit else { return raw }
            var raw = raw
            return raw.withUTF8 { b in
                let end = TextDecoding.prefixLength(b, atMost: limit)
                return String(decoding: UnsafeBufferPointer(rebasing: b[0..<end]), as: UTF8.self)
                    + "… (\(b.count) bytes)"
            }
        }

        /// Advances `r` to its next row that splits into fields, counting every row read and
        /// rejecting those that do not split; false at the end of the source. `reserve` hears once,
        /// at row 1,024, about how many rows the source holds, to size the tables its rows fill.
        @inline(__always)
        func nextRow<R: SourceReader>(_ r: R, reserve: (Int) -> Void = { _ in }) throws -> Bool {
            while try r.next() {
                read += 1
                if let n = rowEstimate.observe(row: read, rawBytes: r.raw.utf8.count) { reserve(n) }
                if let e = r.rowError {
                    try rejectRow(r, e)
                    continue
                }
                return true
            }
            return false
        }

        /// Whether `cid` is in customers or subscriptions; a row of another customer is rejected.
        func isKnown(_ cid: String, in known: KnownCustomers) throws -> Bool {
            guard !known.contains(cid) else { return true }
            try reject(
                field: "customer_id", value: cid, reason: "unknown customer \(cid) (not in customers or subscriptions)",
                group: "unknown customer (not in customers or subscriptions)")
            return false
        }

        /// Rejects a row the reader could not split into fields (bad quoting, invalid text, not a
        /// JSON object), naming the column when the reader's message does.
        func rejectRow<R: SourceReader>(_ r: R, _ message: String) throws {
            // The JSON Lines reader names the field itself; CSV messages are parsed below.
            if !r.rowErrorField.isEmpty {
                try reject(
                    field: r.rowErrorField, value: r.rowErrorValue, reason: message,
                    group: r.rowErrorGroup.isEmpty ? nil : r.rowErrorGroup)
                return
            }
            var field = "(row)"
            var value = ""
            // CSV messages name a column as `field N ("name")` or `field N`.
            if let range = message.range(of: "field ") {
                let digits = message[range.upperBound...].prefix { $0.isNumber }
                if let n = Int(digits), n >= 1 {
                    field =
                        r.columns.indices.contains(n - 1) && !r.columns[n - 1].isEmpty ? r.columns[n - 1] : "field \(n)"
                    let marks = source.dialect.encoding == .shiftJIS
                    value = r.withField(n - 1) { $0.map { KeyText.escaped($0, conversionMarks: marks) } ?? "" }
                }
            }
            try reject(field: field, value: value, reason: message)
        }

        /// Rejects the row when an id or key field is longer than `KeyText.maxCharacters` or holds
        /// an invisible or control character; returns whether the field is clean (absent and empty
        /// fields are clean).
        /// `label`: a dimension value (channel, plan) rather than an id or key, which may hold
        /// bidirectional controls (see `KeyText.problem`).
        @inline(__always)
        func keyIsClean<R: SourceReader>(_ r: R, _ col: Int?, _ field: String, label: Bool = false) throws -> Bool {
            guard let col else { return true }
            // One look at the field: its length (constant time unless it is long), then its characters.
            let issue = r.withField(col) { b -> KeyIssue? in
                guard let b else { return nil }
                let t = IngestStage.trimmed(b)
                if let n = KeyText.overLength(t) { return .tooLong(n) }
                return KeyText.issue(t, label: label).map { .text($0) }
            }
            guard let issue else {
                if !label, !isLatinColumn(col),
                    r.withField(col, { $0.map { KeyText.hasASCIILetter(IngestStage.trimmed($0)) } ?? false })
                {
                    if col < columnCount { latinColumns[col] = true }
                }
                return true
            }
            let text: KeyText.Issue
            switch issue {
            case .tooLong(let n):
                try rejectLong(r, col, field, length: n)
                return false
            case .text(.otherScript(_, _, _, latinLetters: false)) where !isLatinColumn(col):
                // Look-alike letters with digits only (`А123ВС`): Cyrillic or Greek text unless
                // the column is written in Latin letters, as its earlier values were.
                return true
            case .text(let t): text = t
            }
            // The value as a reject shows it, escaped (a too-long one only in part, above).
            let value = r.withField(col) { $0.map { KeyText.escaped(IngestStage.trimmed($0)) } ?? "" }
            let (reason, group): (String, String)
            switch text {
            case .fullWidth(let ascii):
                reason =
                    "\(field) \"\(value)\" is written in full-width characters: it looks like \"\(ascii)\" but would be another \(field); write it in ASCII in the export"
                group = "\(field) written in full-width characters"
            case .otherScript(let ascii, let first, let position, let latinLetters):
                let script = (0x0370...0x03FF).contains(first.value) ? "Greek" : "Cyrillic"
                let how =
                    latinLetters
                    ? "mixes Latin letters with \(script) ones that look like them (\(KeyText.named(first)) at character \(position))"
                    : "is written with \(script) letters that look like Latin ones (\(KeyText.named(first)) at character \(position)) in a column of Latin ids"
                reason =
                    "\(field) \"\(value)\" \(how): it looks like \"\(ascii)\" but would be another \(field); write it in Latin letters in the export"
                group = "\(field) written with Cyrillic or Greek look-alikes of Latin letters"
            case .scientific:
                reason =
                    "\(field) \"\(value)\" is a number in scientific notation, as a spreadsheet shows a long numeric id: its other digits are lost, so different \(field)s could read as one; export the column as text"
                group = "\(field) in scientific notation"
            case .character(let problem):
                reason =
                    "\(field) \(problem); ids and keys must hold only visible text: remove the character in the export"
                group = "\(field) contains an invisible or control character"
            }
            try reject(field: field, value: value, reason: reason, group: group)
            return false
        }

        enum KeyIssue {
            case tooLong(Int)
            case text(KeyText.Issue)
        }

        /// Counts an accepted customer's attribute value that holds a character making it look like
        /// another value (`KeyText.lookAlikeCharacter`), keeping the first for the warning.
        @inline(__always)
        func noteLookAlike(column: @autoclosure () -> String, _ b: UnsafeBufferPointer<UInt8>) {
            let t = IngestStage.trimmed(b)
            guard let o = KeyText.lookAlikeCharacter(inLabel: t) else { return }
            if lookAlikeAttributes == nil {
                lookAlikeAttributes = (
                    0, KeyText.escaped(column()), reader.line, KeyText.excerpt(t, around: o.position),
                    KeyText.named(o.scalar), o.position, o.looksLike.map { KeyText.excerpt($0, around: o.position) }
                )
            }
            lookAlikeAttributes!.values += 1
        }

        /// Rejects an id, key or label longer than `KeyText.maxCharacters`, showing only its start
        /// (a reject must not repeat megabytes).
        func rejectLong<R: SourceReader>(_ r: R, _ col: Int, _ field: String, length n: Int) throws {
            let start = r.withField(col) { b -> String in
                guard let b else { return "" }
                let t = IngestStage.trimmed(b)
                return KeyText.escaped(UnsafeBufferPointer(rebasing: t[0..<TextDecoding.prefixLength(t, atMost: 64)]))
            }
            let limit = KeyText.maxCharacters
            try reject(
                field: field, value: start + "…",
                reason:
                    "\(field) is \(n) characters long, above the limit of \(limit) for ids, keys and labels; check that the column holds what it should, or shorten the value in the export",
                group: "\(field) is longer than \(limit) characters")
        }

        /// Rejects a field that is not a date in the source's format, showing the value and
        /// guessing the format it is in, or saying which day does not exist (`DateFormat.rejection`).
        func rejectDate<R: SourceReader>(_ r: R, _ col: Int, _ field: String) throws {
            let shown = r.withField(col) { $0.map { KeyText.escaped(IngestStage.trimmed($0)) } ?? "" }
            let (reason, group) = r.withField(col) { b in
                b.map { source.dateFormat.rejection(IngestStage.trimmed($0), shown: shown) }
                    ?? ("\(field) is empty", "not a date in format \(source.dateFormat.rawValue)")
            }
            try reject(field: field, value: shown, reason: reason, group: group)
        }

        /// Rejects a date outside `ingest.date_range`; returns whether it is inside.
        @inline(__always)
        /// The date in column `col`, read in the source's format and time zone and within
        /// `ingest.date_range`; nil once the row is rejected (empty, not a date, or out of range).
        func date<R: SourceReader>(_ r: R, _ col: Int, _ field: String) throws -> Day? {
            guard
                let d = r.withField(
                    col, { $0.flatMap { source.dateFormat.parse(IngestStage.trimmed($0), zone: source.timezone) } })
            else {
                if r.isEmpty(col) {
                    try reject(field: field, value: "", reason: "\(field) is empty")
                } else {
                    try rejectDate(r, col, field)
                }
                return nil
            }
            return try dateInRange(r, d, col, field) ? d : nil
        }

        func dateInRange<R: SourceReader>(_ r: R, _ d: Day, _ col: Int, _ field: String) throws -> Bool {
            if dateRange.contains(d) { return true }
            let shown = r.withField(col) { $0.map { KeyText.escaped(IngestStage.trimmed($0)) } ?? "" }
            let read = shown == d.description ? "" : " (read as \(d) in the source's time zone)"
            try reject(
                field: field, value: shown,
                reason:
                    "\"\(shown)\"\(read) is outside the plausible dates \(dateRange.lowerBound) to \(dateRange.upperBound); fix the value, or widen ingest.date_range if it is real",
                group: "outside the plausible dates (ingest.date_range)")
            return false
        }

        /// The column of a canonical field; a missing required one is a configuration error that
        /// lists the file's columns and suggests the closest.
        func column(_ field: String, required: Bool) throws -> Int? {
            // The configuration's `columns` keys are checked against the same list: a field read
            // here under another name could never be mapped (a programming error, not the data's).
            precondition(source.kind.fields.contains(field), "\(field) is not a field of \(source.kind.rawValue)")
            let name = source.column(field)
            // JSON Lines: each line stands alone; the reader rejects a line without a required key.
            if reader.columns.contains(name) || source.format == .jsonl { return reader.column(named: name) }
            guard required else {
                try noteMissingColumn(field)
                return nil
            }
            var hint = "The file has: \(KeyText.escaped(columns: reader.columns)). "
            // One column whose name holds `;` or a tab: the file is split on another delimiter.
            let only =
                source.format == .csv && source.dialect.delimiter == 44 && reader.columns.count == 1
                ? reader.columns.first : nil
            if let only, only.contains(";") {
                hint =
                    "The header \"\(KeyText.escaped(only))\" is one column holding \";\": this file looks separated by semicolons; set \"delimiter\": \";\" in sources.\(self.name)."
            } else if let only, only.contains("\t") {
                hint =
                    "The header is one column holding tabs: this file looks tab-separated; set \"delimiter\": \"\\t\" in sources.\(self.name)."
            } else if let hidden = reader.columns.first(where: { KeyText.visible($0) == name }) {
                // The column is there, with a character nobody can see (a second byte-order mark
                // from concatenated exports, a zero-width space): say so rather than "did you mean".
                hint =
                    "The file's column \"\(KeyText.escaped(hidden))\" is \"\(name)\" with an invisible character in its name: remove it from the header line (re-save the file as UTF-8 without a byte-order mark), or map it with \"columns\": {\"\(field)\": \"\(KeyText.escaped(hidden))\"} in sources.\(self.name)."
            } else if let near = Levenshtein.closest(to: name, in: reader.columns) {
                hint +=
                    "Did you mean \"\(KeyText.escaped(near))\"? Map it with \"columns\": {\"\(field)\": \"\(KeyText.escaped(near))\"} in sources.\(self.name)."
            } else {
                hint +=
                    "Map the right column with \"columns\": {\"\(field)\": \"<column name>\"} in sources.\(self.name)."
            }
            throw ConfigError(
                file: source.path, keyPath: "", message: "required column \"\(name)\" (for \(field)) is missing",
                hint: hint)
        }

        func checkRatio(limit: Double) throws {
            guard read > 0 else { return }
            let ratio = Double(rejected) / Double(read)
            guard ratio > limit else { return }
            // Each reason with its first row's own words when they say more (the value, a hint),
            // and the look-alike columns the warnings would have named: no outputs are written,
            // so this message is all the user gets.
            let top = reasonCounts.sorted { ($0.value.count, $1.key) > ($1.value.count, $0.key) }.prefix(3)
                .map { r in
                    let first = r.value.first.map { ": \($0)" } ?? ""
                    let rows = r.value.count == 1 ? "1 row" : "\(r.value.count) rows"
                    return "\(r.key) (\(rows), e.g. line \(r.value.line)\(first))"
                }
            let lookAlikes = missingFields.compactMap { m in
                m.near.map {
                    "the file has no \"\(source.column(m.field))\" column but has \"\($0)\": if that is \(m.field), map it with \"columns\": {\"\(m.field)\": \"\($0)\"} in sources.\(name)"
                }
            }
            throw InputError.rejectRatioExceeded(
                source: name, path: source.path, ratio: ratio, limit: limit, topReasons: top, notes: lookAlikes,
                key: source.maxRejectRatio == nil ? "ingest.max_reject_ratio" : "sources.\(name).max_reject_ratio")
        }

        var reconciliation: Manifest.Reconciliation {
            Manifest.Reconciliation(
                source: name, read: read, written: written, rejected: rejected, duplicates: duplicates)
        }
    }

    public static func run(_ ctx: StageContext) throws {
        let run = StageRun(ctx)
        do {
            try ingest(run)
        } catch {
            run.discard()
            throw error
        }
    }

    static func openReader(_ s: PipelineConfig.Source, _ ctx: StageContext) throws -> SourceReader {
        guard FilePaths.exists(s.path) else {
            throw InputError.badSource(
                path: s.path, reason: "the \(s.kind.rawValue) file was not found",
                hint:
                    "Check sources.\(s.kind.rawValue).path in the config (relative paths start at the config file's folder)."
            )
        }
        if let kind = FilePaths.specialFileKind(s.path) {
            // A pipe or a device can be read once: ingest reads a source twice (its rows, and on
            // another thread its SHA-256), so the two reads would share its bytes between them.
            throw InputError.badSource(
                path: s.path, reason: "the \(s.kind.rawValue) source is \(kind), not a regular file",
                hint:
                    "ingest reads each source twice (once for its rows, once for the SHA-256 its manifest records), so it needs a file it can read again: write the stream to a file first (for example zcat export.gz > data/raw/\(s.kind.rawValue).\(s.format == .jsonl ? "jsonl" : "csv")) and point sources.\(s.kind.rawValue).path at that file."
            )
        }
        let reader: SourceReader
        switch s.format {
        case .csv:
            reader = try CSVSourceReader(
                path: s.path, dialect: s.dialect, digest: ctx.digestMode, progress: ctx.progress)
        case .jsonl:
            reader = try JSONLSourceReader(
                path: s.path, schema: .init(source: s), digest: ctx.digestMode, progress: ctx.progress)
        }
        // Parsing runs on a second thread while this one validates (not under --threads 1).
        return ctx.threads > 1 ? PrefetchingReader(reader) : reader
    }

    static func ingest(_ run: StageRun) throws {
        let cfg = run.config
        // The sources as found before reading them, for make's next look (`PipelineMake`).
        let sourcesRead = PipelineMake.sourceState(cfg, paths: false)
        let rejects = try run.writer("rejects")
        let known = KnownCustomers()
        var runs: [SourceRun] = []
        var counts: [(String, Int)] = []
        for kind in PipelineConfig.SourceKind.allCases {
            let out = try run.writer(kind.rawValue)
            guard let source = cfg.sources[kind] else { continue }
            if source.optional && !FilePaths.exists(source.path) {
                run.warn(DataWarnings.missingOptionalSource(source, shown: cfg.recordedPath(source.path)))
                continue
            }
            // The file as found before it is opened, to tell whether it changed while it was read.
            let stateBefore = FilePaths.state(source.path)
            let sr = SourceRun(
                source: source, reader: try openReader(source, run.context), out: out, rejects: rejects,
                dateRange: cfg.dateRange,
                writesInBackground: run.context.threads > 1)
            switch kind {
            case .customers:
                if let p = sr.reader as? PrefetchingReader {
                    try ingestCustomers(sr, reader: p, known: known)
                } else {
                    try ingestCustomers(sr, reader: sr.reader, known: known)
                }
            case .subscriptions:
                // Specialized for the reader type, so field access inlines in the per-row checks.
                let orphans =
                    if let p = sr.reader as? PrefetchingReader {
                        try ingestSubscriptions(sr, reader: p, currency: cfg.currency, known: known)
                    } else {
                        try ingestSubscriptions(sr, reader: sr.reader, currency: cfg.currency, known: known)
                    }
                known.orphans = orphans
                counts.append(("orphan_subscriptions", orphans.count))
            case .cancellations:
                if let p = sr.reader as? PrefetchingReader {
                    try ingestCancellations(sr, reader: p, known: known)
                } else {
                    try ingestCancellations(sr, reader: sr.reader, known: known)
                }
            case .events:
                if let p = sr.reader as? PrefetchingReader {
                    try ingestEvents(sr, reader: p, known: known)
                } else {
                    try ingestEvents(sr, reader: sr.reader, known: known)
                }
            }
            run.recordInput(path: source.path, bytes: sr.reader.bytesRead, sha256: sr.reader.digestHex())
            run.context.afterReadingSource?(kind)
            // An export still being written (or replaced) while it was read: the rows, the byte
            // count and the digest (hashed on its own read) could each come from another version.
            guard FilePaths.state(source.path) == stateBefore else {
                throw InputError.badSource(
                    path: source.path,
                    reason:
                        "the \(kind.rawValue) file changed while ingest read it (its size, modification time, status change time or inode is not what it was when ingest opened it)",
                    hint:
                        "Wait until the export has been written completely, then run ingest again (or make). No outputs were written."
                )
            }
            try sr.checkRatio(limit: source.maxRejectRatio ?? cfg.maxRejectRatio)
            if kind == .subscriptions, sr.written == 0 {
                run.warn(DataWarning(.noSubscriptions(path: cfg.recordedPath(source.path), read: sr.read)))
            }
            runs.append(sr)
            for w in sr.columnWarnings(shown: cfg.recordedPath(source.path)) { run.warn(w) }
            run.coverage.append(sr.coverage.entry(sr.name))
        }
        run.rejectReasons = topRejectReasons(runs)
        let manifestSHA256 = try run.commit(reconciliation: runs.map(\.reconciliation), counts: counts)
        // Only a hint for make (which then goes by sources.state alone): the outputs are in place.
        do {
            try PipelineMake.recordIngestRead(sourcesRead, manifestSHA256: manifestSHA256, cfg)
        } catch { run.context.warn("\(error)") }
        run.context.log(
            runs.map {
                "\($0.name) \($0.read) read, \($0.written) written, \($0.rejected) rejected, \($0.duplicates) duplicates"
            }.joined(separator: "; "))
    }

    /// The most common reject reasons over all sources (ties by source, then reason), with the
    /// raw row first rejected for each, for the report's data-quality section.
    static func topRejectReasons(_ runs: [SourceRun]) -> [Manifest.RejectReason] {
        let all = runs.flatMap { r in
            r.reasonCounts.map { (key: "\(r.name)\u{1F}\($0.key)", source: r.name, reason: $0.key, tally: $0.value) }
        }
        return all.sorted { ($0.tally.count, $1.key) > ($1.tally.count, $0.key) }.prefix(Manifest.rejectReasonLimit)
            .map {
                Manifest.RejectReason(
                    source: $0.source, reason: $0.reason, count: $0.tally.count, example: $0.tally.example)
            }
    }

    /// A 64-bit hash over a row's canonical fields, eight bytes at a time (folded 128-bit
    /// multiplies, as in wyhash), to tell exact duplicates from conflicting ones and to
    /// fingerprint ids. Internal only: never written anywhere, so it may change freely.
    struct RowHash {
        var h: UInt64 = 0x243f_6a88_85a3_08d3
        @inline(__always) static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
            let r = a.multipliedFullWidth(by: b)
            return r.high ^ r.low
        }
        @inline(__always) mutating func word(_ w: UInt64) { h = Self.mix(h ^ w, 0x9e37_79b9_7f4a_7c15) }
        mutating func add(_ b: UnsafeBufferPointer<UInt8>?) {
            guard let b, let base = b.baseAddress else {
                word(0xfeed)
                return
            }
            let n = b.count
            var i = 0
            while i + 8 <= n {
                word(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
                i += 8
            }
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                tail |= UInt64(base[i]) << shift
                shift += 8
                i += 1
            }
            word(tail)
            word(UInt64(n) &+ 0x5bd1_e995)  // the length ends the field: "ab","c" is not "a","bc"
        }
        mutating func add(_ s: String) {
            var s = s
            s.withUTF8 { add($0) }
        }
        mutating func add(int v: Int64) {
            word(UInt64(bitPattern: v))
            word(0x2545_f491_4f6c_dd1d)
        }
    }

    /// The fingerprint `SeenSubscriptionIDs` files a subscription id under: of its composed form
    /// (`KeyText.composed`), so one id typed in two Unicode forms is one subscription.
    @inline(__always)
    static func subscriptionKey(composed b: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h = RowHash()
        h.add(b)
        return h.h
    }

    /// As `subscriptionKey(composed:)` for an id's trimmed bytes as read.
    @inline(__always)
    static func subscriptionKey(_ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
        KeyText.withComposedBytes(b) { subscriptionKey(composed: $0) }
    }

    /// A source's row count, estimated from its size and the mean length of its first 1,024
    /// rows, so hash tables are sized once instead of rehashing as they grow.
    struct RowCountEstimate {
        /// The most rows an estimate gives (tables still grow past it): a file whose first rows
        /// are a few bytes long and the rest far longer must not size tables for billions of rows.
        static let maximum = 1 << 25
        let fileBytes: Int
        var sampled = 0
        init(path: String) { self.init(fileBytes: FilePaths.size(path) ?? 0) }
        init(fileBytes: Int) { self.fileBytes = fileBytes }

        /// Call for each row (1-based); returns the estimate once, at row 1,024.
        mutating func observe(row n: Int, rawBytes: @autoclosure () -> Int) -> Int? {
            guard n <= 1024 else { return nil }
            sampled += rawBytes() + 1
            return n == 1024 ? min(fileBytes / max(sampled / 1024, 1) * 11 / 10, Self.maximum) : nil
        }
    }

    // MARK: customers

    /// The customers later rows may name: those of the customers source, each with the line and a
    /// hash of the values it was first seen with (to tell exact duplicates from conflicting ones),
    /// and those known only from their subscriptions. The orphans are held apart so the customers'
    /// table keeps its order (see `CustomerIdTable`).
    final class KnownCustomers {
        let customers = CustomerIdTable()
        var orphans = Set<String>()

        func contains(_ id: String) -> Bool { customers.contains(id) || orphans.contains(id) }
    }

    /// Refuses (exit 2) a `columns` mapping that would write one attribute twice or take a
    /// column already read as a customers field: `{"region": "sales_rep"}` beside a `region`
    /// column would write `"region"` twice in `attributes` (a JSON object the next stage
    /// refuses), and `{"plan": "acquisition_channel"}` would leave the plan without its values.
    /// `attributes`: each attribute's name and its column's name in the header.
    static func checkAttributeNames(
        _ source: PipelineConfig.Source, _ attributes: [(name: String, column: String)], used: Set<Int>,
        _ header: [String]
    ) throws {
        let key = "sources.\(source.kind.rawValue).columns"
        var firstColumn: [String: String] = [:]
        for a in attributes {
            guard let other = firstColumn[a.name] else {
                firstColumn[a.name] = a.column
                continue
            }
            guard source.columns[a.name] != nil else {
                throw ConfigError(
                    file: source.path, keyPath: "",
                    message: "the file has two columns named \"\(a.name)\": the attribute would be written twice",
                    hint: "Rename one of them in the export, or map one to another name in \(key).")
            }
            let (mapped, plain) = source.columns[a.name] == a.column ? (a.column, other) : (other, a.column)
            throw ConfigError(
                file: source.path, keyPath: "",
                message:
                    "\(key) maps \"\(a.name)\" to the column \"\(mapped)\", and the file has a column named \"\(plain)\" too: the attribute \"\(a.name)\" would be written twice",
                hint:
                    "Map the file's \"\(plain)\" column to another name as well (\"columns\": {\"\(a.name)_2\": \"\(plain)\"}), or map \"\(mapped)\" to another attribute name."
            )
        }
        for (field, column) in source.columns.sorted(by: { $0.key < $1.key })
        where !PipelineConfig.SourceKind.customers.fields.contains(field) {
            guard let i = header.firstIndex(of: column), used.contains(i) else { continue }
            let readAs = PipelineConfig.SourceKind.customers.fields.first { source.column($0) == column } ?? column
            throw ConfigError(
                file: source.path, keyPath: "",
                message:
                    "\(key) maps \"\(field)\" to the column \"\(column)\", which is read as \(readAs) already: one column cannot be both",
                hint: "Map \"\(field)\" to another column, or remove the mapping.")
        }
    }

    static func ingestCustomers<Reader: SourceReader>(
        _ s: SourceRun, reader r: Reader, known seen: KnownCustomers
    ) throws {
        let idCol = try s.column("customer_id", required: true)
        let signupCol = try s.column("signup_date", required: false)
        let channelCol = try s.column("acquisition_channel", required: false)
        // Every other column is an attribute, under its canonical name when mapped.
        let reverse = Dictionary(s.source.columns.map { ($0.value, $0.key) }, uniquingKeysWith: { a, _ in a })
        let used = Set([idCol, signupCol, channelCol].compactMap { $0 })
        var attrCols: [(name: String, col: Int)] = []
        var unnamedCols: [Int] = []
        var unnamedValues = 0
        if s.source.format == .csv {
            // A renamed attribute whose column the file lacks is as wrong as a missing mapped field.
            for (field, name) in s.source.columns.sorted(by: { $0.key < $1.key })
            where !PipelineConfig.SourceKind.customers.fields.contains(field) && !r.columns.contains(name) {
                _ = try DataWarnings.missingColumn(s.source, field: field, columns: r.columns)
            }
            // A column without a name (a trailing delimiter on the header) is no attribute: its
            // values are counted for a warning instead of landing under an empty key.
            for (i, c) in r.columns.enumerated() where !used.contains(i) {
                if c.isEmpty { unnamedCols.append(i) } else { attrCols.append((reverse[c] ?? c, i)) }
            }
            try checkAttributeNames(s.source, attrCols.map { ($0.name, r.columns[$0.col]) }, used: used, r.columns)
        }
        // JSON Lines: each line's own extra keys, packed in one column by the reader.
        let jsonlAttrCol = s.source.format == .jsonl ? r.column(named: JSONLSourceReader.attributesColumn) : nil
        // Accepted rows go to the writer's thread packed as bytes, a batch at a time.
        let attributeNames = attrCols.map { Array($0.name.utf8) }
        let pool = PackedCustomerRows.Pool()
        let rows = pool.rowWriter(to: s.out, background: s.writesInBackground)
        defer { rows.drain() }
        var packed = pool.take()
        // The CSV columns' names, copied into each batch once.
        var names = packed.texts(attributeNames)
        var channelCache = RepeatedValueCache<String>()
        while try s.nextRow(r, reserve: { seen.customers.reserveCapacity($0) }) {
            guard try s.keyIsClean(r, idCol, "customer_id"),
                try s.keyIsClean(r, channelCol, "acquisition_channel", label: true)
            else { continue }
            // Every source trims ids as bytes (spaces and tabs), so one id reads the same in all.
            guard let idCol, let id = r.trimmedString(idCol), !id.isEmpty else {
                try s.reject(field: "customer_id", value: "", reason: "customer_id is empty")
                continue
            }
            var signup: Day? = nil
            if !r.isEmpty(signupCol), let c = signupCol {
                guard let d = try s.date(r, c, "signup_date") else { continue }
                signup = d
            }
            var hash = RowHash()
            let channel = r.trimmedString(channelCol, &channelCache)
            hash.add(int: signup.map { Int64($0.raw) } ?? Int64.min)
            var ch = channel ?? ""
            ch.withUTF8 { hash.add($0) }
            if s.source.format == .csv {
                for (_, col) in attrCols { r.withField(col) { hash.add($0) } }
            }
            if let jsonlAttrCol { r.withField(jsonlAttrCol) { hash.add($0) } }
            // One hash lookup per customer: store, and put the first sighting back on a repeat.
            if let prev = seen.customers.existingOrInsert(id, line: r.line, rowHash: hash.h) {
                try s.repeated(
                    field: "customer_id", value: id, firstLine: prev.line, sameValues: prev.rowHash == hash.h)
                continue
            }
            // The attributes as `IngestCustomerRecord` holds them: a CSV column's value as its
            // string (empty when absent), a JSON line's extra keys as the reader packed them.
            // (The closures read the batch as a constant, so they do not retain it per field.)
            let batch = packed
            let firstAttribute = batch.nextAttribute
            if s.source.format == .csv {
                for (k, (name, col)) in attrCols.enumerated() {
                    let value = r.withField(col) { b in
                        if let b { s.noteLookAlike(column: name, b) }
                        return batch.text(b ?? UnsafeBufferPointer(start: nil, count: 0))
                    }
                    batch.attribute(name: names[k], value: value)
                }
            }
            if let jsonlAttrCol {
                r.withField(jsonlAttrCol) {
                    JSONLSourceReader.forEachAttribute($0) { k, v in
                        s.noteLookAlike(column: String(decoding: k, as: UTF8.self), v)
                        batch.attribute(name: batch.text(k), value: batch.text(v))
                    }
                }
            }
            batch.append(
                PackedCustomerRows.Row(
                    customerId: batch.text(id), signupDate: signup,
                    acquisitionChannel: channel.flatMap { $0.isEmpty ? nil : batch.text($0) } ?? .absent,
                    firstAttribute: firstAttribute, attributeCount: batch.nextAttribute - firstAttribute, line: r.line)
            )
            if packed.isFull {
                try rows.append(packed)
                packed = pool.take()
                names = packed.texts(attributeNames)
            }
            for col in unnamedCols where !r.isEmpty(col) { unnamedValues += 1 }
            s.written += 1
            s.coverage.see(signup)
        }
        if packed.count > 0 { try rows.append(packed) }
        try rows.finish()
        if unnamedValues > 0 {
            s.unnamedColumns = (unnamedCols.count, unnamedValues)
        }
    }

    // MARK: subscriptions

    /// Returns the ids of customers known only from their subscriptions (orphans).
    static func ingestSubscriptions<Reader: SourceReader>(
        _ s: SourceRun, reader r: Reader, currency: CurrencyTable, known: KnownCustomers
    ) throws -> Set<String> {
        let idCol = try s.column("customer_id", required: true)!
        let subIdCol = try s.column("subscription_id", required: false)
        let productCol = try s.column("product", required: false)
        let planCol = try s.column("plan", required: false)
        let startCol = try s.column("start_date", required: true)!
        let endCol = try s.column("end_date", required: false)
        let mrrCol = try s.column("mrr", required: false)
        let amountCol = try s.column("amount", required: false)
        let periodCol = try s.column("billing_period", required: false)
        let currencyCol = try s.column("currency", required: false)
        let quantityCol = try s.column("quantity", required: false)
        let periodCountCol = try s.column("billing_period_count", required: false)
        if s.source.format == .csv, mrrCol == nil, amountCol == nil {
            throw ConfigError(
                file: s.source.path, keyPath: "", message: "neither an \"mrr\" nor an \"amount\" column is present",
                hint:
                    "The file has: \(KeyText.escaped(columns: r.columns)). Map one with \"columns\": {\"mrr\": \"<column>\"} in sources.subscriptions."
            )
        }
        let defaultCurrency = s.source.currency ?? currency.report
        // Whether a row's customer is known is settled on the writer's thread, in row order: rows
        // come grouped by customer, so the table is asked once per run of rows.
        var orphanIds = Set<String>()
        var lastCustomer: [UInt8] = []
        // Accepted rows go to the writer's thread packed as bytes, a batch at a time.
        let pool = PackedSubscriptionRows.Pool()
        let rows = pool.rowWriter(to: s.out, background: s.writesInBackground) { batch, i in
            if !batch.customerId(of: i, equals: lastCustomer) {
                lastCustomer = batch.customerIdBytes(of: i)
                let cid = String(decoding: lastCustomer, as: UTF8.self)
                if !known.contains(cid) { orphanIds.insert(cid) }
            }
        }
        defer { rows.drain() }
        var packed = pool.take()
        let seen = SeenSubscriptionIDs()
        var currencyCache = RepeatedValueCache<String>()
        var periodCache = RepeatedValueCache<String>()
        var lastPeriod: (text: String, months: Int?) = ("", nil)
        // The conversion of the last row's currency (rows of one currency come in runs); a currency
        // without a rate has none and is looked up again on each of its rows, which are rejected.
        var conversion: CurrencyTable.Conversion? = nil
        // The decimal places of the last row's currency (`DataWarning.Kind.excessDecimals`).
        var minorUnits = 0
        while try s.nextRow(r, reserve: { seen.reserve($0) }) {
            // Ids out of order (random strings): the next row's place in the table is asked for now,
            // and is in cache by the time that row is checked.
            // (Only ids short and plain enough to be the usual case: the look-ahead runs before
            // the row's own checks.)
            if !seen.isSortedSoFar, let c = subIdCol {
                r.withFieldAhead(c) { b in
                    guard let b, let p = b.baseAddress, b.count <= 64, TextDecoding.isASCII(p, count: b.count)
                    else { return }
                    seen.prefetch(key: subscriptionKey(IngestStage.trimmed(b)))
                }
            }
            guard try s.keyIsClean(r, idCol, "customer_id"), try s.keyIsClean(r, subIdCol, "subscription_id"),
                try s.keyIsClean(r, productCol, "product"), try s.keyIsClean(r, planCol, "plan", label: true),
                try s.keyIsClean(r, currencyCol, "currency")
            else { continue }
            guard !r.isEmpty(idCol) else {
                try s.reject(field: "customer_id", value: "", reason: "customer_id is empty")
                continue
            }
            guard let start = try s.date(r, startCol, "start_date") else { continue }
            var end: Day? = nil
            if !r.isEmpty(endCol), let c = endCol, !r.isNullWord(c) {
                guard let e = try s.date(r, c, "end_date") else { continue }
                end = e
            }
            if let e = end, e < start {
                try s.reject(
                    field: "end_date", value: e.description, reason: "end_date is before start_date \(start)",
                    group: "end_date is before start_date")
                continue
            }
            // MRR, or amount over its billing period; mrr wins when both are given.
            var amountField = "mrr"
            var amount: ExactDecimal? = nil
            var months = 1
            if !r.isEmpty(mrrCol), let c = mrrCol {
                amount = r.withField(c) { $0.flatMap { ExactDecimal.parse(trimmed($0)) } }
            } else if !r.isEmpty(amountCol), let c = amountCol {
                amountField = "amount"
                amount = r.withField(c) { $0.flatMap { ExactDecimal.parse(trimmed($0)) } }
                // Rows of one billing period come in runs: its months are worked out once a run.
                let period = r.trimmedString(periodCol, &periodCache) ?? ""
                if period != lastPeriod.text { lastPeriod = (period, Self.billingMonths(period)) }
                guard let n = lastPeriod.months else {
                    if period.isEmpty {
                        // Read as monthly, an annual amount would be twelve times its MRR.
                        try s.reject(
                            field: "billing_period", value: "",
                            reason:
                                "the amount has no billing_period: give month, quarter, year or a whole number of months, or the monthly amount as mrr",
                            group: "amount without a billing_period")
                    } else {
                        let shown = KeyText.escaped(period)
                        // Weeks and days are no whole number of months: say what to give instead.
                        let unit = period.lowercased().trimmingCharacters(in: .whitespaces)
                        let shorter =
                            ["week", "weeks", "weekly", "day", "days", "daily"].contains(unit)
                            ? "; a period shorter than a month is not read: give the monthly amount as mrr (weekly × 52 / 12)"
                            : ""
                        try s.reject(
                            field: "billing_period", value: shown,
                            reason:
                                "\"\(shown)\" is not a billing period: expected month, quarter, year or a whole number of months from 1 to 120"
                                + shorter,
                            group: "expected month, quarter, year or a whole number of months")
                    }
                    continue
                }
                months = n
                // A period of several units (Stripe's interval count: `month` × 6), when given.
                if !r.isEmpty(periodCountCol), let c = periodCountCol {
                    let text = r.trimmedString(c) ?? ""
                    guard let count = Self.wholeNumber(text), months * count <= 120 else {
                        let shown = KeyText.escaped(text)
                        try s.reject(
                            field: "billing_period_count", value: shown,
                            reason:
                                "\"\(shown)\" is not a count of billing periods: expected a whole number from 1 with the period at most 120 months in all",
                            group: "billing_period_count is not a whole number of periods up to 120 months")
                        continue
                    }
                    months *= count
                }
            } else {
                try s.reject(field: "mrr", value: "", reason: "neither mrr nor amount is given")
                continue
            }
            guard let amt = amount else {
                let col = amountField == "mrr" ? mrrCol : amountCol
                let shown = r.withField(col ?? 0) { $0.map { KeyText.escaped(trimmed($0)) } ?? "" }
                try s.reject(
                    field: amountField, value: shown, reason: Self.notANumber(shown), group: "not a number")
                continue
            }
            if amt.isNegative {
                try s.reject(
                    field: amountField, value: amt.description, reason: "negative amount \(amt)",
                    group: "negative amount")
                continue
            }
            // A currency of only spaces is empty: the source's default applies.
            let cur =
                r.trimmedString(currencyCol, &currencyCache).flatMap { c in
                    c.isEmpty ? nil : c.utf8.allSatisfy { $0 >= 0x41 && $0 <= 0x5a } ? c : c.uppercased()
                } ?? defaultCurrency
            if conversion?.currency != cur {
                conversion = currency.conversion(from: cur)
                minorUnits = currency.minorUnits[cur] ?? CurrencyTable.defaultMinorUnits(cur)
            }
            guard let conversion else {
                // The configuration names currencies by three letters only: a rate cannot help here.
                if !PipelineConfig.isCurrencyCode(cur) {
                    try s.reject(
                        field: "currency", value: cur,
                        reason: "\"\(cur)\" is not a currency code: expected three letters (ISO 4217, such as USD)",
                        group: "not a currency code")
                } else {
                    try s.reject(
                        field: "currency", value: cur, reason: "unknown currency \(cur): no rate in currency.rates",
                        group: "unknown currency: no rate in currency.rates")
                }
                continue
            }
            // `amount_unit: minor`: the export writes cents (an API's integers), here made the
            // currency's units, exactly.
            let value =
                s.source.amountsInMinorUnits ? ExactDecimal(mantissa: amt.mantissa, scale: amt.scale + minorUnits) : amt
            guard let mrrMinor = conversion.monthlyMinor(amount: value, months: months),
                mrrMinor <= CheckedMinor.maxMRR
            else {
                let shown = r.withField((amountField == "mrr" ? mrrCol : amountCol) ?? 0) {
                    $0.map { String(decoding: trimmed($0), as: UTF8.self) } ?? ""
                }
                try s.reject(
                    field: amountField, value: shown,
                    reason:
                        "\(shown) \(cur) is above the limit of 10^15 minor units of MRR per subscription (1,000,000,000,000,000 in \(currency.report) minor units); check the value, its currency and currency.rates",
                    group: "MRR above the limit of 10^15 minor units")
                continue
            }
            // Text fields are read as the bytes their strings would hold, with no String each
            // (`TextDecoding.withRepairedUTF8`); `withTrimmed` hands nil for an absent,
            // null or empty field and no bytes for one of only spaces, as `trimmedString` did.
            if let c = subIdCol, !r.isEmpty(c) {
                // Ids compare composed, as customer ids do: one subscription_id typed in two
                // Unicode forms is one subscription, not twice the MRR. (The row's other values
                // compare by bytes: a repeat that spells them otherwise is rejected as different.)
                // What makes two rows with one subscription_id the same row (not the line number).
                var h = RowHash()
                r.withTrimmed(idCol) { b in TextDecoding.withRepairedUTF8(b!) { h.add($0) } }
                r.withTrimmed(productCol) { b in
                    if let b { TextDecoding.withRepairedUTF8(b) { h.add($0) } } else { h.add("default") }
                }
                r.withTrimmed(planCol) { b in
                    if let b { TextDecoding.withRepairedUTF8(b) { h.add($0) } } else { h.add("") }
                }
                h.add(int: Int64(start.raw))
                h.add(int: end.map { Int64($0.raw) } ?? Int64.min)
                h.add(int: mrrMinor)
                h.add(cur)
                let check = UInt32(truncatingIfNeeded: h.h >> 32)
                let prev = r.withTrimmed(c) { b in
                    KeyText.withComposedBytes(b!) {
                        seen.existingOrInsert(
                            $0, key: subscriptionKey(composed: $0), line: Int32(truncatingIfNeeded: r.line),
                            check: check)
                    }
                }
                if let prev {
                    try s.repeated(
                        field: "subscription_id", value: r.trimmedString(c) ?? "", firstLine: Int(prev.line),
                        sameValues: prev.check == check)
                    continue
                }
            }
            // Rows stay lean (this is the largest intermediate file): the original currency only
            // when the row was converted, quantity only when given.
            // (The closures read the batch as a constant, so they do not retain it per field.)
            let batch = packed
            batch.append(
                PackedSubscriptionRow(
                    customerId: r.withTrimmed(idCol) { batch.text($0) },
                    subscriptionId: r.withTrimmed(subIdCol) { batch.text($0) },
                    product: r.withTrimmed(productCol) { batch.text(nonEmpty: $0) } ?? batch.text("default"),
                    plan: r.withTrimmed(planCol) { batch.text($0) },
                    sourceCurrency: cur != currency.report ? batch.text(cur) : .absent,
                    quantity: r.withTrimmed(quantityCol) { batch.text(nonEmpty: $0) } ?? .absent,
                    startDate: start, endDate: end, mrrMinor: mrrMinor))
            if packed.isFull {
                try rows.append(packed)
                packed = pool.take()
            }
            s.written += 1
            s.coverage.see(start)
            // mrr 0 beside an amount above 0: the mrr column may be the current MRR, 0 once the
            // subscription is cancelled (some billing exports), which would erase that churn.
            if amt.isZero, amountField == "mrr", !r.isEmpty(amountCol), let c = amountCol,
                let other = r.withField(c, { $0.flatMap { ExactDecimal.parse(trimmed($0)) } }), !other.isZero,
                !other.isNegative
            {
                if s.zeroMRRWithAmount == nil {
                    func shown(_ col: Int) -> String {
                        r.withField(col) { $0.map { KeyText.escaped(trimmed($0)) } ?? "" }
                    }
                    s.zeroMRRWithAmount = (0, r.line, shown(mrrCol ?? 0), shown(c))
                }
                s.zeroMRRWithAmount!.rows += 1
            }
            // Trailing zeros say nothing (`1500.0` yen, as a float column is written), except in
            // three decimals, which read as a dot between thousands (`1.200` euros).
            let places = s.source.amountsInMinorUnits ? 0 : minorUnits
            if amt.scale > places, amt.scale == 3 || amt.normalized.scale > places {
                if s.excessDecimals == nil {
                    let col = (amountField == "mrr" ? mrrCol : amountCol) ?? 0
                    let shown = r.withField(col) { $0.map { KeyText.escaped(trimmed($0)) } ?? "" }
                    s.excessDecimals = (0, amountField, r.line, shown, cur, places)
                }
                s.excessDecimals!.rows += 1
            }
        }
        if packed.count > 0 { try rows.append(packed) }
        try rows.finish()
        return orphanIds
    }

    // MARK: cancellations and events

    static func ingestCancellations<Reader: SourceReader>(_ s: SourceRun, reader r: Reader, known: KnownCustomers)
        throws
    {
        let idCol = try s.column("customer_id", required: true)!
        let dateCol = try s.column("date", required: true)!
        let reasonCol = try s.column("reason", required: false)
        let commentCol = try s.column("comment", required: false)
        let rows = BackgroundRowWriter<CancellationRecord>(writer: s.out, background: s.writesInBackground) { r, w in
            try w.write(r)
        }
        defer { rows.drain() }
        var cidCache = RepeatedValueCache<String>()
        while try s.nextRow(r) {
            guard try s.keyIsClean(r, idCol, "customer_id") else { continue }
            guard let cid = r.trimmedString(idCol, &cidCache), !cid.isEmpty else {
                try s.reject(field: "customer_id", value: "", reason: "customer_id is empty")
                continue
            }
            guard try s.isKnown(cid, in: known) else { continue }
            guard let d = try s.date(r, dateCol, "date") else { continue }
            let row = CancellationRecord(
                customerId: cid, date: d, reason: r.string(reasonCol)?.trimmingSpaces, comment: r.string(commentCol),
                line: r.line)
            try rows.append(row)
            s.written += 1
            s.coverage.see(d)
        }
        try rows.finish()
    }

    static func ingestEvents<Reader: SourceReader>(_ s: SourceRun, reader r: Reader, known: KnownCustomers) throws {
        let idCol = try s.column("customer_id", required: true)!
        let tsCol = try s.column("timestamp", required: true)!
        let eventCol = try s.column("event", required: true)!
        let userCol = try s.column("user_id", required: false)
        // Accepted rows go to the writer's thread packed as bytes, a batch at a time.
        let pool = PackedEventRows.Pool()
        let rows = pool.rowWriter(to: s.out, background: s.writesInBackground)
        defer { rows.drain() }
        var packed = pool.take()
        // The last customer found known, as its id's bytes: events come in runs of one customer.
        var lastKnownCustomer: [UInt8]? = nil
        while try s.nextRow(r) {
            guard try s.keyIsClean(r, idCol, "customer_id"), try s.keyIsClean(r, eventCol, "event"),
                try s.keyIsClean(r, userCol, "user_id")
            else { continue }
            // nil: empty; true: the last known customer again; false: another one.
            let sameCustomer = r.withTrimmed(idCol) { b -> Bool? in
                guard let b, !b.isEmpty else { return nil }
                return lastKnownCustomer?.withUnsafeBufferPointer { UTF8Order.equal($0, b) } ?? false
            }
            guard let sameCustomer else {
                try s.reject(field: "customer_id", value: "", reason: "customer_id is empty")
                continue
            }
            if !sameCustomer {
                let id = r.withTrimmed(idCol) { Array($0!) }
                guard try s.isKnown(String(decoding: id, as: UTF8.self), in: known) else { continue }
                lastKnownCustomer = id
            }
            guard let d = try s.date(r, tsCol, "timestamp") else { continue }
            // (The closures read the batch as a constant, so they do not retain it per field.)
            let batch = packed
            // The event's name, packed once it is found not empty (the row's last check).
            guard let event = r.withTrimmed(eventCol, { batch.text(nonEmpty: $0) }) else {
                try s.reject(field: "event", value: "", reason: "event is empty")
                continue
            }
            batch.append(
                PackedEventRow(
                    customerId: r.withTrimmed(idCol) { batch.text($0) }, date: d, event: event,
                    userId: userCol.map { c in r.withField(c) { batch.text(nonEmpty: $0) } ?? .absent } ?? .absent))
            if packed.isFull {
                try rows.append(packed)
                packed = pool.take()
            }
            s.written += 1
            s.coverage.see(d)
        }
        if packed.count > 0 { try rows.append(packed) }
        try rows.finish()
    }

    /// Why an amount as written (`shown`, escaped) is not read, with what to write instead when
    /// the spelling says what was meant: a currency sign, accounting parentheses, a percent sign,
    /// spaces or a decimal comma between digits, full-width digits, more than 30 digits.
    static func notANumber(_ shown: String) -> String {
        let base = "\"\(shown)\" is not a number"
        let scalars = shown.unicodeScalars
        let digits = scalars.filter { ("0"..."9").contains($0) }.count
        func has(_ s: String) -> Bool { scalars.contains { s.unicodeScalars.contains($0) } }
        if scalars.contains(where: { $0.properties.generalCategory == .currencySymbol }) {
            return base + ": write the amount without a currency sign (the currency has its own column)"
        }
        // A currency code before or after the number (`49.00 USD`, `USD49`): three letters besides
        // the digits, signs, separators and spaces.
        let letters = scalars.filter { !("0"..."9").contains($0) && !"+-.,' \u{A0}".unicodeScalars.contains($0) }
        if digits > 0, letters.count == 3, letters.allSatisfy({ ("A"..."Z").contains($0) || ("a"..."z").contains($0) })
        {
            return base + ": write the amount without the currency code (the currency has its own column)"
        }
        if shown.hasPrefix("(") && shown.hasSuffix(")") {
            return base + ": accounting parentheses are not read (amounts are not negative)"
        }
        if shown.hasSuffix("%") { return base + ": a percentage is not an amount" }
        if scalars.contains(where: { ("\u{FF10}"..."\u{FF19}").contains($0) }) {
            return base + ": write the digits as 0-9, not full-width"
        }
        if digits > 30, scalars.allSatisfy({ ("0"..."9").contains($0) || has("+-.,") }) {
            return base + ": it has \(digits) digits, more than the 30 an amount may have"
        }
        if digits > 0, has(" \u{A0}\u{202F}\u{2009}'") {
            return base + ": write it without spaces or apostrophes between the digits (1,000.50 or 1000.50)"
        }
        let firstGroup = shown.prefix { $0 != "," }.drop { $0 == "-" || $0 == "+" }
        if let comma = shown.lastIndex(of: ","), !shown[shown.index(after: comma)...].contains("."),
            shown[shown.index(after: comma)...].count != 3 || firstGroup.hasPrefix("0")
        {
            return base + ": a decimal comma is not read; write the decimals after a point (1234.56)"
        }
        return base
    }

    /// The months a billing period spans (month, quarter, year in a few spellings, any case, or a
    /// whole number of months from 1 to 120); nil for anything else, the empty text included.
    static func billingMonths(_ period: String) -> Int? {
        switch period.lowercased() {
        // The plural as an interval unit (Recurly's `months`, with a count beside it).
        case "month", "months", "monthly", "m", "月", "月額", "毎月", "月次", "月払い": return 1
        case "quarter", "quarters", "quarterly", "q", "四半期", "四半期払い": return 3
        case "semiannual", "semi-annual", "semi_annual", "semiannually", "semi-annually", "half-year", "half_year",
            "halfyear", "half-yearly", "半年", "半期", "半年払い":
            return 6
        case "year", "years", "yearly", "annual", "annually", "y", "年", "年額", "毎年", "年次", "年払い": return 12
        case let p where p.hasSuffix("months") || p.hasSuffix("month"):
            // `6 months`, `1 month`, `12months`: the number before the word.
            let number = p.dropLast(p.hasSuffix("months") ? 6 : 5).trimmingCharacters(in: .whitespaces)
            guard !number.isEmpty, number.allSatisfy(\.isASCII), let n = Int(number), n > 0, n <= 120 else {
                return nil
            }
            return n
        case let p: return wholeNumber(p)
        }
    }

    /// A whole number from 1 to 120, also as a spreadsheet or a JSON number may write it (`12.0`,
    /// `+12`); nil for anything else (a word, `12.5`).
    static func wholeNumber(_ p: String) -> Int? {
        var whole = Substring(p)
        if let dot = whole.firstIndex(of: "."), dot != whole.startIndex,
            whole[whole.index(after: dot)...].allSatisfy({ $0 == "0" })
        {
            whole = whole[..<dot]
        }
        guard let n = Int(whole), n > 0, n <= 120 else { return nil }
        return n
    }

    /// The bytes without surrounding spaces: ASCII spaces and tabs, and the Unicode space
    /// separators spreadsheets and web forms leave behind (U+00A0 no-break space, U+1680,
    /// U+2000–U+200A, U+202F, U+205F, U+3000 ideographic space), so `C1` followed by a no-break
    /// space is the customer `C1`, not a second one that looks the same. Zero-width characters are
    /// not spaces: `KeyText` rejects them.
    ///
    /// Called for every key and value of every row, several times for some: a field whose end
    /// bytes are both visible ASCII, the usual case, is returned as it is without a call.
    @inline(__always)
    static func trimmed(_ b: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        if let p = b.baseAddress, b.count > 0, p[0] > 32, p[0] < 0x80, p[b.count - 1] > 32, p[b.count - 1] < 0x80 {
            return b
        }
        return trimmedEnds(b)
    }

    /// `trimmed` for a field that may start or end with a space, a tab or a non-ASCII byte.
    private static func trimmedEnds(_ b: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var lo = 0
        var hi = b.count
        while true {
            while lo < hi, b[lo] == 32 || b[lo] == 9 { lo += 1 }
            while hi > lo, b[hi - 1] == 32 || b[hi - 1] == 9 { hi -= 1 }
            // Plain ASCII at both ends, the usual case, needs no more look.
            guard lo < hi, b[lo] >= 0xC2 || b[hi - 1] >= 0x80 else { break }
            let front = UnicodeSpace.length(b, at: lo, limit: hi)
            lo += front
            let back = lo < hi ? UnicodeSpace.length(b, endingAt: hi, from: lo) : 0
            hi -= back
            if front == 0 && back == 0 { break }
        }
        return UnsafeBufferPointer(rebasing: b[lo..<hi])
    }
}

/// The non-ASCII space separators (general category Zs but U+0020) in UTF-8: what `trimmed`
/// removes at the ends of a field, and what `KeyText` refuses inside an id or key.
enum UnicodeSpace {
    /// Whether `s` is a space separator other than the ASCII space.
    static func contains(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0xA0, 0x1680, 0x2000...0x200A, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// The byte length of the space separator starting at `i` (below `limit`), 0 when there is none.
    static func length(_ b: UnsafeBufferPointer<UInt8>, at i: Int, limit: Int) -> Int {
        if i + 2 <= limit, b[i] == 0xC2, b[i + 1] == 0xA0 { return 2 }
        guard i + 3 <= limit else { return 0 }
        return isThreeByteSpace(b[i], b[i + 1], b[i + 2]) ? 3 : 0
    }

    /// The byte length of the space separator ending just before `end` (at or after `from`), 0
    /// when there is none.
    static func length(_ b: UnsafeBufferPointer<UInt8>, endingAt end: Int, from: Int) -> Int {
        if end - 2 >= from, b[end - 2] == 0xC2, b[end - 1] == 0xA0 { return 2 }
        guard end - 3 >= from else { return 0 }
        return isThreeByteSpace(b[end - 3], b[end - 2], b[end - 1]) ? 3 : 0
    }

    /// U+1680 (E1 9A 80), U+2000–U+200A (E2 80 80–8A), U+202F (E2 80 AF), U+205F (E2 81 9F),
    /// U+3000 (E3 80 80).
    private static func isThreeByteSpace(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Bool {
        switch (a, b) {
        case (0xE1, 0x9A): return c == 0x80
        case (0xE2, 0x80): return (0x80...0x8A).contains(c) || c == 0xAF
        case (0xE2, 0x81): return c == 0x9F
        case (0xE3, 0x80): return c == 0x80
        default: return false
        }
    }
}

extension String {
    /// The string without leading and trailing spaces (as `IngestStage.trimmed`).
    var trimmingSpaces: String {
        let u = utf8
        guard let f = u.first, let l = u.last, f == 32 || f == 9 || l == 32 || l == 9 || f >= 0xC2 || l >= 0x80
        else { return self }
        var copy = self
        return copy.withUTF8 { b in
            let t = IngestStage.trimmed(b)
            return t.count == b.count ? self : String(decoding: t, as: UTF8.self)
        }
    }
}
