import CohortKit
import Foundation
import XCTest

/// Runs the real stage binaries on every case of the hostile-input corpus
/// (`Fixtures/hostile-corpus/<case>/`, written by `scripts/fixtures/make_hostile_corpus.py`):
/// overflowing money, out-of-range configuration numbers, invisible characters in ids, dates
/// outside the plausible range, and the messages each must produce. Per case: every listed stage's
/// exit code and message, never a trap or a stack trace, each reject row (source, line, field,
/// reason, value), the row reconciliation, and what the outputs must or must not hold.
final class HostileCorpusTests: XCTestCase {
    static var corpus: URL {
        let beside = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Fixtures/hostile-corpus").standardized
        if FileManager.default.fileExists(atPath: beside.path) { return beside }
        return Bundle.module.resourceURL?.appendingPathComponent("Fixtures/hostile-corpus") ?? beside
    }

    static func caseNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: corpus.path).filter { !$0.hasPrefix("_") }.sorted()
    }

    func testCorpusHasTheCasesItMustCover() throws {
        let names = try Self.caseNames()
        XCTAssertGreaterThanOrEqual(names.count, 40)
        for required in [
            "mrr_far_above_limit_usd", "two_rows_of_5e18_jpy", "sum_over_customers_overflows", "rate_1e50",
            "rate_1e400",
            "nul_in_customer_id_mid_file", "bom_in_customer_id_mid_file", "bidi_override_in_customer_id",
            "timestamp_0001_plus_0500", "timestamp_9999_minus_0500", "as_of_9999", "semicolon_file_read_as_comma",
        ] {
            XCTAssertTrue(names.contains(required), "corpus lacks \(required)")
        }
    }

    func testEveryCase() throws {
        for name in try Self.caseNames() { try check(name) }
    }

    // MARK: one case

    private func check(_ name: String) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(name)-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Self.corpus.appendingPathComponent(name), to: dir)
        defer { try? FileManager.default.removeItem(at: dir) }
        let expect = try Output.object(dir.appendingPathComponent("expect.json"))
        try generate(expect["generate"] as? [[String: Any]] ?? [], in: dir)

        // pipeline.json: the case's config.json merged over the corpus's base, numbers kept as written.
        let base = try JSONParser.parse(Array(Data(contentsOf: Self.corpus.appendingPathComponent("_base.json"))))
        let overlay = try JSONParser.parse(Array(Data(contentsOf: dir.appendingPathComponent("config.json"))))
        let config = dir.appendingPathComponent("pipeline.json")
        try Data(Self.merge(base, overlay).serialized(pretty: true).utf8).write(to: config)

        for step in expect["stages"] as? [[String: Any]] ?? [] {
            let stage = step["stage"] as? String ?? "?"
            let r = try StageProcess.run(
                stage, ["--config", config.path, "--quiet"] + (step["args"] as? [String] ?? []))
            let context = "case \(name), \(stage): exit \(r.exitCode), stderr: \(r.stderr)"
            XCTAssertFalse(r.signaled, "killed by a signal: \(context)")
            for bad in ["Fatal error", "Stack dump", "Current stack trace", "Illegal instruction"] {
                XCTAssertFalse(r.stderr.contains(bad), "crash report: \(context)")
            }
            XCTAssertFalse(r.stderr.contains("\(stage): error: \(stage):"), "doubled prefix: \(context)")
            if let allowed = step["exit_in"] as? [Int] {
                XCTAssertTrue(allowed.contains(Int(r.exitCode)), context)
            } else {
                XCTAssertEqual(Int(r.exitCode), step["exit"] as? Int ?? 0, context)
            }
            if r.exitCode != 0 { XCTAssertFalse(r.stderr.isEmpty, "a failing run must say why: \(context)") }
            for needle in step["stderr"] as? [String] ?? [] {
                XCTAssertTrue(r.stderr.contains(needle), "message lacks \"\(needle)\": \(context)")
            }
            for needle in step["stderr_absent"] as? [String] ?? [] {
                XCTAssertFalse(r.stderr.contains(needle), "message holds \"\(needle)\": \(context)")
            }
            for (needle, count) in step["stderr_count"] as? [String: Int] ?? [:] {
                XCTAssertEqual(
                    r.stderr.components(separatedBy: needle).count - 1, count, "\"\(needle)\" count: \(context)")
            }
            if stage == "ingest", r.exitCode == 0 {
                try checkIngest(name, expect, work: dir.appendingPathComponent("work"))
            }
        }
        let work = dir.appendingPathComponent("work")
        for (file, needles) in expect["output_contains"] as? [String: [String]] ?? [:] {
            let text = (try? Output.text(work.appendingPathComponent(file))) ?? ""
            for n in needles { XCTAssertTrue(text.contains(n), "case \(name): \(file) lacks \(n):\n\(text)") }
        }
        for (file, needles) in expect["output_lacks"] as? [String: [String]] ?? [:] {
            let text = (try? Output.text(work.appendingPathComponent(file))) ?? ""
            for n in needles { XCTAssertFalse(text.contains(n), "case \(name): \(file) holds \(n):\n\(text)") }
        }
    }

    /// Rejects (each with a named field and every key), absent phrases, and the reconciliation.
    private func checkIngest(_ name: String, _ expect: [String: Any], work: URL) throws {
        let ingest = work.appendingPathComponent("ingest")
        let rejects = try Output.lines(ingest.appendingPathComponent("rejects.jsonl"))
        for r in rejects {
            for k in ["source", "line", "field", "value", "reason", "raw"] {
                XCTAssertNotNil(r[k], "case \(name): reject lacks \(k): \(r)")
            }
            XCTAssertFalse((r["field"] as? String ?? "").isEmpty, "case \(name): reject names no field: \(r)")
        }
        if let expected = expect["rejects"] as? [[String: Any]] {
            XCTAssertEqual(rejects.count, expected.count, "case \(name): rejects \(rejects)")
            for e in expected {
                let hit = rejects.first { r in
                    r["source"] as? String == e["source"] as? String && r["line"] as? Int == e["line"] as? Int
                        && r["field"] as? String == e["field"] as? String
                        && (r["reason"] as? String ?? "").contains(e["reason"] as? String ?? "")
                        && (e["value"].map { (r["value"] as? String ?? "").contains($0 as? String ?? "") } ?? true)
                }
                XCTAssertNotNil(hit, "case \(name): no reject like \(e) among \(rejects)")
            }
        }
        for phrase in expect["rejects_absent"] as? [String] ?? [] {
            for r in rejects {
                XCTAssertFalse(
                    (r["reason"] as? String ?? "").contains(phrase), "case \(name): reject says \(phrase): \(r)")
            }
        }
        let manifest = try Output.object(ingest.appendingPathComponent("ingest.manifest.json"))
        let rows = manifest["reconciliation"] as? [[String: Any]] ?? []
        for row in rows {
            let accounted =
                (row["written"] as? Int ?? 0) + (row["rejected"] as? Int ?? 0) + (row["duplicates"] as? Int ?? 0)
            XCTAssertEqual(row["read"] as? Int, accounted, "case \(name): \(row) does not reconcile")
        }
        for (src, want) in expect["reconciliation"] as? [String: [String: Int]] ?? [:] {
            let row = rows.first { $0["source"] as? String == src } ?? [:]
            for (k, v) in want { XCTAssertEqual(row[k] as? Int, v, "case \(name): \(src).\(k) in \(row)") }
        }
    }

    /// Writes the large inputs a case describes instead of holding (`{n}`: the row number, five digits).
    private func generate(_ specs: [[String: Any]], in dir: URL) throws {
        for spec in specs {
            guard let file = spec["file"] as? String, let row = spec["row"] as? String,
                let count = spec["count"] as? Int
            else { continue }
            var text = spec["header"] as? String ?? ""
            for n in 1...max(1, count) { text += row.replacingOccurrences(of: "{n}", with: String(format: "%05d", n)) }
            try Data(text.utf8).write(to: dir.appendingPathComponent(file))
        }
    }

    /// `overlay` merged into `base` object by object; any other value replaces.
    static func merge(_ base: JSONValue, _ overlay: JSONValue) -> JSONValue {
        guard case .object(var pairs) = base, case .object(let over) = overlay else { return overlay }
        for (k, v) in over {
            if let i = pairs.firstIndex(where: { $0.0 == k }) {
                pairs[i].1 = merge(pairs[i].1, v)
            } else {
                pairs.append((k, v))
            }
        }
        return .object(pairs)
    }
}
