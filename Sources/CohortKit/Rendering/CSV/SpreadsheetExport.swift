/// CSV exports of the report for spreadsheet users: `kpis.csv` (one row per headline metric) and
/// `triangles.csv` (one row per retention cell, long format for pivot tables).
///
/// Text that came from data (channel names, cohort labels) goes through the formula guard of
/// `CSVWriter` (a leading `=`, `+`, `-`, `@`, tab or CR gets a `'`), so a channel called
/// `=HYPERLINK(…)` shows as text. Numbers are written by the pipeline itself, unguarded, so a
/// spreadsheet reads them as numbers: ratios as plain decimals (`0.948`), money in minor units;
/// headline values exactly as summary.json has them, triangle cells to 6 decimals.
public enum SpreadsheetExport {
    /// `metric,value,unit,band` — one row per headline metric, in report order.
    public static func kpis(_ model: ReportModel) -> String {
        var rows = CSVRows()
        rows.append(text: ["metric", "value", "unit", "band"])
        for k in model.kpis {
            let unit: String
            switch k.kind {
            case .percent: unit = "ratio"
            case .money: unit = "\(model.reportCurrency) minor units"
            case .number: unit = "count"
            case .days: unit = "days"
            }
            // As summary.json writes it: rounded to 6 decimals, 0.9999996 would read 1 beside "bad".
            rows.append([.text(k.id), .number(k.exactText ?? ""), .text(unit), .text(k.band.rawValue)])
        }
        return rows.text
    }

    /// `measure,channel,cohort,customers,offset,value` — one row per observable triangle cell of
    /// every channel and `(all)`, for logo, revenue and gross revenue retention. Absent cells
    /// (not yet observable) have no row.
    public static func triangles(_ model: ReportModel) -> String {
        var rows = CSVRows()
        rows.append(text: ["measure", "channel", "cohort", "customers", "offset", "value"])
        for (measure, pick) in [
            ("logo_retention", \TriangleRow.logo), ("revenue_retention", \TriangleRow.revenue),
            ("gross_revenue_retention", \TriangleRow.gross),
        ] {
            for triangle in model.triangles {
                for row in triangle.rows {
                    for (k, v) in row[keyPath: pick].enumerated() {
                        guard let v else { continue }
                        rows.append([
                            .text(measure), .text(triangle.channel), .text(row.cohort), .number(String(row.customers)),
                            .number(String(k)), .number(number(v)),
                        ])
                    }
                }
            }
        }
        return rows.text
    }

    /// A finite value with up to 6 decimals and no trailing zeros; empty when undefined.
    static func number(_ v: Double?) -> String {
        guard let v, v.isFinite else { return "" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        let scaled = (abs(v) * 1_000_000).rounded()
        guard scaled < 9e18 else { return String(v) }
        let n = UInt64(scaled)
        var frac = String(n % 1_000_000)
        frac = String(repeating: "0", count: 6 - frac.count) + frac
        while frac.hasSuffix("0") { frac.removeLast() }
        return (v < 0 ? "-" : "") + String(n / 1_000_000) + (frac.isEmpty ? "" : "." + frac)
    }
}

/// Rows of a spreadsheet CSV: text fields guarded against formulas, their invisible characters
/// shown as `\uXXXX` (`Escaping.visible`); number fields written as is.
struct CSVRows {
    enum Field {
        case text(String)
        case number(String)
    }

    private let guarded = CSVWriter(lineEnding: .crlf, guardFormulas: true)
    private let plain = CSVWriter(lineEnding: .crlf, guardFormulas: false)
    private let bytes: ByteBuffer = {
        let b = ByteBuffer()
        b.append(contentsOf: [0xEF, 0xBB, 0xBF])  // a BOM, so spreadsheets read UTF-8 names right
        return b
    }()

    mutating func append(text fields: [String]) { append(fields.map { .text($0) }) }

    mutating func append(_ fields: [Field]) {
        for (i, field) in fields.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            switch field {
            case .text(let s): guarded.appendField(Escaping.visible(s), to: bytes)
            case .number(let s): plain.appendField(s, to: bytes)
            }
        }
        bytes.append(contentsOf: [0x0D, 0x0A])
    }

    var text: String { String(decoding: bytes.written, as: UTF8.self) }
}
