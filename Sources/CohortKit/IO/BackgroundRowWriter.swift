import Dispatch

/// Formats rows as JSON lines and writes them on a second thread, in order.
///
/// Ingest's main thread parses and validates, normalize's works out customers' timelines; turning
/// each row into JSON and writing it costs about as much again. The caller hands over row values
/// (or whole batches of rows, with `batchSize` 1), which it must not touch once appended; batches
/// go to one serial worker, at most two batches in flight, so memory stays bounded and the output
/// is the same bytes in the same order as writing inline (which is what happens under
/// `--threads 1`).
final class BackgroundRowWriter<Row> {
    private let writer: JSONLWriter
    private let format: (Row, JSONLWriter) throws -> Void
    private let background: Bool
    private let queue = DispatchQueue(label: "cohort.row-writer")
    private let inFlight = DispatchSemaphore(value: 2)
    private var batch: [Row] = []
    private let batchSize: Int
    /// Set by the worker only; read after the queue has drained.
    private var failure: Error?

    /// `batchSize`: rows handed to the worker at a time (1 when a row is itself a batch).
    init(
        writer: JSONLWriter, background: Bool, batchSize: Int = 8192,
        format: @escaping (Row, JSONLWriter) throws -> Void
    ) {
        self.batchSize = batchSize
        self.writer = writer
        self.background = background
        self.format = format
        batch.reserveCapacity(batchSize)
    }

    func append(_ row: Row) throws {
        guard background else {
            try format(row, writer)
            return
        }
        batch.append(row)
        if batch.count == batchSize { send() }
    }

    private func send() {
        let rows = batch
        batch = []
        batch.reserveCapacity(batchSize)
        inFlight.wait()
        queue.async { [self] in
            defer { inFlight.signal() }
            guard failure == nil else { return }
            do { for r in rows { try format(r, writer) } } catch { failure = error }
        }
    }

    /// Writes what is left and waits for the worker; rethrows a write error it met.
    func finish() throws {
        if !batch.isEmpty { send() }
        drain()
        if let failure { throw failure }
    }

    /// Waits for the worker without writing the pending batch (on the error path).
    func drain() { queue.sync {} }
}
