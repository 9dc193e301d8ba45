import Foundation
import XCTest

/// Runs the real `ingest` binary on every case of the malformed-input corpus
/// (`Fixtures/ingest-corpus/<case>/`, written by `scripts/fixtures/make_ingest_corpus.py`) and
/// checks what docs/metrics.md#inputs-and-validation and docs/configuration.md require of it: the exit code, each reject row (source, line, field and
/// reason), the row reconciliation in the manifest, values that must reach the outputs intact, and
/// a message instead of a crash. Adding a case needs no code: a folder with its inputs and
/// `expect.json`, plus `sources.json` for source settings.
final class IngestCorpusTests: XCTestCase {
    static var corpus: URL {
        let beside = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Fixtures/ingest-corpus").standardized
        if FileManager.default.fileExists(atPath: beside.path) { return beside }
        return Bundle.module.resourceURL?.appendingPathComponent("Fixtures/ingest-corpus") ?? beside
    }

    func testCorpusHasTheCasesTheSpecAsksFor() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path)
        XCTAssertGreaterThanOrEqual(names.count, 40)
        for required in [
            "truncated_quoted_field_at_eof", "stray_quote_in_unquoted_field", "too_many_fields", "invalid_utf8",
            "shift_jis_read_as_utf8", "unknown_currency", "end_before_start", "impossible_date_feb_30",
            "negative_amount", "empty_file", "header_only", "duplicate_header_names",
        ] {
            XCTAssertTrue(names.contains(required), "corpus lacks \(required)")
        }
    }

    func testCorpusHasTheJSONLinesCases() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path)
        for required in [
            "jsonl_unbalanced_brackets", "jsonl_lone_minus", "jsonl_leading_zero", "jsonl_bare_number_line",
            "jsonl_event_is_true", "jsonl_event_is_an_object", "jsonl_invalid_utf8", "jsonl_duplicate_key",
            "jsonl_lone_high_surrogate", "jsonl_malformed_first_line", "jsonl_empty_events_file",
            "jsonl_customers_keep_attributes",
        ] {
            XCTAssertTrue(names.contains(required), "corpus lacks \(required)")
        }
    }

    func testEveryCase() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).sorted()
        for name in names {
            try check(name)
        }
    }

    private func check(_ name: String) throws {
        let source = Self.corpus.appendingPathComponent(name)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("corpus-\(name)-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: source, to: dir)
        defer { try? FileManager.default.removeItem(at: dir) }
        let expect = try Output.object(dir.appendingPathComponent("expect.json"))
        let overrides = (try? Output.object(dir.appendingPathComponent("sources.json"))) ?? [:]

        // pipeline.json: every input file present becomes a source (a `.jsonl` file over the `.csv`
        // of the same kind); sources.json adds settings.
        var sources: [String: Any] = [:]
        for (kind, file, format) in [
            ("customers", "customers.csv", "csv"), ("subscriptions", "subscriptions.csv", "csv"),
            ("cancellations", "cancellations.csv", "csv"), ("events", "events.jsonl", "jsonl"),
            ("customers", "customers.jsonl", "jsonl"), ("subscriptions", "subscriptions.jsonl", "jsonl"),
            ("cancellations", "cancellations.jsonl", "jsonl"),
        ]
        where FileManager.default.fileExists(atPath: dir.appendingPathComponent(file).path) {
            var entry: [String: Any] = ["path": file, "format": format]
            for (k, v) in overrides[kind] as? [String: Any] ?? [:] { entry[k] = v }
            sources[kind] = entry
        }
        var ingest: [String: Any] = ["max_reject_ratio": 1.0]
        for (k, v) in overrides["_ingest"] as? [String: Any] ?? [:] { ingest[k] = v }
        let config: [String: Any] = [
            "version": 1, "as_of": "2024-12-31", "work_dir": "work", "reports_dir": "reports",
            "currency": ["report": "JPY", "rates": ["USD": 150], "minor_units": ["JPY": 0, "USD": 2]],
            "sources": sources, "ingest": ingest,
        ]
        try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys]).write(
            to: dir.appendingPathComponent("pipeline.json"))

        let r = try StageProcess.run(
            "ingest", ["--config", dir.appendingPathComponent("pipeline.json").path, "--quiet"])
        let context = "case \(name): exit \(r.exitCode), stderr: \(r.stderr)"
        XCTAssertFalse(r.signaled, context)
        for bad in ["Fatal error", "Stack dump", "Current stack trace"] {
            XCTAssertFalse(r.stderr.contains(bad), context)
        }
        if let allowed = expect["exit_in"] as? [Int] {
            XCTAssertTrue(allowed.contains(Int(r.exitCode)), context)
        } else {
            XCTAssertEqual(Int(r.exitCode), expect["exit"] as? Int ?? 0, context)
        }
        for needle in expect["stderr_contains"] as? [String] ?? [] {
            XCTAssertTrue(r.stderr.contains(needle), "\(context)\n  expected the message to mention \(needle)")
        }
        if r.exitCode != 0 {
            XCTAssertFalse(r.stderr.isEmpty, "case \(name): a failing run must say why")
            if expect["no_outputs"] as? Bool == true {
                for f in ["customers", "subscriptions", "rejects"] {
                    XCTAssertFalse(
                        FileManager.default.fileExists(
                            atPath: dir.appendingPathComponent("work/ingest/\(f).jsonl").path),
                        "case \(name): \(f).jsonl written despite the failure")
                }
            }
            return
        }

        let ingestDir = dir.appendingPathComponent("work/ingest")
        if let expected = expect["rejects"] as? [[String: Any]] {
            let rejects = try Output.lines(ingestDir.appendingPathComponent("rejects.jsonl"))
            XCTAssertEqual(rejects.count, expected.count, "case \(name): rejects \(rejects)")
            for e in expected {
                let hit = rejects.first { r in
                    r["source"] as? String == e["source"] as? String && r["line"] as? Int == e["line"] as? Int
                        && (r["field"] as? String ?? "") == e["field"] as? String
                        && (r["reason"] as? String ?? "").lowercased().contains(
                            (e["reason"] as? String ?? "").lowercased())
                        // The offending value, as written, when the case names it.
                        && (e["value"] == nil || r["value"] as? String == e["value"] as? String)
                }
                XCTAssertNotNil(hit, "case \(name): no reject like \(e) among \(rejects)")
                if let hit {
                    for k in ["source", "line", "field", "value", "reason", "raw"] {
                        XCTAssertNotNil(hit[k], "case \(name): reject lacks \(k)")
                    }
                }
            }
        }
        let manifest = try Output.object(ingestDir.appendingPathComponent("ingest.manifest.json"))
        let rows = manifest["reconciliation"] as? [[String: Any]] ?? []
        for row in rows {
            let read = row["read"] as? Int ?? -1
            let accounted =
                (row["written"] as? Int ?? 0) + (row["rejected"] as? Int ?? 0) + (row["duplicates"] as? Int ?? 0)
            XCTAssertEqual(read, accounted, "case \(name): \(row) does not reconcile")
        }
        for (src, want) in expect["reconciliation"] as? [String: [String: Int]] ?? [:] {
            let row = rows.first { $0["source"] as? String == src } ?? [:]
            for (k, v) in want { XCTAssertEqual(row[k] as? Int, v, "case \(name): \(src).\(k) in \(row)") }
        }
        for (src, needles) in expect["output_contains"] as? [String: [String]] ?? [:] {
            let text = (try? Output.text(ingestDir.appendingPathComponent("\(src).jsonl"))) ?? ""
            for n in needles { XCTAssertTrue(text.contains(n), "case \(name): \(src).jsonl lacks \(n):\n\(text)") }
        }
        // A null field is omitted from ingest's outputs, not written as null.
        for (src, needles) in expect["output_lacks"] as? [String: [String]] ?? [:] {
            let text = (try? Output.text(ingestDir.appendingPathComponent("\(src).jsonl"))) ?? ""
            for n in needles { XCTAssertFalse(text.contains(n), "case \(name): \(src).jsonl has \(n):\n\(text)") }
        }
    }
}
