/// A table that report.md and report.html draw alike: column headers, rows of display text
/// (formatted, not yet escaped), which columns are numbers (right-aligned) and which HTML shows
/// as code (digests, example lines). Each renderer escapes and lays it out in its own syntax.
struct ReportTable {
    var headers: [String]
    var numeric: Set<Int> = []
    var code: Set<Int> = []
    var rows: [[String]]
}

/// The tables of the sections both full reports share row for row.
extension ReportModel {
    /// Rows read, accepted, rejected and dropped as duplicates, per source.
    func sourcesTable(_ q: DataQualitySection) -> ReportTable {
        let (t, f) = (localizer, formatter)
        return ReportTable(
            headers: [t(.source), t(.rowsRead), t(.accepted), t(.rejected), t(.duplicates)], numeric: [1, 2, 3, 4],
            rows: q.sources.map {
                [
                    $0.source, f.integer($0.read), f.integer($0.accepted), f.integer($0.rejected),
                    f.integer($0.duplicates),
                ]
            })
    }

    /// The most frequent reject reasons, with an example line each.
    func rejectReasonsTable(_ q: DataQualitySection) -> ReportTable {
        let (t, f) = (localizer, formatter)
        return ReportTable(
            headers: [t(.source), t(.reason), t(.rows), t(.exampleLine)], numeric: [2], code: [3],
            rows: q.rejectReasons.map { [$0.source, $0.reason, f.integer($0.count), $0.exampleLine ?? ""] })
    }

    /// Rows whose customer is in no customers file, per source.
    func orphansTable(_ q: DataQualitySection) -> ReportTable {
        ReportTable(
            headers: [localizer(.source), localizer(.rows)], numeric: [1],
            rows: q.orphans.map { [$0.source, formatter.integer($0.count)] })
    }

    /// as_of, the configuration's digest and the tool's version.
    func provenanceTable(_ p: Provenance) -> ReportTable {
        let t = localizer
        return ReportTable(
            headers: [t(.metric), t(.value)], code: [1],
            rows: [
                [t(.asOf), formatter.date(p.asOf)], [t(.configDigest), p.configSHA256],
                [t(.toolVersion), p.toolVersion],
            ])
    }

    /// Every input file with its size and SHA-256.
    func inputsTable(_ p: Provenance) -> ReportTable {
        let t = localizer
        return ReportTable(
            headers: [t(.file), t(.bytes), t(.sha256)], numeric: [1], code: [2],
            rows: p.inputs.map { [$0.path, formatter.integer($0.bytes), $0.sha256] })
    }
}

/// A GitHub-flavoured Markdown table: the header row, the alignment row (`---:` for the columns
/// `rightAligned` says) and one line per row, each ending in a newline. Cells go in as given:
/// escape them first.
func markdownTableLines(_ headers: [String], rightAligned: (Int) -> Bool, _ rows: [[String]]) -> String {
    var s = "| " + headers.joined(separator: " | ") + " |\n"
    s += "|" + headers.indices.map { rightAligned($0) ? " ---: " : " --- " }.joined(separator: "|") + "|\n"
    for row in rows { s += "| " + row.joined(separator: " | ") + " |\n" }
    return s
}
