/// churn-attribution's cox_model.json: how the Cox model fit went (docs/metrics.md#cox-model).
public struct CoxModelRecord: JSONObjectRecord, Equatable, Sendable {
    /// The output this record is, and its schema version (StageDescription uses both).
    public static let output = "cox_model"
    public static let schemaVersion = 1

    public var n: Int
    public var events: Int
    public var logLikelihood: Double?
    public var concordance: Double?
    public var iterations: Int
    public var converged: Bool
    /// Nil for a clean fit, else what went wrong or was dropped.
    public var message: String?
    /// `message`'s notes with their values, from which the report words them (none in a file
    /// written before notes were recorded).
    public var notes = CoxNotes([])

    /// `notes` when their sentences are `message` (as the fit writes them); none otherwise (a
    /// hand-edited file), so a report in another language never says other than the message.
    public var notesSpellingTheMessage: [CoxNote] {
        notes.notes.map(\.english).joined(separator: "; ") == (message ?? "") ? notes.notes : []
    }
    /// The dimensions in the model, in design order.
    public var dimensions: [String]
    public var droppedTerms: [String]
    /// Levels (`dimension=level`) whose customers were set aside because none of them has
    /// churned, and how many customers that set aside (read as `[]` and 0 when absent).
    public var setAsideLevels: [String] = []
    public var setAsideCustomers: Int = 0
}
