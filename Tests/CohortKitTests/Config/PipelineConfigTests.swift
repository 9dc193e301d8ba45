import XCTest

@testable import CohortKit

final class PipelineConfigTests: XCTestCase {
    let minimal =
        #"{"as_of": "2024-12-31", "sources": {"customers": {"path": "c.csv"}, "subscriptions": {"path": "s.csv"}}}"#

    func config(_ text: String, file: String = "/tmp/x/pipeline.json") throws -> PipelineConfig {
        try PipelineConfig(value: JSONParser.parse(text), file: file)
    }

    func testDefaults() throws {
        let c = try config(minimal)
        XCTAssertEqual(c.asOf.description, "2024-12-31")
        XCTAssertEqual(c.workDir, "/tmp/x/data/work")
        XCTAssertEqual(c.sources[.customers]?.path, "/tmp/x/c.csv")
        XCTAssertEqual(c.graceDays, 0)
        XCTAssertEqual(c.maxOffsetMonths, 24)
        XCTAssertEqual(c.confidence, 0.95)
        XCTAssertEqual(c.maxRejectRatio, 0.01)
        XCTAssertEqual(c.cohortBasis, "first_subscription")
        XCTAssertEqual(c.earlyChurnDays, 90)
        XCTAssertEqual(c.locale, "en")
        XCTAssertNil(c.sources[.events])
    }

    func testNewKeysForManyLabels() throws {
        let c = try config(minimal)
        XCTAssertEqual(c.maxChannels, 12)
        XCTAssertEqual(c.maxComparedValues, 20)
        let set = try config(
            #"{"as_of": "2024-12-31", "sources": {"customers": {"path": "c.csv"}, "subscriptions": {"path": "s.csv"}}, "report": {"max_channels": 5}, "attribution": {"max_compared_values": 3}}"#
        )
        XCTAssertEqual(set.maxChannels, 5)
        XCTAssertEqual(set.maxComparedValues, 3)
        XCTAssertThrowsError(
            try config(
                #"{"as_of": "2024-12-31", "sources": {"customers": {"path": "c.csv"}, "subscriptions": {"path": "s.csv"}}, "report": {"max_channels": 0}}"#
            )
        ) { e in
            XCTAssertEqual((e as? ConfigError)?.keyPath, "report.max_channels")
        }
        // cohort's slice holds the one report key it reads, so a new title does not rerun cohort.
        XCTAssertEqual(
            set.section(["cohort", "report.max_channels"])["report"], .object([("max_channels", .number("5"))]))
        XCTAssertNotNil(set.section(["cohort", "report.max_channels"])["cohort"])
    }

    /// Every three-letter code (17,576) as a rate and a minor unit, and 50,000 reason categories:
    /// every key was once looked up by a scan of its object (seconds at 40,000 keys). Checked by
    /// result, not time.
    func testTensOfThousandsOfKeysAreReadInLinearTime() throws {
        let n = 50_000
        let letters = (UInt8(ascii: "A")...UInt8(ascii: "Z")).map { String(UnicodeScalar($0)) }
        let codes = letters.flatMap { a in letters.flatMap { b in letters.map { a + b + $0 } } }.filter { $0 != "JPY" }
        let rates = codes.map { "\"\($0)\": 1.5" }.joined(separator: ",")
        let minor = codes.map { "\"\($0)\": 2" }.joined(separator: ",")
        let reasons = (0..<n).map { "\"r\($0)\": \"price\"" }.joined(separator: ",")
        let text =
            #"{"as_of": "2024-12-31", "sources": {"customers": {"path": "c.csv"}, "subscriptions": {"path": "s.csv"}}, "#
            + #""currency": {"report": "JPY", "rates": {"# + rates + #"}, "minor_units": {"JPY": 0, "# + minor
            + #"}}, "#
            + #""attribution": {"reason_categories": {"# + reasons + "}}}"
        let c = try config(text)
        XCTAssertEqual(c.currency.rates.count, 26 * 26 * 26 - 1)
        XCTAssertEqual(c.currency.minorUnits.count, 26 * 26 * 26)
        XCTAssertEqual(c.reasonCategories.count, n)
    }

    func testUnknownKeyIsAnErrorNamingKeyAndSuggestion() {
        let text =
            #"{"as_of": "2024-12-31", "sources": {"customers": {"path": "c.csv"}, "subscriptions": {"path": "s.csv"}}, "cohort": {"max_offset_month": 3}}"#
        XCTAssertThrowsError(try config(text)) { e in
            guard let e = e as? ConfigError else { return XCTFail("\(e)") }
            XCTAssertEqual(e.keyPath, "cohort.max_offset_month")
            XCTAssertTrue(e.description.contains("max_offset_months"), e.description)
            XCTAssertEqual(e.exitCode, 2)
        }
    }

    func testWrongTypesAndValues() {
        for bad in [
            #"{"as_of": "2024-13-01", "sources": {"customers": {"path": "c"}, "subscriptions": {"path": "s"}}}"#,
            #"{"as_of": "2024-12-31", "sources": {"customers": {"path": "c"}}}"#,
            #"{"as_of": "2024-12-31", "sources": {"customers": {"path": "c"}, "subscriptions": {"path": "s", "delimiter": "x"}}}"#,
            #"{"as_of": "2024-12-31", "sources": {"customers": {"path": "c"}, "subscriptions": {"path": "s"}}, "normalize": {"grace_days": "7"}}"#,
            #"{"as_of": "2024-12-31", "sources": {"customers": {"path": "c"}, "subscriptions": {"path": "s"}}, "cohort": {"confidence": 1.5}}"#,
            #"{"as_of": "2024-12-31", "sources": {"customers": {"path": "c"}, "subscriptions": {"path": "s"}}, "currency": {"rates": {"USD": "150"}}}"#,
            #"{"as_of": "2024-12-31", "sources": {"customers": {"path": "c"}, "subscriptions": {"path": "s"}}, "report": {"locale": "fr"}}"#,
            #"{"as_of": "2024-12-31", "sources": {"customers": {"path": "c"}, "subscriptions": {"path": "s"}}, "report": {"checks": [{"metric": "nrr"}]}}"#,
        ] {
            XCTAssertThrowsError(try config(bad), bad) { XCTAssertTrue($0 is ConfigError, "\($0)") }
        }
    }

    func testAsOfOverrideAndSections() throws {
        let c = try PipelineConfig(value: JSONParser.parse(minimal), file: "pipeline.json", asOfOverride: "2023-06-30")
        XCTAssertEqual(c.asOf.description, "2023-06-30")
        XCTAssertEqual(c.section(["cohort"])["cohort"]?["max_offset_months"], .number("24"))
        XCTAssertEqual(c.digest.count, 64)
    }

    func testMissingAndMalformedFiles() {
        XCTAssertThrowsError(try PipelineConfig.load(path: "/nonexistent/pipeline.json")) {
            XCTAssertTrue($0 is ConfigError)
        }
        let path = NSTemporaryDirectory() + "bad-\(UUID().uuidString).json"
        try? AtomicFileWriter.write("{ \"as_of\": ", to: path)
        XCTAssertThrowsError(try PipelineConfig.load(path: path)) { e in
            XCTAssertTrue(e is ConfigError)
            XCTAssertTrue("\(e)".contains("not valid JSON"))
        }
    }
}

extension PipelineConfigTests {
    /// `attribution.adoption.months` defaults to 2 and takes 1 to 3; anything else names the key.
    func testAdoptionMonths() throws {
        XCTAssertEqual(try config(minimal).adoptionMonths, 2)
        func with(_ months: String) -> String {
            #"{"as_of": "2024-12-31", "sources": {"customers": {"path": "c"}, "subscriptions": {"path": "s"}}, "attribution": {"adoption": {"months": "#
                + months + "}}}"
        }
        XCTAssertEqual(try config(with("3")).adoptionMonths, 3)
        for bad in ["0", "4", "\"2\""] {
            XCTAssertThrowsError(try config(with(bad)), bad) { error in
                XCTAssertTrue((error as? ConfigError)?.keyPath == "attribution.adoption.months", "\(error)")
            }
        }
    }
}
