import Dispatch
import Foundation

/// Rows copied out of a `SourceReader`: each row's line, error, raw text and fields, packed in
/// one byte arena. Fields that are plain slices of the raw text are stored as offsets into it.
/// Plain memory, no reference counting: the producer fills a batch, then the consumer reads it.
final class RowBatch {
    struct Row {
        var line: Int
        var error: Int32  // index into `errors`, -1 when the row is clean
        var rawStart: Int32
        var rawCount: Int32
        var firstField: Int32
        var fieldCount: Int32
    }

    /// Where one field's bytes are in the arena; `count < 0` marks an absent (null) field.
    struct Field {
        var start: Int32
        var count: Int32
    }

    static let maxRows = 16384
    static let arenaBytes = 2 << 20

    private(set) var arena: UnsafeMutablePointer<UInt8>
    private var arenaCapacity: Int
    private(set) var arenaCount = 0
    private(set) var rows: UnsafeMutablePointer<Row>
    private(set) var rowCount = 0
    private(set) var fields: UnsafeMutablePointer<Field>
    private var fieldCapacity: Int
    private(set) var fieldCount = 0
    private(set) var errors: [String] = []
    /// Field and value of each error in `errors`.
    private(set) var errorDetails: [(field: String, value: String, group: String)] = []
    private var rawSource: UnsafeBufferPointer<UInt8> = UnsafeBufferPointer(start: nil, count: 0)
    /// True once the reader has no more rows (this batch may still hold some).
    var last = false

    init() {
        arenaCapacity = RowBatch.arenaBytes + (1 << 16)
        arena = .allocate(capacity: arenaCapacity)
        rows = .allocate(capacity: RowBatch.maxRows)
        fieldCapacity = RowBatch.maxRows * 12
        fields = .allocate(capacity: fieldCapacity)
    }

    deinit {
        arena.deallocate()
        rows.deallocate()
        fields.deallocate()
    }

    var isFull: Bool { rowCount >= RowBatch.maxRows || arenaCount >= RowBatch.arenaBytes }

    func clear() {
        arenaCount = 0
        rowCount = 0
        fieldCount = 0
        errors.removeAll(keepingCapacity: true)
        errorDetails.removeAll(keepingCapacity: true)
        last = false
    }

    private func append(_ b: UnsafeBufferPointer<UInt8>) {
        guard let src = b.baseAddress, b.count > 0 else { return }
        if arenaCount + b.count > arenaCapacity {
            let bigger = max(arenaCapacity * 2, arenaCount + b.count)
            let p = UnsafeMutablePointer<UInt8>.allocate(capacity: bigger)
            p.update(from: arena, count: arenaCount)
            arena.deallocate()
            arena = p
            arenaCapacity = bigger
        }
        (arena + arenaCount).update(from: src, count: b.count)
        arenaCount += b.count
    }

    func beginRow(
        line: Int, error: String?, raw: UnsafeBufferPointer<UInt8>, errorField: String = "", errorValue: String = "",
        errorGroup: String = ""
    ) {
        rawSource = raw
        var e: Int32 = -1
        if let error {
            e = Int32(errors.count)
            errors.append(error)
            errorDetails.append((errorField, errorValue, errorGroup))
        }
        rows[rowCount] = Row(
            line: line, error: e, rawStart: Int32(arenaCount), rawCount: Int32(raw.count),
            firstField: Int32(fieldCount), fieldCount: 0)
        rowCount += 1
        append(raw)
    }

    func addField(_ b: UnsafeBufferPointer<UInt8>?) {
        if fieldCount == fieldCapacity {
            let p = UnsafeMutablePointer<Field>.allocate(capacity: fieldCapacity * 2)
            p.update(from: fields, count: fieldCount)
            fields.deallocate()
            fields = p
            fieldCapacity *= 2
        }
        guard let b else {
            fields[fieldCount] = Field(start: 0, count: -1)
            fieldCount += 1
            return
        }
        if let p = b.baseAddress, let r = rawSource.baseAddress, p >= r, p + b.count <= r + rawSource.count {
            fields[fieldCount] = Field(start: rows[rowCount - 1].rawStart + Int32(p - r), count: Int32(b.count))
        } else {
            fields[fieldCount] = Field(start: Int32(arenaCount), count: Int32(b.count))
            append(b)
        }
        fieldCount += 1
    }

    func endRow() {
        rows[rowCount - 1].fieldCount = Int32(fieldCount) - rows[rowCount - 1].firstField
        rawSource = UnsafeBufferPointer(start: nil, count: 0)
    }
}

/// Reads a source on a second thread: the inner reader parses (CSV or JSON Lines) and copies
/// each row into batches while the caller validates the rows before; the caller sees exactly the
/// rows, lines, errors and fields it would see reading the inner reader itself, in order.
///
/// Columns must all be looked up (`column(named:)`) before the first `next()`.
final class PrefetchingReader: SourceReader {
    /// What the producer thread and the reader share. The producer holds this, not the reader,
    /// so the reader is always released (and drains the producer) on the caller's thread.
    private final class Channel {
        private let cond = NSCondition()
        private var ready: [RowBatch] = []
        private var spare: [RowBatch] = [RowBatch(), RowBatch(), RowBatch()]
        private var producerDone = false
        private var cancelledFlag = false
        var failure: Error?

        /// A cleared batch to fill (the producer waits while all three are in use).
        func take() -> RowBatch {
            cond.lock()
            while spare.isEmpty { cond.wait() }
            let b = spare.removeLast()
            cond.unlock()
            b.clear()
            return b
        }

        /// Hands a batch the reader is done with back to the producer.
        func give(_ b: RowBatch) {
            cond.lock()
            spare.append(b)
            cond.broadcast()
            cond.unlock()
        }

        func put(_ b: RowBatch) {
            cond.lock()
            ready.append(b)
            cond.broadcast()
            cond.unlock()
        }

        /// The next filled batch, in order (waits for the producer).
        func get() -> RowBatch {
            cond.lock()
            while ready.isEmpty { cond.wait() }
            let b = ready.removeFirst()
            cond.unlock()
            return b
        }

        func producerFinished() {
            cond.lock()
            producerDone = true
            cond.broadcast()
            cond.unlock()
        }

        func waitForProducer() {
            cond.lock()
            while !producerDone { cond.wait() }
            cond.unlock()
        }

        var cancelled: Bool {
            get {
                cond.lock()
                defer { cond.unlock() }
                return cancelledFlag
            }
            set {
                cond.lock()
                cancelledFlag = newValue
                cond.unlock()
            }
        }
    }

    private let inner: SourceReader
    private let channel = Channel()
    private var started = false
    private var finished = false
    /// Whether the producer's end has been waited for.
    private var joined = false
    private var current: RowBatch?
    private var index = -1

    init(_ inner: SourceReader) { self.inner = inner }

    /// Tests only: runs right after a batch is handed back to the producer (to widen the window
    /// in which the producer refills it).
    var afterHandBack: (() -> Void)?

    deinit {
        // Stopped early (an error): tell the producer, drain it to its last batch, wait for it.
        guard started else { return }
        channel.cancelled = true
        var done = finished || (current?.last ?? false)
        if let b = current { channel.give(b) }  // after reading `last` (see `next`)
        while !done {
            let b = channel.get()
            done = b.last
            channel.give(b)
        }
        if !joined { channel.waitForProducer() }
    }

    var columns: [String] { inner.columns }
    func column(named name: String) -> Int? {
        precondition(!started, "columns are looked up before the first row")
        return inner.column(named: name)
    }
    var bytesRead: Int { inner.bytesRead }
    func digestHex() -> String { inner.digestHex() }
    func copyRow(into batch: RowBatch) { preconditionFailure("a prefetching reader is not itself prefetched") }

    private func start() {
        started = true
        let channel = channel
        let inner = inner
        DispatchQueue.global(qos: .userInitiated).async {
            while true {
                let b = channel.take()
                if channel.cancelled { b.last = true }
                do {
                    while !b.last, !b.isFull {
                        guard try inner.next() else {
                            b.last = true
                            break
                        }
                        inner.copyRow(into: b)
                    }
                } catch {
                    channel.failure = error
                    b.last = true
                }
                let last = b.last
                channel.put(b)
                if last { break }
            }
            channel.producerFinished()
        }
    }

    /// The batch being read, as plain pointers (valid while `current` is held).
    private var rows: UnsafeMutablePointer<RowBatch.Row>?
    private var rowCount = 0
    private var fields: UnsafeMutablePointer<RowBatch.Field>?
    private var arena: UnsafeMutablePointer<UInt8>?
    private var row = RowBatch.Row(line: 0, error: -1, rawStart: 0, rawCount: 0, firstField: 0, fieldCount: 0)

    func next() throws -> Bool {
        if !started { start() }
        if index + 1 < rowCount {
            index += 1
            row = rows![index]
            return true
        }
        while true {
            if let b = current {
                current = nil
                rowCount = 0
                // Read `last` before handing the batch back: from then on the producer may clear
                // and refill it.
                let wasLast = b.last
                channel.give(b)
                afterHandBack?()
                if wasLast {
                    finished = true
                    channel.waitForProducer()
                    joined = true
                    if let failure = channel.failure { throw failure }
                    return false
                }
            }
            if finished { return false }
            let b = channel.get()
            current = b
            rows = b.rows
            rowCount = b.rowCount
            fields = b.fields
            arena = b.arena
            index = 0
            if rowCount > 0 {
                row = b.rows[0]
                return true
            }
        }
    }

    var line: Int { row.line }
    var rowError: String? { row.error < 0 ? nil : current!.errors[Int(row.error)] }
    var rowErrorField: String { row.error < 0 ? "" : current!.errorDetails[Int(row.error)].field }
    var rowErrorValue: String { row.error < 0 ? "" : current!.errorDetails[Int(row.error)].value }
    var rowErrorGroup: String { row.error < 0 ? "" : current!.errorDetails[Int(row.error)].group }
    var raw: String {
        String(
            decoding: UnsafeBufferPointer(start: arena! + Int(row.rawStart), count: Int(row.rawCount)), as: UTF8.self)
    }
    @inline(__always)
    func withField<R>(_ column: Int, _ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R {
        field(column, of: row, body)
    }

    /// The next row of the batch, when the batch holds one.
    @inline(__always)
    func withFieldAhead<R>(_ column: Int, _ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R {
        guard index + 1 < rowCount, let rows else { return body(nil) }
        return field(column, of: rows[index + 1], body)
    }

    @inline(__always)
    private func field<R>(_ column: Int, of row: RowBatch.Row, _ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R {
        guard column < Int(row.fieldCount) else { return body(nil) }
        let f = fields![Int(row.firstField) + column]
        guard f.count >= 0 else { return body(nil) }
        return body(UnsafeBufferPointer(start: arena! + Int(f.start), count: Int(f.count)))
    }
}
