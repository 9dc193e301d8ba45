import XCTest

@testable import CohortKit

/// Why the Cox model did not converge, in the report's language: English shows the fit's message,
/// Japanese words the notes cox_model.json records beside it.
final class ReportCoxTextTests: XCTestCase {
    private let format = ReportFormatter(locale: .ja, currency: "JPY", minorUnits: 0)

    private func model(_ notes: [CoxNote]) -> CoxModelInfo {
        CoxModelInfo(
            n: 4, events: 0, concordance: nil, converged: false,
            message: notes.map(\.english).joined(separator: "; "), notes: notes,
            dimensions: ["acquisition_channel", "plan"])
    }

    func testTheCommonNotesReadInJapanese() {
        let ja = Localizer(locale: .ja)
        XCTAssertEqual(
            ja.notConvergedLine(model([.iterationLimit(50)]), format), "モデルは収束しませんでした：50 回の反復で収束しませんでした。")
        XCTAssertEqual(
            ja.notConvergedLine(
                model([.diverging([CoxDivergingTerm(name: "acquisition_channel=ads", towardPlus: false)])]), format),
            "モデルは収束しませんでした：「獲得チャネル: ads」（-∞）の係数が発散し、収束しません。解約のない（または全員が解約した）水準はハザード比を推定できないため、まとめるか除いてください。"
        )
        XCTAssertEqual(
            ja.notConvergedLine(
                model([
                    .dropped([CoxDroppedTerm(name: "plan=pro", collinearWith: ["acquisition_channel=ads"])]),
                    .iterationLimit(1_000),
                ]), format),
            "モデルは収束しませんでした：推定から「プラン: pro」（「獲得チャネル: ads」と共線）を除きました。1,000 回の反復で収束しませんでした。")
    }

    /// Every note has Japanese words: no English left but its values.
    func testEveryNoteReadsInJapanese() {
        let ja = Localizer(locale: .ja)
        for note in CoxNoteTests.notes {
            var words = ja.japanese(note, dimensions: ["plan", "region", "acquisition_channel"], format)
            for value in ["the sparse patterns: row 0", "only=x", "a_copy", "enterprise", "ads", "pro", "eu"] {
                words = words.replacingOccurrences(of: value, with: "")
            }
            XCTAssertNil(words.range(of: "[A-Za-z]{2,}", options: .regularExpression), words)
        }
    }

    /// English shows the message as the fit wrote it; so does Japanese for a model without notes
    /// (from a cox_model.json written before they were recorded).
    func testEnglishAndNotelessModelsShowTheMessage() {
        let info = model([.stepHalvingFailed(iteration: 3)])
        XCTAssertEqual(
            Localizer(locale: .en).notConvergedLine(info, format),
            "The model did not converge: step halving could not increase the log-likelihood at iteration 3")
        var older = model([.noEvents])
        older.notes = []
        XCTAssertEqual(
            Localizer(locale: .ja).notConvergedLine(older, format),
            "モデルは収束しませんでした：no events: the partial likelihood is flat, so no hazard ratio can be estimated")
    }

    /// Nobody churned, or nobody to fit: the model was not fitted, which is not a failure to converge.
    func testNothingToFitIsNotAFailureToConverge() {
        for (note, en, ja) in [
            (
                CoxNote.noEvents,
                "The model was not fitted: no customer in it has churned, so there is no hazard to compare.",
                "モデルは当てはめていません。解約した顧客がいないため、比べるハザードがありません。"
            ),
            (
                .noSubjects, "The model was not fitted: it has no customers to fit.",
                "モデルは当てはめていません。当てはめる顧客がいません。"
            ),
        ] {
            XCTAssertEqual(Localizer(locale: .en).notConvergedLine(model([note]), format), en)
            XCTAssertEqual(Localizer(locale: .ja).notConvergedLine(model([note]), format), ja)
            var m = SampleReportModel.make(locale: .en)
            m.cox.model = model([note])
            m.atRisk.rows = []
            let md = MarkdownReport.render(m)
            XCTAssertTrue(md.contains("which had nothing to fit on this data."), md)
            XCTAssertFalse(md.contains("did not converge"), md)
        }
    }

    func testBothFormatsShowTheJapaneseNotes() {
        var m = SampleReportModel.make(locale: .ja)
        m.cox.model = model([.iterationLimit(50)])
        let sentence = "モデルは収束しませんでした：50 回の反復で収束しませんでした。"
        XCTAssertTrue(MarkdownReport.render(m).contains(Escaping.markdown(sentence)))
        XCTAssertTrue(HTMLReport.render(m).contains(sentence))
    }
}
