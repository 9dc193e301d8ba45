/// The first and last date seen in one source's accepted rows: signup dates, subscription start
/// dates (end dates are often scheduled renewals, which say nothing about when the data was
/// exported), cancellation dates, event dates.
struct DateCoverage {
    private(set) var first: Day?
    private(set) var last: Day?

    @inline(__always) mutating func see(_ d: Day?) {
        guard let d else { return }
        if first.map({ d < $0 }) ?? true { first = d }
        if last.map({ d > $0 }) ?? true { last = d }
    }

    func entry(_ source: String) -> Manifest.Coverage {
        Manifest.Coverage(source: source, first: first?.description, last: last?.description)
    }
}

/// The warnings a run prints on stderr and shows in the report's data-quality section: data the
/// configuration expects that is not there, and an as_of far past the data.
public enum DataWarnings {
    /// How many days after the last date in the data an as_of may fall before it is suspicious.
    public static let staleDays = 45

    /// Optional fields whose absence changes the numbers, with what it does (`n` = accepted rows).
    static func consequence(_ kind: PipelineConfig.SourceKind, _ field: String, rows n: Int) -> String? {
        // "all 3,000 customers are", "the 1 customer is".
        func all(_ noun: String, _ rest: (verb: String, plural: String)) -> String {
            n == 1 ? "the 1 \(noun) \(rest.verb)" : "all \(NumberText.grouped(n)) \(noun)s \(rest.plural)"
        }
        switch (kind, field) {
        case (.customers, "acquisition_channel"): return all("customer", ("is in (unknown)", "are in (unknown)"))
        case (.customers, "signup_date"):
            return "no customer has a signup date (cohort_basis signup_date cannot be used)"
        case (.subscriptions, "end_date"):
            return all("subscription", ("is open-ended", "are open-ended")) + ", so no one churns"
        case (.subscriptions, "plan"): return all("subscription", ("has no plan", "have no plan"))
        case (.subscriptions, "product"):
            return all("subscription", ("is one product (default)", "are one product (default)"))
        case (.cancellations, "reason"): return all("cancellation", ("has no reason", "have no reason"))
        case (.subscriptions, "currency"):
            return "amounts are read in sources.subscriptions.currency, or else in the report currency"
        default: return nil
        }
    }

    /// The file's column that looks like the one an optional field was looked for under, when
    /// that one is absent: the same letters and digits in any case (`Currency`, `Currency Code`,
    /// `END_DATE`), or one edit away for a name of five or more. Nil when none does.
    static func nearColumn(to name: String, in columns: [String]) -> String? {
        func folded(_ s: String) -> String {
            var out = String.UnicodeScalarView()
            for u in s.lowercased().unicodeScalars where u.properties.isAlphabetic || u.properties.numericType != nil {
                out.append(u)
            }
            return String(out)
        }
        let target = folded(name)
        guard !target.isEmpty else { return nil }
        return columns.first { c in
            let f = folded(c)
            return f == target || f.hasPrefix(target) || (target.count >= 5 && Levenshtein.distance(f, target) <= 1)
        }
    }

    /// A column the source's file lacks: an error when the config names it, else a warning
    /// (returned, with its consequence, once the rows are counted) for the fields that matter.
    static func missingColumn(_ source: PipelineConfig.Source, field: String, columns: [String]) throws -> String? {
        let name = source.column(field)
        if source.columns[field] != nil {
            throw ConfigError(
                file: source.path, keyPath: "",
                message: "column \"\(name)\" (for \(field), set in sources.\(source.kind.rawValue).columns) is missing",
                hint: (nearColumn(to: name, in: columns).map { "Did you mean \"\(KeyText.escaped($0))\"? " } ?? "")
                    + "The file has: \(KeyText.escaped(columns: columns)). Fix the name in \"columns\", or remove the mapping."
            )
        }
        return consequence(source.kind, field, rows: 0) == nil ? nil : field
    }

    /// The warning for a column without a name in the header whose values are not read.
    static func unnamedColumns(_ source: PipelineConfig.Source, shown: String, columns: Int, values: Int)
        -> DataWarning
    {
        DataWarning(.unnamedColumns(source: source.kind, path: shown, columns: columns, values: values))
    }

    /// The warning for an optional field whose column is absent (`shown`: the source's path as
    /// manifests record it).
    static func missingColumnWarning(
        _ source: PipelineConfig.Source, shown: String, field: String, near: String?, rows: Int
    ) -> DataWarning {
        DataWarning(
            .missingColumn(
                source: source.kind, path: shown, field: field, column: source.column(field), rows: rows, near: near))
    }

    /// The warning for an optional source whose file does not exist.
    static func missingOptionalSource(_ source: PipelineConfig.Source, shown: String) -> DataWarning {
        DataWarning(.missingOptionalSource(source: source.kind, path: shown))
    }

    /// The warning for an as_of outside the data: more than `staleDays` after the last date in
    /// any source, or before the first subscription starts (every metric is then empty).
    /// `openAtAsOf`: the customers with a subscription open at as_of (normalize's count), nil when
    /// not known; with none open the consequence of a late as_of is another one.
    public static func asOfOutsideData(asOf: Day, coverage: [Manifest.Coverage], openAtAsOf: Int? = nil)
        -> DataWarning?
    {
        let subscriptions = coverage.first { $0.source == PipelineConfig.SourceKind.subscriptions.rawValue }
        if let first = subscriptions?.first.flatMap(Day.init(iso:)), asOf < first {
            return DataWarning(.asOfBeforeData(asOf: asOf, first: first))
        }
        guard let last = coverage.compactMap({ $0.last.flatMap(Day.init(iso:)) }).max(), asOf - last > staleDays else {
            return nil
        }
        return DataWarning(.staleAsOf(asOf: asOf, last: last, openAtAsOf: openAtAsOf))
    }
}

extension DataWarnings {
    /// The warning for a report made from ingest outputs that no longer match the sources: a source
    /// whose size is not the one ingest recorded, or (where make keeps state) a source edited,
    /// replaced or touched since ingest read it, or ingest outputs that ingest did not write here.
    static func sourcesChanged(_ config: PipelineConfig, ingest: Manifest) -> DataWarning? {
        var resized: [DataWarning.ResizedSource] = []
        // Ingest records a source's input and its reconciliation row in one step, so the two lists
        // pair up by position; the path it recorded is relative to the configuration's folder.
        let read = ingest.reconciliation.count == ingest.inputs.count ? ingest.reconciliation.map(\.source) : []
        for (name, recorded) in zip(read, ingest.inputs) {
            guard let kind = PipelineConfig.SourceKind(rawValue: name), let s = config.sources[kind] else { continue }
            let now = FilePaths.size(s.path)
            if now != recorded.bytes {
                resized.append(.init(path: recorded.path, bytesNow: now, bytesRead: recorded.bytes))
            }
        }
        guard !resized.isEmpty || PipelineMake.sourcesChangedSinceIngestRead(config) else { return nil }
        return DataWarning(.sourcesChanged(resized: resized))
    }
}

/// Whole numbers with thousands separators for messages ("3,000").
enum NumberText {
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }
}

extension IngestStage.SourceRun {
    /// Hook for `column(_:required:)`: a configured column the file lacks is an error; an absent
    /// optional column that changes the numbers is remembered for a warning.
    func noteMissingColumn(_ field: String) throws {
        guard source.format == .csv else { return }
        // A field that changes the numbers is warned about; any field whose column the file seems
        // to hold under another spelling is too (a `Currency` column read as no currency at all).
        // (No currency column is the documented way to give one currency for a whole source: only
        // a look-alike column makes it worth a warning.)
        let matters =
            try DataWarnings.missingColumn(source, field: field, columns: reader.columns) != nil && field != "currency"
        let taken = Set(source.kind.fields.map(source.column))
        let near = DataWarnings.nearColumn(to: source.column(field), in: reader.columns.filter { !taken.contains($0) })
        if matters || near != nil { missingFields.append((field, near)) }
    }

    /// The warnings about this source's absent and unnamed columns, now that its rows are counted.
    func columnWarnings(shown: String) -> [DataWarning] {
        missingFields.map {
            DataWarnings.missingColumnWarning(source, shown: shown, field: $0.field, near: $0.near, rows: written)
        }
            + (unnamedColumns.map { [DataWarnings.unnamedColumns(source, shown: shown, columns: $0.0, values: $0.1)] }
                ?? [])
            + (lookAlikeAttributes.map {
                [
                    DataWarning(
                        .lookAlikeAttributes(
                            path: shown, values: $0.values, column: $0.column, line: $0.line, value: $0.value,
                            character: $0.character, position: $0.position, looksLike: $0.looksLike))
                ]
            } ?? [])
            + (zeroMRRWithAmount.map {
                [
                    DataWarning(
                        .zeroMRRWithAmount(path: shown, rows: $0.rows, line: $0.line, mrr: $0.mrr, amount: $0.amount))
                ]
            } ?? [])
            + (excessDecimals.map {
                [
                    DataWarning(
                        .excessDecimals(
                            path: shown, field: $0.field, rows: $0.rows, line: $0.line, value: $0.value,
                            currency: $0.currency, minorUnits: $0.minorUnits))
                ]
            } ?? [])
    }
}
