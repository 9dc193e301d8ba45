import Foundation
import XCTest

@testable import CohortKit

/// Seeded mutation fuzzing of the configuration parser: byte flips, insertions, deletions and
/// truncations of a valid pipeline.json, numbers swapped for huge, tiny, negative and NaN-like
/// values, values swapped for other types, and deep nesting. Whatever the damage, loading gives a
/// configuration or a `ConfigError`, never another error or a trap. The seed of a failing mutant is
/// in the failure message; the seed being tried is also written to `config-fuzz-seed.txt` in the
/// test's folder (`$TMPDIR/config-fuzz-*/`, left behind when a trap ends the test process), so a
/// crash can be replayed with `mutate(_:seed:)`.
final class ConfigFuzzTests: XCTestCase {
    static let valid = """
        {
          "version": 1,
          "as_of": "2024-12-31",
          "work_dir": "data/work",
          "reports_dir": "reports",
          "threads": 2,
          "currency": {"report": "JPY", "rates": {"USD": 150.0, "EUR": 160.25, "KRW": 0.11}, "minor_units": {"JPY": 0, "USD": 2, "KRW": 0}},
          "sources": {
            "customers": {"path": "raw/customers.csv", "format": "csv", "columns": {"customer_id": "id"}, "delimiter": ",", "encoding": "utf-8",
                          "date_format": "yyyy-MM-dd", "timezone": "Asia/Tokyo"},
            "subscriptions": {"path": "raw/subscriptions.csv", "currency": "USD", "date_format": "dd/MM/yyyy", "timezone": "+09:00"},
            "cancellations": {"path": "raw/cancellations.csv", "optional": true},
            "events": {"path": "raw/events.jsonl", "format": "jsonl"}
          },
          "ingest": {"max_reject_ratio": 0.05, "date_range": {"min": "1990-01-01", "max": "2100-12-31"}},
          "normalize": {"grace_days": 7, "cohort_basis": "signup_date"},
          "cohort": {"max_offset_months": 36, "confidence": 0.9},
          "attribution": {"dimensions": ["acquisition_channel", "plan"], "early_churn_days": 60, "min_segment_customers": 20,
                          "reason_categories": {"too_expensive": "price"}, "touch_tiers": {"high_arr_minor": 6000000, "low_arr_minor": 600000},
                          "activation": {"event": "report_created", "days": 14}},
          "report": {"title": "Retention", "locale": "ja", "formats": ["md", "html"],
                     "checks": [{"metric": "nrr_trailing_12m", "min": 0.9}, {"metric": "logo_churn_monthly", "max": 0.05}]}
        }
        """

    static let hostileNumbers = [
        "1e400", "-1e400", "1e50", "-0", "1e-400", "99999999999999999999999", "-9223372036854775809",
        "9223372036854775808", "1.5e-9223372036854775807", "1e9223372036854775807", "NaN", "Infinity",
        "0.0000000000000000000001", "123456789012345678901234567890123456789", "-1", "0", "1e19", "2.5",
    ]
    static let hostileValues = [
        "null", "true", "[]", "{}", "\"\"", "\"\\u0000\"", "\"\\ud800\"", "[1,2", "{\"a\":}", "\"9999-12-31\"",
        "\"0001-01-01\"",
    ]

    func testValidConfigLoads() throws {
        XCTAssertNoThrow(try load(Array(Self.valid.utf8), dir: try scratch()))
    }

    func testMutantsGiveAConfigOrAConfigError() throws {
        let dir = try scratch()
        let base = Array(Self.valid.utf8)
        var loaded = 0
        var refused = 0
        for seed in UInt64(1)...1500 {
            try Data("\(seed)\n".utf8).write(to: dir.appendingPathComponent("config-fuzz-seed.txt"))
            let bytes = Self.mutate(base, seed: seed)
            do {
                _ = try load(bytes, dir: dir)
                loaded += 1
            } catch is ConfigError {
                refused += 1
            } catch {
                XCTFail(
                    "seed \(seed): \(type(of: error)) instead of a ConfigError: \(error)\n\(String(decoding: bytes, as: UTF8.self))"
                )
            }
        }
        // Both outcomes occur, so the mutations neither always break nor never touch the file.
        XCTAssertGreaterThan(loaded, 20)
        XCTAssertGreaterThan(refused, 200)
    }

    /// A few mutants through a real stage binary: exit 0, 1 or 2 with a message, never a signal.
    func testMutantsThroughTheBinary() throws {
        let dir = try scratch()
        for seed in UInt64(5001)...5030 {
            try Data(Self.mutate(Array(Self.valid.utf8), seed: seed)).write(
                to: dir.appendingPathComponent("pipeline.json"))
            let r = try StageProcess.run(
                "ingest", ["--config", dir.appendingPathComponent("pipeline.json").path, "--quiet"])
            let context = "seed \(seed): exit \(r.exitCode)\n\(r.stderr)"
            XCTAssertFalse(r.signaled, context)
            XCTAssertTrue([0, 1, 2].contains(r.exitCode), context)
            for bad in ["Fatal error", "Stack dump"] { XCTAssertFalse(r.stderr.contains(bad), context) }
        }
    }

    // MARK: helpers

    private func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("config-fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    /// Loads the bytes as a pipeline.json, also resolving what a stage derives from it.
    private func load(_ bytes: [UInt8], dir: URL) throws -> PipelineConfig {
        let path = dir.appendingPathComponent("pipeline.json").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let c = try PipelineConfig.load(path: path)
        _ = c.digest
        _ = c.section(["currency", "sources", "ingest"]).serialized()
        return c
    }

    /// One to four mutations of `base`, chosen by `seed`.
    static func mutate(_ base: [UInt8], seed: UInt64) -> [UInt8] {
        var rng = SplitMix64(seed: seed &* 0x9E37_79B9)
        func below(_ n: Int) -> Int { Int(rng.next() % UInt64(max(n, 1))) }
        let interesting = Array("{}[]\",:\\0-e.9 \n".utf8) + [0x00, 0xFF, 0xC3]
        var bytes = base
        for _ in 0..<(1 + below(4)) {
            guard !bytes.isEmpty else { break }
            let at = below(bytes.count)
            switch below(8) {
            case 0:
                bytes[at] =
                    below(2) == 0 ? interesting[below(interesting.count)] : UInt8(truncatingIfNeeded: rng.next())
            case 1: bytes.insert(interesting[below(interesting.count)], at: at)
            case 2: bytes.remove(at: at)
            case 3: if below(4) == 0 { bytes = Array(bytes.prefix(at)) }
            case 4, 5:
                // A number literal swapped for a hostile one.
                let numbers = numberRanges(bytes)
                if let r = numbers.isEmpty ? nil : numbers[below(numbers.count)] {
                    bytes.replaceSubrange(r, with: Array(hostileNumbers[below(hostileNumbers.count)].utf8))
                }
            case 6:
                // A value (after a colon) swapped for another type or a broken one.
                let colons = bytes.indices.filter { bytes[$0] == 58 }
                if let c = colons.isEmpty ? nil : colons[below(colons.count)] {
                    bytes.insert(
                        contentsOf: Array((hostileValues[below(hostileValues.count)] + ", \"_x\":").utf8), at: c + 1)
                }
            default:
                // Deep nesting, as arrays or objects.
                let depth = [10, 300, 5_000, 100_000][below(4)]
                let open = below(2) == 0 ? "[" : "{\"a\":"
                let close = open == "[" ? "]" : "}"
                let colons = bytes.indices.filter { bytes[$0] == 58 }
                if let c = colons.isEmpty ? nil : colons[below(colons.count)] {
                    let nest =
                        String(repeating: open, count: depth) + "1" + String(repeating: close, count: depth) + ","
                    bytes.insert(contentsOf: Array(nest.utf8), at: c + 1)
                }
            }
        }
        return bytes
    }

    /// Ranges of the number literals in a JSON text (digits, sign, point, exponent).
    static func numberRanges(_ b: [UInt8]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var i = 0
        var inString = false
        while i < b.count {
            let c = b[i]
            if inString {
                if c == 92 {
                    i += 2
                    continue
                }
                if c == 34 { inString = false }
                i += 1
                continue
            }
            if c == 34 {
                inString = true
                i += 1
                continue
            }
            if c == 45 || (c >= 48 && c <= 57) {
                let start = i
                while i < b.count,
                    (b[i] >= 48 && b[i] <= 57) || b[i] == 45 || b[i] == 43 || b[i] == 46 || b[i] == 101 || b[i] == 69
                { i += 1 }
                out.append(start..<i)
                continue
            }
            i += 1
        }
        return out
    }
}
