import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Cuts a big JSON Lines file into parts that are parsed side by side, one per core.
///
/// Where the file is cut depends only on its bytes, never on the thread count, and callers merge
/// the parts' results in part order; so a run with `--threads 1` (parts read one after the
/// other) writes the same bytes as a parallel one. Line numbers inside a part count from the
/// part; `rebase` turns an error raised in a part back into the file's own line number.
public enum JSONLParts {
    public struct Part {
        public var range: Range<Int>
        /// The group key's string value on the part's first line (when cut by a key).
        public var firstKey: String?
    }

    /// Files smaller than this stay in one part: splitting would cost more than it saves. A
    /// stage takes its minimum from its context (`StageContext.partMinimumBytes`), which tests
    /// lower to cut even tiny files and check that the outputs do not change.
    public static let minimumSplitBytes = 8 << 20

    /// Cuts `path` into up to `count` parts at line starts near equal byte offsets. With
    /// `groupKey`, a cut never separates two consecutive lines with the same value of that key
    /// (rows sorted or grouped by customer stay together). Anything unexpected near a cut (a
    /// malformed line, a group running to the end) just leaves fewer parts: the readers report
    /// real problems with their usual messages.
    public static func split(
        path: String, count: Int = 2, groupKey: StaticString? = nil, minimumBytes: Int = minimumSplitBytes
    ) throws -> [Part] {
        let size = FilePaths.size(path) ?? 0
        guard count > 1, size >= minimumBytes else { return [Part(range: 0..<size, firstKey: nil)] }
        var cuts: [(offset: Int, key: String?)] = []
        for k in 1..<count {
            guard let cut = try cutAfter(path: path, offset: size * k / count, size: size, groupKey: groupKey) else {
                continue
            }
            if cut.offset > (cuts.last?.offset ?? 0), cut.offset < size { cuts.append(cut) }
        }
        var parts: [Part] = []
        var start = 0
        var key: String? = nil
        for c in cuts {
            parts.append(Part(range: start..<c.offset, firstKey: key))
            start = c.offset
            key = c.key
        }
        parts.append(Part(range: start..<size, firstKey: key))
        return parts
    }

    /// The first line start after `offset` where a cut may go, and the key there.
    private static func cutAfter(path: String, offset: Int, size: Int, groupKey: StaticString?) throws -> (
        offset: Int, key: String?
    )? {
        let r = try JSONLReader(path: path, chunkSize: 1 << 16, range: offset..<size)
        guard try r.next() else { return nil }  // the line `offset` falls in (maybe whole)
        guard try r.next() else { return nil }
        guard let groupKey else { return (r.lineOffset, nil) }
        guard r.lineError == nil, let first = r.string(groupKey) else { return nil }
        var previous = first
        // At most a few thousand lines: a group is one customer's rows.
        for _ in 0..<100_000 {
            guard try r.next() else { return nil }
            guard r.lineError == nil, let key = r.string(groupKey) else { return nil }
            if key != previous { return (r.lineOffset, key) }
            previous = key
        }
        return nil
    }

    /// Runs `body` for each part, on all cores when `parallel`, one after the other otherwise;
    /// the results come back in part order, and the first part's error (in file order) wins.
    public static func map<T>(_ parts: [Part], parallel: Bool, _ body: (Int, Part) throws -> T) throws -> [T] {
        var results = [Result<T, Error>?](repeating: nil, count: parts.count)
        if parallel, parts.count > 1 {
            results.withUnsafeMutableBufferPointer { out in
                DispatchQueue.concurrentPerform(iterations: parts.count) { i in
                    out[i] = Result { try body(i, parts[i]) }
                }
            }
        } else {
            for i in parts.indices { results[i] = Result { try body(i, parts[i]) } }
        }
        return try results.map { try $0!.get() }
    }

    /// An error from reading a part, with the line number counted from the start of the file.
    public static func rebase(_ error: Error, path: String, part: Part) -> Error {
        guard part.range.lowerBound > 0, case InputError.malformedFile(let p, let line, let reason) = error, p == path
        else { return error }
        guard let before = try? lines(in: path, upTo: part.range.lowerBound) else { return error }
        return InputError.malformedFile(path: p, line: line + before, reason: reason)
    }

    /// Newlines in the first `offset` bytes of the file.
    static func lines(in path: String, upTo offset: Int) throws -> Int {
        let r = try ChunkedFileReader(path: path, range: 0..<offset)
        var n = 0
        try r.forEachChunk { chunk in for b in chunk where b == 10 { n += 1 } }
        return n
    }
}
