/// The rows of a matrix by their non-zero entries (compressed sparse rows): row k holds
/// `values[starts[k]..<starts[k + 1]]` in the columns `columns[starts[k]..<starts[k + 1]]`, in
/// ascending column order; every other entry is 0. A one-hot design of a few dimensions has one
/// entry per dimension in a row, whatever the number of levels, so it costs rows × dimensions
/// instead of rows × columns.
public struct SparseRows: Equatable, Sendable {
    public private(set) var starts: [Int] = [0]
    public private(set) var columns: [Int32] = []
    public private(set) var values: [Double] = []

    public init() {}

    /// The non-zero entries of a row-major dense matrix of `p` columns (`dense.count / p` rows;
    /// with `p` 0, `rows` empty rows).
    public init(dense: [Double], columns p: Int, rows: Int = 0) {
        let count = p > 0 ? dense.count / p : rows
        starts.reserveCapacity(count + 1)
        for k in 0..<count {
            for j in 0..<p where dense[k * p + j] != 0 { append(column: j, value: dense[k * p + j]) }
            endRow()
        }
    }

    /// Number of rows.
    public var count: Int { starts.count - 1 }

    /// The positions of row k's entries in `columns` and `values`.
    public func row(_ k: Int) -> Range<Int> { starts[k]..<starts[k + 1] }

    /// Adds an entry to the row being built (columns in ascending order; a 0 is not stored). A
    /// column beyond Int32's range is kept out of range, for `problem` to name.
    public mutating func append(column: Int, value: Double) {
        guard value != 0 else { return }
        columns.append(Int32(clamping: column))
        values.append(value)
    }

    /// Ends the row being built.
    public mutating func endRow() { starts.append(columns.count) }

    /// Appends row k of `other` as a row of this one.
    mutating func appendRow(_ k: Int, of other: SparseRows) {
        for i in other.row(k) { append(column: Int(other.columns[i]), value: other.values[i]) }
        endRow()
    }

    /// Why these are not the rows of a matrix with `p` columns (offsets out of order, a column
    /// out of range or not ascending within its row), or nil when they are.
    public func problem(columns p: Int) -> String? {
        guard starts.first == 0, starts.last == columns.count, values.count == columns.count else {
            return "row offsets do not span the \(columns.count) entries"
        }
        for k in 0..<count {
            guard starts[k] <= starts[k + 1] else { return "row \(k) ends before it starts" }
            var previous = -1
            for i in row(k) {
                let j = Int(columns[i])
                guard j > previous, j < p else {
                    return "row \(k) has column \(j) out of order or out of range (\(p) columns)"
                }
                previous = j
            }
        }
        return nil
    }

    /// Calls `body(column, value − shift[column])` for row k in ascending column order, over the
    /// row's entries and every column of `shifted` (ascending; the columns with a non-zero shift,
    /// whose zeros become −shift). Entries of other columns pass unchanged.
    @inline(__always)
    func forEachShifted(_ k: Int, shifted: [Int], shift: [Double], _ body: (Int, Double) -> Void) {
        var next = 0
        for i in row(k) {
            let j = Int(columns[i])
            while next < shifted.count && shifted[next] < j {
                body(shifted[next], -shift[shifted[next]])
                next += 1
            }
            if next < shifted.count && shifted[next] == j {
                body(j, values[i] - shift[j])
                next += 1
            } else {
                body(j, values[i])
            }
        }
        while next < shifted.count {
            body(shifted[next], -shift[shifted[next]])
            next += 1
        }
    }
}
