/// What the report takes from upstream outputs before it adds counts up or scales a chart by
/// them: counts from 0 to 10^12 and probabilities from 0 to 1, which no run exceeds (a count is
/// at most the rows of an input; a probability is a Kaplan-Meier estimate, a bound of one, or a
/// share). A file edited together with its manifest, or a defect upstream, is then a data error
/// naming the file, line and field (exit 1) instead of an overflow trap or a chart drawn with a
/// tick every 0.2 up to 4 billion. Amounts are not bounded: the stages add them up to 2^63 with
/// overflow checks, and the report's own sums of amounts run in doubles or stop at the largest
/// value.
struct PlausibleValues {
    static let maxCount: Int64 = 1_000_000_000_000

    let reader: JSONLReader

    func count(_ v: Int, _ field: String) throws { try count(Int64(v), field) }

    func count(_ v: Int64, _ field: String) throws {
        guard v >= 0, v <= Self.maxCount else { throw bad(field, "\(v)", "a count from 0 to 10^12") }
    }

    func probability(_ v: Double?, _ field: String) throws {
        guard let v else { return }
        guard v >= 0, v <= 1 else { throw bad(field, "\(v)", "a probability from 0 to 1") }
    }

    private func bad(_ field: String, _ value: String, _ expected: String) -> InputError {
        .malformedFile(path: reader.path, line: reader.lineNumber, reason: "\(field) is \(value), expected \(expected)")
    }
}
