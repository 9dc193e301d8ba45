import XCTest

@testable import CohortKit

/// A number the configuration refuses is shown as the file writes it: `1e400` rather than `inf`
/// (what it reads as), `150` rather than `150.0`.
final class PipelineConfigNumberTests: XCTestCase {
    static let minimal =
        #"{"as_of": "2024-12-31", "sources": {"customers": {"path": "c.csv"}, "subscriptions": {"path": "s.csv"}}}"#

    /// Every numeric key of the file, as a dotted path.
    static let numericKeys = [
        "version", "threads", "currency.rates.USD", "currency.minor_units.JPY", "ingest.max_reject_ratio",
        "normalize.grace_days", "cohort.max_offset_months", "cohort.confidence", "cohort.backtest_months",
        "cohort.drift_confidence", "attribution.early_churn_days", "attribution.min_segment_customers",
        "attribution.max_compared_values", "attribution.touch_tiers.high_arr_minor",
        "attribution.touch_tiers.low_arr_minor", "attribution.activation.days", "attribution.adoption.months",
        "report.drift_kpi_points", "report.max_channels", "report.max_months",
    ]

    func config(_ value: JSONValue) throws -> PipelineConfig {
        try PipelineConfig(value: value, file: "/tmp/x/pipeline.json")
    }

    func testOutOfRangeNumbersAreShownAsWritten() throws {
        let base = try JSONParser.parse(Self.minimal)
        for key in Self.numericKeys {
            for written in ["1e400", "-1e400", "1E400", "1e50", "-1e19", "99999999999999999999999", "1e-400000", "-7"] {
                let value = base.setting(key, to: .number(written))
                do {
                    _ = try config(value)
                    XCTFail("\(key) = \(written) was accepted")
                } catch let e as ConfigError {
                    let context = "\(key) = \(written): \(e)"
                    XCTAssertEqual(e.keyPath, key, context)
                    XCTAssertTrue(e.message.contains(written), context)
                    for shownAsRead in ["inf", "e+", ".0 is", "0.0 to"] {
                        XCTAssertFalse(e.description.contains(shownAsRead), context)
                    }
                }
            }
        }
    }

    /// Whole messages, as a reader sees them.
    func testMessagesInFull() throws {
        let base = try JSONParser.parse(Self.minimal)
        XCTAssertThrowsError(try config(base.setting("ingest.max_reject_ratio", to: .number("1e400")))) { e in
            XCTAssertEqual(
                "\(e)", "/tmp/x/pipeline.json: ingest.max_reject_ratio: 1e400 is out of range. Use a value from 0 to 1."
            )
        }
        XCTAssertThrowsError(try config(base.setting("cohort.confidence", to: .number("1e1")))) { e in
            XCTAssertEqual(
                "\(e)", "/tmp/x/pipeline.json: cohort.confidence: 1e1 is out of range. Use a value from 0.5 to 0.999.")
        }
        // A whole-number key given a number too large to be a whole number is out of range, not "not whole".
        XCTAssertThrowsError(try config(base.setting("report.max_channels", to: .number("2e16")))) { e in
            XCTAssertEqual(
                "\(e)", "/tmp/x/pipeline.json: report.max_channels: 2e16 is out of range. Use a value from 1 to 1000.")
        }
        XCTAssertThrowsError(try config(base.setting("report.max_channels", to: .number("2.5")))) { e in
            XCTAssertTrue("\(e)".contains("expected a whole number, found 2.5"), "\(e)")
        }
        // A number below the smallest double is not taken as the 0 it would read as.
        XCTAssertThrowsError(try config(base.setting("ingest.max_reject_ratio", to: .number("1e-400000")))) { e in
            XCTAssertEqual(
                "\(e)",
                "/tmp/x/pipeline.json: ingest.max_reject_ratio: 1e-400000 is too close to zero to be read (it would read as 0). Write 0 if zero is meant; otherwise use a value from 0 to 1."
            )
        }
        XCTAssertNoThrow(try config(base.setting("ingest.max_reject_ratio", to: .number("0.0e-400000"))))
        XCTAssertNoThrow(try config(base.setting("ingest.max_reject_ratio", to: .number("1e-300"))))
    }

    /// Checks' thresholds and the touch tiers' order name the numbers as written too.
    func testComparisonsShowTheNumbersAsWritten() throws {
        func with(_ json: String) throws -> PipelineConfig {
            try config(JSONParser.parse(String(Self.minimal.dropLast()) + ", " + json + "}"))
        }
        XCTAssertThrowsError(try with(#""report": {"checks": [{"metric": "logo_churn_monthly", "max": 90}]}"#)) {
            XCTAssertTrue("\($0)".contains("is a ratio between 0 and 1, not 90 (did you mean 0.9?)"), "\($0)")
        }
        XCTAssertThrowsError(try with(#""report": {"checks": [{"metric": "ltv_churn_minor", "min": 2E15}]}"#)) {
            XCTAssertTrue("\($0)".contains("2E15 is out of range (0 to 10^15)"), "\($0)")
        }
        XCTAssertThrowsError(try with(#""report": {"checks": [{"metric": "nrr_trailing_12m", "min": 1E-999}]}"#)) {
            XCTAssertTrue("\($0)".contains("report.checks[0].min: 1E-999 is too close to zero"), "\($0)")
        }
        XCTAssertThrowsError(try with(#""report": {"checks": [{"metric": "drift_alerts", "max": 1e18}]}"#)) {
            XCTAssertTrue("\($0)".contains("1e18 is not a whole number from 0"), "\($0)")
        }
        XCTAssertThrowsError(try with(#""report": {"checks": [{"metric": "nrr_trailing_12m", "min": 2, "max": 1.0}]}"#))
        {
            XCTAssertTrue("\($0)".contains("min 2 is above max 1.0"), "\($0)")
        }
        XCTAssertThrowsError(
            try with(#""attribution": {"touch_tiers": {"high_arr_minor": 5e6, "low_arr_minor": 6e6}}"#)
        ) {
            XCTAssertTrue("\($0)".contains("6e6 is above high_arr_minor 5e6"), "\($0)")
        }
        XCTAssertThrowsError(try with(#""attribution": {"touch_tiers": {"low_arr_minor": 6e6}}"#)) {
            XCTAssertTrue("\($0)".contains("6e6 is above high_arr_minor 5000000"), "\($0)")
        }
    }
}
