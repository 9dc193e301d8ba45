import XCTest

@testable import CohortKit

/// An empty section fed by an optional input says why, in the report's language.
final class ReportAbsentInputTests: XCTestCase {
    static let cases: [(AbsentInput, en: String, ja: String)] = [
        (
            .sourceNotConfigured("cancellations"),
            "No data: no cancellations source is configured (sources.cancellations).",
            "データがありません。解約（cancellations）のソースが設定されていません（sources.cancellations）。"
        ),
        (
            .sourceNotFound("events"),
            "No data: the optional events file was not found (see the warnings under Data quality).",
            "データがありません。任意のソースイベント（events）のファイルが見つかりませんでした（データ品質の警告を参照）。"
        ),
        (
            .sourceEmpty("cancellations", read: 0), "No data: the cancellations file has no rows.",
            "データがありません。解約（cancellations）のファイルに行がありません。"
        ),
        (
            .sourceEmpty("cancellations", read: 1),
            "No data: the one row read from cancellations was not accepted (see Data quality).",
            "データがありません。解約（cancellations）から読み込んだ 1 行はどれも採用されませんでした（データ品質を参照）。"
        ),
        (
            .sourceEmpty("events", read: 1_200),
            "No data: none of the 1,200 rows read from events was accepted (see Data quality).",
            "データがありません。イベント（events）から読み込んだ 1,200 行はどれも採用されませんでした（データ品質を参照）。"
        ),
        (
            .sourceAfterAsOf("cancellations", accepted: 1, asOf: "2024-12-31"),
            "No data: the one row accepted from cancellations is dated after as_of (2024-12-31).",
            "データがありません。解約（cancellations）から採用した 1 行はどれも基準日（2024年12月31日）より後の日付です。"
        ),
        (
            .sourceAfterAsOf("cancellations", accepted: 3_000, asOf: "2024-12-31"),
            "No data: each of the 3,000 rows accepted from cancellations is dated after as_of (2024-12-31).",
            "データがありません。解約（cancellations）から採用した 3,000 行はどれも基準日（2024年12月31日）より後の日付です。"
        ),
        (
            .noActivationEvent, "No data: no activation event is configured (attribution.activation.event).",
            "データがありません。アクティベーションのイベントが設定されていません（attribution.activation.event）。"
        ),
        (
            .activationEventNotSeen("report_created"),
            "No data: no customer has a \"report_created\" event (attribution.activation.event) in the events.",
            "データがありません。イベント（events）に、顧客の「report_created」イベント（attribution.activation.event）がありません。"
        ),
    ]

    func testEveryReasonReadsInBothLocales() {
        for (why, en, ja) in Self.cases {
            XCTAssertEqual(
                Localizer(locale: .en).absentInputLine(
                    why, ReportFormatter(locale: .en, currency: "JPY", minorUnits: 0)),
                en)
            XCTAssertEqual(
                Localizer(locale: .ja).absentInputLine(
                    why, ReportFormatter(locale: .ja, currency: "JPY", minorUnits: 0)),
                ja)
        }
    }

    /// The exit reasons and activation sections say why they are empty in both formats; without a
    /// reason they say "No data." as before.
    func testEmptySectionsSayWhyInBothFormats() {
        for locale in ReportLocale.allCases {
            var model = SampleReportModel.make(locale: locale)
            model.reasons = ReasonsSection(absent: .sourceNotConfigured("cancellations"))
            model.activation = []
            model.activationAbsent = .noActivationEvent
            let t = model.localizer
            let reasons = t.absentInputLine(.sourceNotConfigured("cancellations"), model.formatter)
            let activation = t.absentInputLine(.noActivationEvent, model.formatter)
            let md = MarkdownReport.render(model)
            let html = HTMLReport.render(model)
            for (heading, line) in [(t(.reasons), reasons), (t(.activation), activation)] {
                XCTAssertTrue(md.contains("### \(heading)\n\n\(Escaping.markdown(line))\n"), "\(locale) \(heading)")
                XCTAssertTrue(
                    html.contains("<h3>\(heading)</h3>\n<p class=\"note\">\(line)</p>"), "\(locale) \(heading)")
            }
            model.reasons.absent = nil
            XCTAssertTrue(
                MarkdownReport.render(model).contains("### \(t(.reasons))\n\n\(Escaping.markdown(t(.noData)))\n"))
        }
    }
}
