import XCTest

@testable import CohortKit

/// The notes of a Cox fit: each one's English sentence (what `message` has always said) and its
/// record in cox_model.json.
final class CoxNoteTests: XCTestCase {
    static let notes: [CoxNote] = [
        .inputShape("the sparse patterns: row 0"),
        .noSubjects,
        .confidenceOutOfRange(1.5),
        .notFinite(covariate: "x", row: 2),
        .noEvents,
        .dropped([
            CoxDroppedTerm(name: "only=x", collinearWith: nil), CoxDroppedTerm(name: "a_copy", collinearWith: ["a"]),
            CoxDroppedTerm(name: "b", collinearWith: []),
        ]),
        .noCovariates,
        .singularInformation(iteration: 3),
        .iterationLimit(50),
        .stepHalvingFailed(iteration: 7),
        .diverging([
            CoxDivergingTerm(name: "acquisition_channel=ads", towardPlus: false),
            CoxDivergingTerm(name: "plan=pro", towardPlus: true),
        ]),
        .informationNotInvertible,
        .setAside(
            customers: 13,
            levels: [
                SetAsideLevel(dimension: "plan", level: "enterprise", customers: 12),
                SetAsideLevel(dimension: "region", level: "eu", customers: 1),
            ]),
    ]

    func testEnglishSentencesAreTheOnesTheFitWrote() {
        XCTAssertEqual(
            Self.notes.map(\.english),
            [
                "input shape mismatch: the sparse patterns: row 0",
                "no subjects: nothing to fit",
                "confidence must lie strictly between 0 and 1 (got 1.5)",
                "covariate 'x' is not finite in row 2",
                "no events: the partial likelihood is flat, so no hazard ratio can be estimated",
                "dropped 'only=x' (constant: the same value in every row), 'a_copy' (collinear with a), 'b' (collinear with earlier covariates)",
                "no covariates to fit: log-likelihood is at β = 0",
                "the information matrix is singular at iteration 3",
                "no convergence after 50 iterations",
                "step halving could not increase the log-likelihood at iteration 7",
                "coefficients do not converge: 'acquisition_channel=ads' (heading to -∞), 'plan=pro' (heading to +∞); a level with no events (or only events) makes its hazard ratio inestimable, so pool or drop it",
                "the information matrix is not invertible: standard errors unavailable",
                "set aside 13 customers of levels nobody has left, whose hazard ratios head to 0: 'plan=enterprise' (12 customers), 'region=eu' (1 customer); the other coefficients are their limit, the fit without them",
            ])
    }

    func testNotesRoundTripThroughTheirRecords() throws {
        for note in Self.notes {
            XCTAssertEqual(CoxNote(json: try JSONParser.parse(Array(note.json.serialized().utf8))), note, "\(note)")
        }
        XCTAssertEqual(
            CoxNote.diverging([CoxDivergingTerm(name: "plan=pro", towardPlus: true)]).json.serialized(),
            #"{"kind":"diverging","terms":[{"term":"plan=pro","toward":"+"}]}"#)
    }

    /// A cox_model.json with a note of a kind this version does not know reads as one with no
    /// notes: the report then shows its message as written.
    func testAnUnknownNoteLeavesTheRecordWithoutNotes() throws {
        let text =
            #"{"n":3,"events":0,"converged":false,"message":"m","notes":[{"kind":"no_events"},{"kind":"from_the_future"}],"dimensions":[]}"#
        let record = try CoxModelRecord(json: try JSONParser.parse(Array(text.utf8)))
        XCTAssertEqual(record.notes, CoxNotes([]))
        XCTAssertEqual(record.message, "m")
        let known = try CoxModelRecord(
            json: try JSONParser.parse(
                Array(text.replacingOccurrences(of: #",{"kind":"from_the_future"}"#, with: "").utf8)))
        XCTAssertEqual(known.notes, CoxNotes([.noEvents]))
        // Notes that do not spell the message are not used to word it.
        XCTAssertEqual(known.notesSpellingTheMessage, [])
        var matching = known
        matching.message = CoxNote.noEvents.english
        XCTAssertEqual(matching.notesSpellingTheMessage, [.noEvents])
    }

    /// The fit's message is its notes' sentences joined: a covariate that exactly the customers who
    /// churned hold heads to +∞.
    func testTheFitsMessageJoinsItsNotes() {
        let durations: [Int32] = [1, 2, 3, 4, 5, 6]
        let result = CoxPH.fit(
            CoxInput(
                durations: durations, events: [true, true, true, false, false, false],
                covariates: [1, 1, 1, 0, 0, 0], names: ["all_left"]))
        XCTAssertFalse(result.converged)
        XCTAssertEqual(result.notes.first, .diverging([CoxDivergingTerm(name: "all_left", towardPlus: true)]))
        XCTAssertEqual(
            result.message,
            "coefficients do not converge: 'all_left' (heading to +∞); a level with no events (or only events) makes its hazard ratio inestimable, so pool or drop it"
        )
    }
}
