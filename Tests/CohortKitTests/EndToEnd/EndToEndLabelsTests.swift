import Foundation
import XCTest

/// Many labels and hostile labels through the real binaries: `report.max_channels` pools the
/// report's channels while the JSON Lines keep every one; labels equal to the pipeline's bucket
/// names stay distinct; bidirectional controls are isolated; no output carries a NUL byte.
final class EndToEndLabelsTests: XCTestCase {
    /// A project in a temporary folder: `channels[i]` is the channel of customer i, each customer
    /// pays 1000 JPY a month from a day in 2024-01..03, every third one leaves after 40 days.
    /// `leads` are channels of customers without any subscription.
    func project(channels: [String], leads: [String] = [], extraConfig: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-labels-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        var customers = "customer_id,acquisition_channel,plan\n"
        var subscriptions = "subscription_id,customer_id,product,start_date,end_date,mrr,currency\n"
        var cancellations = "customer_id,date,reason\n"
        for (i, channel) in channels.enumerated() {
            let id = String(format: "C%05d", i)
            let quoted = "\"" + channel.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            customers += "\(id),\(quoted),\(channel.isEmpty ? "basic" : quoted)\n"
            let start = String(format: "2024-%02d-%02d", 1 + i % 3, 1 + i % 28)
            let end = i % 3 == 0 ? String(format: "2024-%02d-%02d", 3 + i % 3, 1 + i % 28) : ""
            subscriptions += "S\(i),\(id),core,\(start),\(end),1000,JPY\n"
            if !end.isEmpty { cancellations += "\(id),\(end),\(quoted)\n" }
        }
        for (i, lead) in leads.enumerated() { customers += "L\(i),\(lead),\n" }
        try customers.write(to: dir.appendingPathComponent("customers.csv"), atomically: true, encoding: .utf8)
        try subscriptions.write(to: dir.appendingPathComponent("subscriptions.csv"), atomically: true, encoding: .utf8)
        try cancellations.write(to: dir.appendingPathComponent("cancellations.csv"), atomically: true, encoding: .utf8)
        let config = """
            {"version": 1, "as_of": "2024-06-30", "work_dir": "work", "reports_dir": "reports",
             "currency": {"report": "JPY", "rates": {"USD": 150}, "minor_units": {"JPY": 0, "USD": 2}},
             "sources": {"customers": {"path": "customers.csv"}, "subscriptions": {"path": "subscriptions.csv"},
                         "cancellations": {"path": "cancellations.csv"}},
             "cohort": {"max_offset_months": 4},
             \(extraConfig)}
            """
        try config.write(to: dir.appendingPathComponent("pipeline.json"), atomically: true, encoding: .utf8)
        return dir
    }

    /// 230 customers over 210 channels: `big0`..`big4` have 5 customers each, the other 205 one.
    func testReportShowsTopChannelsAndPoolsTheRestWhileTheJSONLKeepsThemAll() throws {
        var channels: [String] = []
        for b in 0..<5 { channels += Array(repeating: "big\(b)", count: 5) }
        for s in 0..<205 { channels.append(String(format: "small%03d", s)) }
        let dir = try project(
            channels: channels, leads: ["leads_only"],
            extraConfig: """
                "attribution": {"dimensions": ["acquisition_channel", "plan"], "min_segment_customers": 1},
                "report": {"max_channels": 5}
                """)
        try StageProcess.runAll(config: dir.appendingPathComponent("pipeline.json").path, extra: ["--quiet"])

        let triangle = try Output.lines(dir.appendingPathComponent("work/cohort/triangle.jsonl"))
        let triangleChannels = Set(triangle.compactMap { $0["channel"] as? String })
        XCTAssertEqual(triangleChannels.count, 210 + 2, "every channel, (all) and (other)")
        XCTAssertTrue(triangleChannels.contains("small204"))
        // A channel whose customers never paid has no cohort, curve, movement or window.
        for file in ["triangle", "survival", "movements", "windows"] {
            let text = try Output.text(dir.appendingPathComponent("work/cohort/\(file).jsonl"))
            XCTAssertFalse(text.contains("leads_only"), file)
        }
        let movements = try Output.lines(dir.appendingPathComponent("work/cohort/movements.jsonl"))
        XCTAssertEqual(
            Set(movements.compactMap { $0["channel"] as? String }).count, 210 + 1,
            "every paying channel and (all); no (other)")
        // (other) pools the 205 one-customer channels: its offset-0 cells count them all.
        let otherCustomers = triangle.filter {
            $0["channel"] as? String == "(other)" && $0["offset"] as? Int == 0
                && $0["cohort"] as? String != "(weighted)"
        }
        .reduce(0) { $0 + ($1["customers"] as? Int ?? 0) }
        XCTAssertEqual(otherCustomers, 205)
        let survival = try Output.lines(dir.appendingPathComponent("work/cohort/survival.jsonl"))
        XCTAssertEqual(Set(survival.compactMap { $0["channel"] as? String }).count, 210 + 2)
        let logrank = try Output.object(dir.appendingPathComponent("work/cohort/logrank.json"))
        XCTAssertEqual(logrank["groups"] as? [String], ["big0", "big1", "big2", "big3", "big4", "(other)"])
        XCTAssertEqual(logrank["pooled_channels"] as? Int, 205)
        XCTAssertEqual(logrank["df"] as? Int, 5)

        // Pairwise tests: at most attribution.max_compared_values (20) values, so 190 pairs.
        let pairwise = try Output.lines(dir.appendingPathComponent("work/churn-attribution/pairwise.jsonl"))
        XCTAssertEqual(pairwise.filter { $0["dimension"] as? String == "acquisition_channel" }.count, 190)
        let segments = try Output.lines(dir.appendingPathComponent("work/churn-attribution/segments.jsonl"))
        XCTAssertEqual(
            segments.filter { $0["dimension"] as? String == "acquisition_channel" }.count, 210,
            "segments keep every value")

        let md = try Output.text(dir.appendingPathComponent("reports/report.md"))
        let html = try Output.text(dir.appendingPathComponent("reports/report.html"))
        // Channel triangles are folded under <details>, All channels first and open.
        for b in 0..<5 {
            XCTAssertTrue(md.contains("<summary>big\(b)</summary>"), "big\(b) has its own triangle in Markdown")
            XCTAssertTrue(html.contains("<summary>big\(b)</summary>"), "big\(b) has its own triangle in HTML")
        }
        XCTAssertTrue(md.contains("<summary>(other)</summary>"))
        XCTAssertTrue(html.contains("<summary>(other)</summary>"))
        XCTAssertFalse(
            md.contains("#### small000") || md.contains("### small000") || md.contains("| small000 |"),
            "a pooled channel has no rows of its own in the report")
        XCTAssertFalse(html.contains(">small000<"))
        XCTAssertTrue(md.contains("the other 205 are shown together as (other)"), "the pooling is said")
        // Triangles of (all), 5 channels and (other), for logo, revenue and gross revenue retention.
        let summaries = md.split(separator: "\n").filter {
            $0.hasPrefix("<summary>") && !$0.contains(" — ") && !$0.contains("(") || $0 == "<summary>(other)</summary>"
        }
        .map { String($0.dropFirst(9).dropLast(10)) }
        XCTAssertEqual(
            summaries, Array(repeating: ["big0", "big1", "big2", "big3", "big4", "(other)"], count: 3).flatMap { $0 })
        XCTAssertTrue(md.contains("<summary>(other) — n = "), "the pooled survival curve")
        // Segments: the 5 channels with the most customers, and a note for the rest.
        XCTAssertTrue(md.contains("205 more are in segments.jsonl"))
    }

    /// Signup months 2024-01..03 with `report.max_months` 2: the pages show 2024-02 and 2024-03
    /// and say where 2024-01 is; the exports and summary.json are those of the whole history.
    func testThePagesShowTheLatestSignupMonthsWhileTheExportsKeepThemAll() throws {
        let channels = (0..<30).map { "ch\($0 % 2)" }
        var runs: [Int: (md: String, retention: String, csv: String, summary: String)] = [:]
        for limit in [2, 36] {
            let dir = try project(channels: channels, extraConfig: "\"report\": {\"max_months\": \(limit)}")
            try StageProcess.runAll(config: dir.appendingPathComponent("pipeline.json").path, extra: ["--quiet"])
            let html = try Output.text(dir.appendingPathComponent("reports/report.html"))
            let retention = html.components(separatedBy: "<section id=\"retention\"")[1]
                .components(separatedBy: "<section id=\"survival\"")[0]
            // The configuration's digest and the folder in warnings differ; every value is the same.
            let summary = try Output.text(dir.appendingPathComponent("reports/summary.json"))
                .replacingOccurrences(of: dir.path, with: "")
                .split(separator: "\n").filter { !$0.contains("config_sha256") }.joined(separator: "\n")
            runs[limit] = (
                try Output.text(dir.appendingPathComponent("reports/report.md")), retention,
                try Output.text(dir.appendingPathComponent("reports/triangles.csv")), summary
            )
        }
        let (limited, whole) = (runs[2]!, runs[36]!)
        let said =
            "The 2 latest first subscription months are shown, from 2024-02; the one before it is in triangles.csv"
        XCTAssertTrue(limited.md.contains(said))
        XCTAssertTrue(limited.retention.contains(said))
        XCTAssertFalse(whole.md.contains("latest first subscription months are shown"))
        // Triangle rows hold percentages (the movements table's rows of 2024-01 hold amounts).
        func triangleRows(_ md: String, _ cohort: String) -> Int {
            md.split(separator: "\n").filter { $0.hasPrefix("| \(cohort) |") && $0.contains("%") }.count
        }
        XCTAssertEqual(triangleRows(limited.md, "2024-01"), 0, "no 2024-01 triangle row on the page")
        XCTAssertEqual(triangleRows(whole.md, "2024-01"), triangleRows(whole.md, "2024-03"))
        XCTAssertEqual(triangleRows(limited.md, "2024-03"), triangleRows(whole.md, "2024-03"))
        XCTAssertGreaterThan(triangleRows(limited.md, "2024-03"), 0)
        XCTAssertFalse(limited.retention.contains(">2024-01<"), "no 2024-01 row in the heatmaps and tables")
        XCTAssertTrue(whole.retention.contains(">2024-01<"))
        XCTAssertTrue(limited.retention.contains(">2024-03<"))
        XCTAssertTrue(limited.csv.contains(",2024-01,"), "triangles.csv keeps every signup month")
        XCTAssertEqual(limited.csv, whole.csv)
        XCTAssertEqual(limited.summary, whole.summary)
    }

    func testLabelsEqualToBucketNamesStayDistinctAndTextIsSafe() throws {
        let rtl = "\u{202E}lanoitan"
        let persian = "\u{645}\u{6CC}\u{200C}\u{62E}"
        let labels = [
            "(other)", "(unknown)", "", "\\(all)", rtl, "z\u{200B}w", "zw", "n\u{0}ul", "nul", "web", persian,
        ]
        var channels: [String] = []
        for l in labels { channels += Array(repeating: l, count: 3) }
        let dir = try project(
            channels: channels, leads: ["aaa_leads"],
            extraConfig: """
                "ingest": {"max_reject_ratio": 0.5},
                "attribution": {"dimensions": ["acquisition_channel", "plan"], "min_segment_customers": 1}
                """)
        try StageProcess.runAll(config: dir.appendingPathComponent("pipeline.json").path, extra: ["--quiet"])

        let customers = try Output.lines(dir.appendingPathComponent("work/normalize/customers.jsonl"))
        let byChannel = Dictionary(grouping: customers, by: { $0["channel"] as? String ?? "?" }).mapValues(\.count)
        XCTAssertEqual(byChannel["\\(other)"], 3, "a literal (other) is escaped, not the pooled bucket")
        XCTAssertEqual(byChannel["\\(unknown)"], 3, "a literal (unknown) does not merge with empty channels")
        // The empty channels, and the customers whose NUL or zero-width-space channel made their
        // row a reject (their subscriptions are kept, as orphans with unknown attributes).
        XCTAssertEqual(byChannel["(unknown)"], 9, "only the empty channels and the rejected rows are (unknown)")
        XCTAssertEqual(byChannel["\\\\(all)"], 3, "an escaped-looking label gets one more backslash")
        XCTAssertNil(byChannel["(other)"])
        // Every paying channel is a log-rank group (nothing pooled); the leads' channel is not.
        let paying = Set(customers.filter { $0["converted"] as? Bool == true }.compactMap { $0["channel"] as? String })
        XCTAssertGreaterThanOrEqual(
            paying.count, labels.count - 2, "NUL and zero-width-space labels are rejected at ingest, nothing else")
        let rejects = try Output.lines(dir.appendingPathComponent("work/ingest/rejects.jsonl"))
        XCTAssertEqual(
            rejects.filter { ($0["reason"] as? String ?? "").contains("U+200B ZERO WIDTH SPACE") }.count, 3)
        let logrank = try Output.object(dir.appendingPathComponent("work/cohort/logrank.json"))
        XCTAssertEqual(logrank["df"] as? Int, paying.count - 1)
        XCTAssertEqual(Set(logrank["groups"] as? [String] ?? []), paying)
        let segments = try Output.lines(dir.appendingPathComponent("work/churn-attribution/segments.jsonl"))
        let planValues = Set(
            segments.filter { $0["dimension"] as? String == "plan" }.compactMap { $0["value"] as? String })
        XCTAssertTrue(
            planValues.isSuperset(of: ["\\(other)", "\\(unknown)"]), "plans are escaped the same way: \(planValues)")

        let md = try Output.text(dir.appendingPathComponent("reports/report.md"))
        let html = try Output.text(dir.appendingPathComponent("reports/report.html"))
        // Bidirectional controls never reach the report raw: shown as an escape, isolated.
        for text in [md, html] {
            XCTAssertFalse(text.unicodeScalars.contains("\u{202E}"), "U+202E is shown, not applied")
            XCTAssertFalse(text.unicodeScalars.contains("\u{200B}"), "an invisible character is shown")
        }
        XCTAssertTrue(html.contains("<bdi>\\u202Elanoitan</bdi>"), "the label is isolated in HTML")
        XCTAssertTrue(md.contains("\u{2068}\\\\u202Elanoitan\u{2069}"), "the label is escaped and isolated in Markdown")
        // A joiner a label may hold (between Persian letters) is shown escaped, so two labels that
        // differ only by it look different.
        for text in [md, html] {
            XCTAssertFalse(text.unicodeScalars.contains("\u{200C}"), "an invisible character is shown")
            XCTAssertTrue(text.contains("\u{645}\u{6CC}\\u200C\u{62E}"), "the joiner is escaped")
        }

        // No output holds a NUL byte (a NUL in a label is escaped, or the row is rejected).
        let files = try FileManager.default.subpathsOfDirectory(atPath: dir.path)
            .filter { $0.hasSuffix(".jsonl") || $0.hasSuffix(".json") || $0.hasSuffix(".md") || $0.hasSuffix(".html") }
        XCTAssertGreaterThan(files.count, 20)
        for f in files {
            let bytes = try Data(contentsOf: dir.appendingPathComponent(f))
            XCTAssertFalse(bytes.contains(0), "\(f) holds a NUL byte")
        }
        if md.contains("n\\\\u0000ul") {
            XCTAssertTrue(html.contains("n\\u0000ul"), "a NUL in a label is shown as \\u0000")
        }
    }
}
